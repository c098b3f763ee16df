CREATE TABLE "blocked_instances" (
	"host" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "design_followers" (
	"design_id" uuid NOT NULL,
	"actor_uri" text NOT NULL,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"instance" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "design_followers_design_id_actor_uri_pk" PRIMARY KEY("design_id","actor_uri")
);
--> statement-breakpoint
CREATE TABLE "federation_keys" (
	"actor" text NOT NULL,
	"algorithm" text NOT NULL,
	"private_key" jsonb NOT NULL,
	"public_key" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "federation_keys_actor_algorithm_pk" PRIMARY KEY("actor","algorithm")
);
--> statement-breakpoint
CREATE TABLE "federation_kv" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "federation_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message" jsonb NOT NULL,
	"deliver_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_follow_requesters" (
	"follow_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_follow_requesters_follow_id_user_id_pk" PRIMARY KEY("follow_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "remote_follows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target" text NOT NULL,
	"actor_uri" text NOT NULL,
	"inbox" text NOT NULL,
	"outbox" text,
	"instance" text NOT NULL,
	"owner" text NOT NULL,
	"slug" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"follow_activity" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_follows_actor_uri_unique" UNIQUE("actor_uri")
);
--> statement-breakpoint
ALTER TABLE "designs" ADD COLUMN "federation" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "design_followers" ADD CONSTRAINT "design_followers_design_id_designs_id_fk" FOREIGN KEY ("design_id") REFERENCES "public"."designs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_follow_requesters" ADD CONSTRAINT "remote_follow_requesters_follow_id_remote_follows_id_fk" FOREIGN KEY ("follow_id") REFERENCES "public"."remote_follows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_follow_requesters" ADD CONSTRAINT "remote_follow_requesters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "federation_kv_expires_idx" ON "federation_kv" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "federation_queue_due_idx" ON "federation_queue" USING btree ("deliver_at");