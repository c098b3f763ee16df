CREATE TABLE "mirrored_versions" (
	"design_id" uuid NOT NULL,
	"version" text NOT NULL,
	"object_uri" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"remote" jsonb NOT NULL,
	"taken_down" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mirrored_versions_design_id_version_pk" PRIMARY KEY("design_id","version")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "remote_instance" text;--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "origin_actor" text;--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "origin_url" text;--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "origin_instance" text;--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "origin_gone" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "origin_blocked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mirrored_versions" ADD CONSTRAINT "mirrored_versions_design_id_designs_id_fk" FOREIGN KEY ("design_id") REFERENCES "public"."designs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "designs" ADD CONSTRAINT "designs_origin_actor" UNIQUE("origin_actor");--> statement-breakpoint
-- a mirror of a blocked instance is hidden from search like a taken-down design: design_search.hidden follows both
CREATE OR REPLACE FUNCTION design_search_design_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE design_search SET title = NEW.title, category = NEW.category, owner_id = NEW.owner_id, owner_handle = NEW.owner_handle,
    hidden = NEW.hidden OR NEW.origin_blocked, created_at = NEW.created_at, updated_at = NEW.updated_at
  WHERE design_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER designs_design_search ON designs;
--> statement-breakpoint
CREATE TRIGGER designs_design_search AFTER UPDATE OF title, category, owner_id, owner_handle, hidden, origin_blocked, created_at, updated_at ON designs
  FOR EACH ROW WHEN ((OLD.title, OLD.category, OLD.owner_id, OLD.owner_handle, OLD.hidden, OLD.origin_blocked, OLD.created_at, OLD.updated_at)
    IS DISTINCT FROM (NEW.title, NEW.category, NEW.owner_id, NEW.owner_handle, NEW.hidden, NEW.origin_blocked, NEW.created_at, NEW.updated_at))
  EXECUTE FUNCTION design_search_design_changed();
--> statement-breakpoint
-- a blocked instance's mirrors leave parts search too: part_uses lists the BOM lines of visible designs only
CREATE OR REPLACE VIEW part_uses_source AS
  SELECT l.id AS line_id, l.part_key, d.id AS design_id, v.id AS version_id, d.owner_handle, d.slug, v.version, v.major, v.minor, v.patch,
    l.ord, l.position, l.quantity, l.unit
  FROM bom_lines l
  JOIN design_versions v ON v.id = l.version_id AND v.state = 'published'
  JOIN designs d ON d.id = v.design_id AND NOT d.hidden AND NOT d.origin_blocked;
--> statement-breakpoint
DROP TRIGGER designs_part_uses ON designs;
--> statement-breakpoint
CREATE TRIGGER designs_part_uses AFTER UPDATE OF hidden, origin_blocked, owner_handle, slug ON designs
  FOR EACH ROW WHEN (OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.origin_blocked IS DISTINCT FROM NEW.origin_blocked
    OR OLD.owner_handle IS DISTINCT FROM NEW.owner_handle OR OLD.slug IS DISTINCT FROM NEW.slug)
  EXECUTE FUNCTION part_uses_design_changed();
