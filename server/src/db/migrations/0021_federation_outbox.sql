ALTER TABLE "federation_queue" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "federation_queue" ADD COLUMN "attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "federation_queue" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "remote_follows" ADD COLUMN "outbox_seen_item" text;--> statement-breakpoint
ALTER TABLE "remote_follows" ADD COLUMN "outbox_seen_total" integer;--> statement-breakpoint
ALTER TABLE "remote_follows" ADD COLUMN "backfilled_at" timestamp with time zone;