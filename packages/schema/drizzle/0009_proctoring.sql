CREATE TABLE "exam"."proctor_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "extended_s" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "voided_by" uuid;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "void_reason" text;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "voided" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "void_reason" text;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "extension_s" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "deadline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exam"."proctor_actions" ADD CONSTRAINT "proctor_actions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "exam"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proctor_actions_session_idx" ON "exam"."proctor_actions" USING btree ("session_id","at");