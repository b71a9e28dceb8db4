CREATE SCHEMA "analytics";
--> statement-breakpoint
CREATE TABLE "analytics"."inbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."outbox" (
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
CREATE TABLE "analytics"."users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid,
	"display_name" text,
	"role" text,
	"role_changed_at" timestamp with time zone,
	"disabled" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."classrooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"teacher_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."classroom_members" (
	"classroom_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"role" text NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "classroom_members_classroom_id_user_id_pk" PRIMARY KEY("classroom_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "analytics"."items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"subject" text,
	"topics" text[],
	"status" text,
	"a" double precision,
	"b" double precision,
	"c" double precision,
	"d" double precision,
	"changed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics"."exams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text,
	"kind" text,
	"subject" text,
	"changed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics"."assignments" (
	"classroom_id" uuid NOT NULL,
	"exam_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"assigned" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assignments_classroom_id_exam_id_pk" PRIMARY KEY("classroom_id","exam_id")
);
--> statement-breakpoint
CREATE TABLE "analytics"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"exam_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"exam_kind" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"subject" text,
	"reason" text,
	"theta" double precision,
	"se" double precision,
	"items_answered" integer,
	"correct_count" integer
);
--> statement-breakpoint
CREATE TABLE "analytics"."responses" (
	"session_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"item_id" uuid NOT NULL,
	"exam_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"correct" boolean NOT NULL,
	"pretest" boolean NOT NULL,
	"theta_after" double precision NOT NULL,
	"se_after" double precision NOT NULL,
	"time_taken_ms" integer,
	"answered_at" timestamp with time zone NOT NULL,
	"answered_on" date NOT NULL,
	CONSTRAINT "responses_session_id_position_pk" PRIMARY KEY("session_id","position")
);
--> statement-breakpoint
CREATE TABLE "analytics"."item_promotions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"model" text NOT NULL,
	"a" double precision NOT NULL,
	"b" double precision NOT NULL,
	"c" double precision NOT NULL,
	"se_a" double precision,
	"se_b" double precision,
	"se_c" double precision,
	"sample_size" integer NOT NULL,
	"promoted_by" uuid NOT NULL,
	"promoted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "analytics"."outbox" USING btree ("id") WHERE "analytics"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "users_organization_idx" ON "analytics"."users" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "classrooms_organization_idx" ON "analytics"."classrooms" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "classrooms_teacher_idx" ON "analytics"."classrooms" USING btree ("teacher_id");--> statement-breakpoint
CREATE INDEX "classroom_members_user_idx" ON "analytics"."classroom_members" USING btree ("user_id","classroom_id");--> statement-breakpoint
CREATE INDEX "items_organization_idx" ON "analytics"."items" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "items_organization_subject_idx" ON "analytics"."items" USING btree ("organization_id","subject","id");--> statement-breakpoint
CREATE INDEX "assignments_exam_idx" ON "analytics"."assignments" USING btree ("exam_id");--> statement-breakpoint
CREATE INDEX "sessions_student_subject_idx" ON "analytics"."sessions" USING btree ("student_id","subject","completed_at");--> statement-breakpoint
CREATE INDEX "sessions_exam_idx" ON "analytics"."sessions" USING btree ("exam_id","completed_at");--> statement-breakpoint
CREATE INDEX "sessions_organization_idx" ON "analytics"."sessions" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "responses_item_idx" ON "analytics"."responses" USING btree ("item_id","pretest","session_id");--> statement-breakpoint
CREATE INDEX "responses_item_exam_idx" ON "analytics"."responses" USING btree ("item_id","exam_id");--> statement-breakpoint
CREATE INDEX "responses_student_day_idx" ON "analytics"."responses" USING btree ("student_id","answered_on");--> statement-breakpoint
CREATE INDEX "item_promotions_item_idx" ON "analytics"."item_promotions" USING btree ("item_id","promoted_at");