ALTER TABLE "users" ADD COLUMN "digest_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "digest_sending_until" timestamp with time zone;