CREATE TABLE "version_texts" (
	"version_id" uuid NOT NULL,
	"path" text NOT NULL,
	"lang" text NOT NULL,
	"sha256" text NOT NULL,
	"source_sha256" text,
	"text" text NOT NULL,
	CONSTRAINT "version_texts_version_id_path_pk" PRIMARY KEY("version_id","path")
);
--> statement-breakpoint
ALTER TABLE "version_texts" ADD CONSTRAINT "version_texts_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;