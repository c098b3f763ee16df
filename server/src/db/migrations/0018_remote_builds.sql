ALTER TABLE "build_reports" ADD COLUMN "delivery" text;--> statement-breakpoint
ALTER TABLE "build_reports" ADD COLUMN "delivery_error" text;--> statement-breakpoint
ALTER TABLE "build_reports" ADD COLUMN "offered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "build_reports" ADD COLUMN "remote_object" text;--> statement-breakpoint
ALTER TABLE "build_reports" ADD COLUMN "remote_actor" text;--> statement-breakpoint
ALTER TABLE "build_reports" ADD COLUMN "remote_inbox" text;--> statement-breakpoint
ALTER TABLE "workshops" ADD COLUMN "remote_instance" text;--> statement-breakpoint
ALTER TABLE "build_reports" ADD CONSTRAINT "build_reports_remote_object" UNIQUE("remote_object");