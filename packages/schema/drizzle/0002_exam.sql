CREATE SCHEMA "exam";
--> statement-breakpoint
CREATE TYPE "exam"."exam_kind" AS ENUM('fixed', 'adaptive');--> statement-breakpoint
CREATE TYPE "exam"."item_status" AS ENUM('draft', 'pretest', 'active', 'retired');--> statement-breakpoint
CREATE TYPE "exam"."session_status" AS ENUM('in_progress', 'completed');--> statement-breakpoint
CREATE TABLE "exam"."items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"stem" text NOT NULL,
	"options" jsonb NOT NULL,
	"correct_index" smallint NOT NULL,
	"subject" text NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"a" double precision DEFAULT 1 NOT NULL,
	"b" double precision NOT NULL,
	"c" double precision DEFAULT 0 NOT NULL,
	"d" double precision DEFAULT 1 NOT NULL,
	"status" "exam"."item_status" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_options_count" CHECK (jsonb_typeof("exam"."items"."options") = 'array' and jsonb_array_length("exam"."items"."options") between 2 and 6),
	CONSTRAINT "items_correct_index" CHECK ("exam"."items"."correct_index" >= 0 and "exam"."items"."correct_index" < jsonb_array_length("exam"."items"."options")),
	CONSTRAINT "items_a_range" CHECK ("exam"."items"."a" > 0 and "exam"."items"."a" <= 5),
	CONSTRAINT "items_b_range" CHECK ("exam"."items"."b" >= -6 and "exam"."items"."b" <= 6),
	CONSTRAINT "items_c_range" CHECK ("exam"."items"."c" >= 0 and "exam"."items"."c" < 0.5),
	CONSTRAINT "items_d_range" CHECK ("exam"."items"."d" > 0.5 and "exam"."items"."d" <= 1 and "exam"."items"."c" < "exam"."items"."d")
);
--> statement-breakpoint
CREATE TABLE "exam"."item_bank_versions" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam"."exams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" "exam"."exam_kind" NOT NULL,
	"subject" text,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"item_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"settings" jsonb NOT NULL,
	"stopping" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam"."assignments" (
	"exam_id" uuid NOT NULL,
	"classroom_id" uuid NOT NULL,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignments_exam_id_classroom_id_pk" PRIMARY KEY("exam_id","classroom_id")
);
--> statement-breakpoint
CREATE TABLE "exam"."classrooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"teacher_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam"."classroom_members" (
	"classroom_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "classroom_members_classroom_id_user_id_pk" PRIMARY KEY("classroom_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "exam"."inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exam_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"status" "exam"."session_status" DEFAULT 'in_progress' NOT NULL,
	"seed" integer NOT NULL,
	"theta" double precision NOT NULL,
	"se" double precision NOT NULL,
	"response_count" integer DEFAULT 0 NOT NULL,
	"items_answered" integer DEFAULT 0 NOT NULL,
	"correct_count" integer DEFAULT 0 NOT NULL,
	"current_item_id" uuid,
	"current_served_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"stop_reason" text,
	"result" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam"."responses" (
	"session_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"option_index" smallint NOT NULL,
	"correct" boolean NOT NULL,
	"pretest" boolean DEFAULT false NOT NULL,
	"theta_after" double precision NOT NULL,
	"se_after" double precision NOT NULL,
	"time_taken_ms" integer,
	"served_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "responses_session_id_position_pk" PRIMARY KEY("session_id","position")
);
--> statement-breakpoint
CREATE TABLE "exam"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "exam"."assignments" ADD CONSTRAINT "assignments_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "exam"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD CONSTRAINT "sessions_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "exam"."exams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD CONSTRAINT "responses_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "exam"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "items_organization_idx" ON "exam"."items" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "items_organization_subject_idx" ON "exam"."items" USING btree ("organization_id","subject","status");--> statement-breakpoint
CREATE INDEX "items_topics_idx" ON "exam"."items" USING gin ("topics");--> statement-breakpoint
CREATE INDEX "exams_organization_idx" ON "exam"."exams" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "assignments_classroom_idx" ON "exam"."assignments" USING btree ("classroom_id");--> statement-breakpoint
CREATE INDEX "classrooms_organization_idx" ON "exam"."classrooms" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "classroom_members_user_idx" ON "exam"."classroom_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_exam_student_key" ON "exam"."sessions" USING btree ("exam_id","student_id");--> statement-breakpoint
CREATE INDEX "sessions_student_idx" ON "exam"."sessions" USING btree ("student_id","id");--> statement-breakpoint
CREATE INDEX "sessions_exam_idx" ON "exam"."sessions" USING btree ("exam_id","id");--> statement-breakpoint
CREATE INDEX "sessions_open_deadline_idx" ON "exam"."sessions" USING btree ("deadline_at") WHERE status = 'in_progress' and deadline_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "responses_session_item_key" ON "exam"."responses" USING btree ("session_id","item_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "exam"."outbox" USING btree ("id") WHERE "exam"."outbox"."published_at" is null;