ALTER TABLE "proposals" ADD COLUMN "kind" text DEFAULT 'fork' NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "translation_lang" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "translation_blob" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_translation_blob_blobs_sha256_fk" FOREIGN KEY ("translation_blob") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;