CREATE TABLE "design_search" (
	"design_id" uuid PRIMARY KEY NOT NULL,
	"latest_version_id" uuid,
	"document" "tsvector" NOT NULL,
	"name_text" text NOT NULL,
	"processes" text[] DEFAULT '{}'::text[] NOT NULL,
	"license_family" text,
	"readiness" text,
	"countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"approved_builds" integer DEFAULT 0 NOT NULL,
	"completeness" integer,
	"published_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "design_search" ADD CONSTRAINT "design_search_design_id_designs_id_fk" FOREIGN KEY ("design_id") REFERENCES "public"."designs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "design_search" ADD CONSTRAINT "design_search_latest_version_id_design_versions_id_fk" FOREIGN KEY ("latest_version_id") REFERENCES "public"."design_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "design_search_document_idx" ON "design_search" USING gin ("document");--> statement-breakpoint
CREATE INDEX "design_search_name_trgm_idx" ON "design_search" USING gin ("name_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "design_search_processes_idx" ON "design_search" USING gin ("processes");