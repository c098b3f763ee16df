CREATE TABLE "part_names" (
	"key" text PRIMARY KEY NOT NULL,
	"part_number" text,
	"mpn" text,
	"name" text NOT NULL,
	"search_text" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bom_lines" ADD COLUMN "part_key" text GENERATED ALWAYS AS (lower(coalesce(nullif(part_number, ''), name))) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "part_names_search_trgm_idx" ON "part_names" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "bom_lines_part_key_idx" ON "bom_lines" USING btree ("part_key");--> statement-breakpoint
-- parts already published are searchable at once
INSERT INTO "part_names" ("key", "part_number", "mpn", "name", "search_text")
SELECT DISTINCT ON ("part_key") "part_key", "part_number", "mpn", "name", lower(concat_ws(' ', "part_number", "mpn", "name"))
FROM "bom_lines" ORDER BY "part_key", "version_id", "ord";
