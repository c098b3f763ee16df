ALTER TABLE "design_search" ADD COLUMN "head" "tsvector" GENERATED ALWAYS AS (ts_filter(document, '{a,b,c}')) STORED;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "owner_handle" text;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "created_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "updated_at" timestamp (3) with time zone;--> statement-breakpoint
-- design_search's copy of a design's own columns follows the design, whatever changes it (an edit, a publish, a
-- takedown, a deleted account's new handle, an admin command, migrate-data); refreshDesignSearch writes them when
-- it makes the row.
CREATE FUNCTION design_search_design_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE design_search SET title = NEW.title, category = NEW.category, owner_id = NEW.owner_id, owner_handle = NEW.owner_handle,
    hidden = NEW.hidden, created_at = NEW.created_at, updated_at = NEW.updated_at
  WHERE design_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER designs_design_search AFTER UPDATE OF title, category, owner_id, owner_handle, hidden, created_at, updated_at ON designs
  FOR EACH ROW WHEN ((OLD.title, OLD.category, OLD.owner_id, OLD.owner_handle, OLD.hidden, OLD.created_at, OLD.updated_at)
    IS DISTINCT FROM (NEW.title, NEW.category, NEW.owner_id, NEW.owner_handle, NEW.hidden, NEW.created_at, NEW.updated_at))
  EXECUTE FUNCTION design_search_design_changed();
--> statement-breakpoint
UPDATE design_search s SET title = d.title, category = d.category, owner_id = d.owner_id, owner_handle = d.owner_handle,
  hidden = d.hidden, created_at = d.created_at, updated_at = d.updated_at
FROM designs d WHERE d.id = s.design_id;
