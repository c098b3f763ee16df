CREATE TABLE "part_uses" (
	"line_id" uuid PRIMARY KEY NOT NULL,
	"part_key" text NOT NULL,
	"design_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"owner_handle" text NOT NULL,
	"slug" text NOT NULL,
	"version" text NOT NULL,
	"major" integer NOT NULL,
	"minor" integer NOT NULL,
	"patch" integer NOT NULL,
	"ord" integer NOT NULL,
	"position" text NOT NULL,
	"quantity" text NOT NULL,
	"unit" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "part_names" ADD COLUMN "own_text" text GENERATED ALWAYS AS (part_search_text(coalesce(part_number, '') || ' ' || coalesce(mpn, '') || ' ' || name || ' ' || coalesce(process, ''))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "part_uses" ADD CONSTRAINT "part_uses_line_id_bom_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."bom_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_uses" ADD CONSTRAINT "part_uses_design_id_designs_id_fk" FOREIGN KEY ("design_id") REFERENCES "public"."designs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_uses" ADD CONSTRAINT "part_uses_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "part_uses_part_idx" ON "part_uses" USING btree ("part_key","owner_handle","slug","major" DESC NULLS LAST,"minor" DESC NULLS LAST,"patch" DESC NULLS LAST,"ord");--> statement-breakpoint
CREATE INDEX "part_uses_design_idx" ON "part_uses" USING btree ("design_id");--> statement-breakpoint
CREATE INDEX "part_uses_version_idx" ON "part_uses" USING btree ("version_id");--> statement-breakpoint
-- part_uses follows the rows it is made of, whatever writes them (a publish, a yank, a takedown, a rename, an admin
-- command, migrate-data): BOM lines added, a version's state changed, a design hidden, restored or renamed.
-- Deleted lines, versions and designs leave it by their foreign keys. What it must hold is this view, written once
-- (its columns in the table's order).
CREATE VIEW part_uses_source AS
  SELECT l.id AS line_id, l.part_key, d.id AS design_id, v.id AS version_id, d.owner_handle, d.slug, v.version, v.major, v.minor, v.patch,
    l.ord, l.position, l.quantity, l.unit
  FROM bom_lines l
  JOIN design_versions v ON v.id = l.version_id AND v.state = 'published'
  JOIN designs d ON d.id = v.design_id AND NOT d.hidden;
--> statement-breakpoint
CREATE FUNCTION part_uses_lines_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO part_uses SELECT s.* FROM part_uses_source s WHERE s.line_id IN (SELECT id FROM added)
  ON CONFLICT (line_id) DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER bom_lines_part_uses AFTER INSERT ON bom_lines REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION part_uses_lines_added();
--> statement-breakpoint
CREATE FUNCTION part_uses_version_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM part_uses WHERE version_id = NEW.id;
  INSERT INTO part_uses SELECT * FROM part_uses_source WHERE version_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER design_versions_part_uses AFTER UPDATE OF state ON design_versions
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION part_uses_version_changed();
--> statement-breakpoint
CREATE FUNCTION part_uses_design_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM part_uses WHERE design_id = NEW.id;
  INSERT INTO part_uses SELECT * FROM part_uses_source WHERE design_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER designs_part_uses AFTER UPDATE OF hidden, owner_handle, slug ON designs
  FOR EACH ROW WHEN (OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.owner_handle IS DISTINCT FROM NEW.owner_handle OR OLD.slug IS DISTINCT FROM NEW.slug)
  EXECUTE FUNCTION part_uses_design_changed();
--> statement-breakpoint
-- what is already published is listed at once
INSERT INTO part_uses SELECT * FROM part_uses_source;
