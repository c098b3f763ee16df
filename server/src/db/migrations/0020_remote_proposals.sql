ALTER TABLE "proposal_comments" ADD COLUMN "remote_note" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "accepted_ref" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "delivery" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "delivery_error" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "offered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "remote_object" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "remote_actor" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "remote_inbox" text;--> statement-breakpoint
ALTER TABLE "proposal_comments" ADD CONSTRAINT "proposal_comments_remote_note_unique" UNIQUE("remote_note");--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_remote_object_unique" UNIQUE("remote_object");