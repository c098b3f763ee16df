CREATE TABLE "mirrored_versions" (
	"design_id" uuid NOT NULL,
	"version" text NOT NULL,
	"object_uri" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"remote" jsonb NOT NULL,
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
ALTER TABLE "designs" ADD CONSTRAINT "designs_origin_actor" UNIQUE("origin_actor");