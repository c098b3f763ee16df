CREATE TABLE "version_downloads" (
	"version_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"path" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "version_downloads_version_id_kind_path_day_pk" PRIMARY KEY("version_id","kind","path","day")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "digest" text;--> statement-breakpoint
ALTER TABLE "version_downloads" ADD CONSTRAINT "version_downloads_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;