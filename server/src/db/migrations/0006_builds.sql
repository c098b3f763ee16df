CREATE TABLE "build_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"format" text NOT NULL,
	"upload_sha256" text,
	"original_sha256" text,
	"width" integer,
	"height" integer,
	"variants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "build_photos_report_n" UNIQUE("report_id","n")
);
--> statement-breakpoint
CREATE TABLE "build_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"design_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"workshop_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"state" text DEFAULT 'submitted' NOT NULL,
	"outcome" text NOT NULL,
	"bom_checksum" text,
	"country" text NOT NULL,
	"started_on" date,
	"finished_on" date,
	"hours" numeric,
	"units_built" integer,
	"cost_amount" numeric,
	"cost_currency" text,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deviations" text,
	"safety_notes" text,
	"notes" text,
	"submitted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "build_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"remarks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"safety_checked" boolean,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workshop_members" (
	"workshop_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshop_members_workshop_id_user_id_pk" PRIMARY KEY("workshop_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "workshops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"region" text,
	"country" text NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"processes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tools" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshops_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "build_photos" ADD CONSTRAINT "build_photos_report_id_build_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."build_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_photos" ADD CONSTRAINT "build_photos_upload_sha256_blobs_sha256_fk" FOREIGN KEY ("upload_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_photos" ADD CONSTRAINT "build_photos_original_sha256_blobs_sha256_fk" FOREIGN KEY ("original_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_reports" ADD CONSTRAINT "build_reports_design_id_designs_id_fk" FOREIGN KEY ("design_id") REFERENCES "public"."designs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_reports" ADD CONSTRAINT "build_reports_version_id_design_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."design_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_reports" ADD CONSTRAINT "build_reports_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_reports" ADD CONSTRAINT "build_reports_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_transitions" ADD CONSTRAINT "build_transitions_report_id_build_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."build_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "build_transitions" ADD CONSTRAINT "build_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_members" ADD CONSTRAINT "workshop_members_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_members" ADD CONSTRAINT "workshop_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshops" ADD CONSTRAINT "workshops_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "build_reports_version_idx" ON "build_reports" USING btree ("version_id","state");--> statement-breakpoint
CREATE INDEX "build_reports_queue_idx" ON "build_reports" USING btree ("state","submitted_at");--> statement-breakpoint
CREATE INDEX "build_reports_workshop_idx" ON "build_reports" USING btree ("workshop_id");--> statement-breakpoint
CREATE INDEX "build_transitions_report_idx" ON "build_transitions" USING btree ("report_id","at");--> statement-breakpoint
CREATE INDEX "workshops_country_idx" ON "workshops" USING btree ("country");