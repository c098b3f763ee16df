CREATE TABLE "bom_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"ord" integer NOT NULL,
	"depth" integer NOT NULL,
	"position" text NOT NULL,
	"part_number" text,
	"mpn" text,
	"name" text NOT NULL,
	"material" text,
	"process" text,
	"quantity" text NOT NULL,
	"unit" text NOT NULL,
	"line" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "version_boms" (
	"version_id" uuid PRIMARY KEY NOT NULL,
	"checksum" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"line_count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bom_lines" ADD CONSTRAINT "bom_lines_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_boms" ADD CONSTRAINT "version_boms_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bom_lines_version_idx" ON "bom_lines" USING btree ("version_id","ord");--> statement-breakpoint
CREATE INDEX "bom_lines_part_idx" ON "bom_lines" USING btree ("part_number");