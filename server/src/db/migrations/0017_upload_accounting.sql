CREATE TABLE "refused_upload_bytes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"bytes" bigint NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"upload_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "refused_upload_bytes_key_at_idx" ON "refused_upload_bytes" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "upload_holds_sha256_idx" ON "upload_holds" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "upload_holds_upload_idx" ON "upload_holds" USING btree ("upload_id");