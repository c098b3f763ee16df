CREATE TABLE "version_boards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"board_id" text NOT NULL,
	"name" text NOT NULL,
	"layers" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"facts" jsonb,
	"subject_key" text NOT NULL,
	CONSTRAINT "version_boards_version_board" UNIQUE("version_id","board_id")
);
--> statement-breakpoint
ALTER TABLE "design_search" ADD COLUMN "board_layers" integer;--> statement-breakpoint
ALTER TABLE "version_boards" ADD CONSTRAINT "version_boards_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;