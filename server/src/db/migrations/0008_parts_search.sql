-- How parts search reads a part and a query alike: lower case, 2 inch / 2" / 2 in. / 2 in as 2in, 50 mm as 50mm.
CREATE FUNCTION part_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(regexp_replace(lower(t),
    '([0-9])[[:space:]]*(inches|inch|in\.|"|in(?![a-z]))', '\1in', 'g'),
    '([0-9])[[:space:]]+(mm|cm|m)(?![a-z])', '\1\2', 'g')
$$;--> statement-breakpoint
CREATE TABLE "part_names" (
	"key" text PRIMARY KEY NOT NULL,
	"part_number" text,
	"mpn" text,
	"name" text NOT NULL,
	"material" text,
	"process" text,
	"search_text" text GENERATED ALWAYS AS (part_search_text(coalesce(part_number, '') || ' ' || coalesce(mpn, '') || ' ' || name || ' ' || coalesce(material, '') || ' ' || coalesce(process, ''))) STORED NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bom_lines" ADD COLUMN "part_key" text GENERATED ALWAYS AS (lower(coalesce(nullif(part_number, ''), name))) STORED NOT NULL;--> statement-breakpoint
-- covering the columns parts search lists, so a part's uses come from the index alone (drizzle's schema names the key only)
CREATE INDEX "bom_lines_part_key_idx" ON "bom_lines" USING btree ("part_key") INCLUDE ("version_id", "ord", "position", "quantity", "unit");--> statement-breakpoint
-- parts already published are searchable at once
INSERT INTO "part_names" ("key", "part_number", "mpn", "name", "material", "process")
SELECT DISTINCT ON ("part_key") "part_key", "part_number", "mpn", "name", "material", "process"
FROM "bom_lines" ORDER BY "part_key", "version_id", "ord";
