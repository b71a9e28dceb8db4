CREATE TYPE "exam"."item_type" AS ENUM('single', 'multiple', 'numeric', 'text', 'rating');--> statement-breakpoint
CREATE TABLE "exam"."passages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"ref" text,
	"title" text,
	"stimulus" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exam"."items" DROP CONSTRAINT "items_options_count";--> statement-breakpoint
ALTER TABLE "exam"."items" DROP CONSTRAINT "items_correct_index";--> statement-breakpoint
ALTER TABLE "exam"."items" ALTER COLUMN "correct_index" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."responses" ALTER COLUMN "option_index" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "type" "exam"."item_type" DEFAULT 'single' NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "ref" text;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "key" jsonb;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "irt" jsonb;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "passage_id" uuid;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "passage_position" integer;--> statement-breakpoint
ALTER TABLE "exam"."items" ADD COLUMN "enemy_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD COLUMN "answer" jsonb;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD COLUMN "score" smallint;--> statement-breakpoint
UPDATE "exam"."responses" SET "score" = CASE WHEN "correct" THEN 1 ELSE 0 END;--> statement-breakpoint
ALTER TABLE "exam"."responses" ALTER COLUMN "score" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD COLUMN "max_score" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "passages_organization_idx" ON "exam"."passages" USING btree ("organization_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "passages_organization_ref_key" ON "exam"."passages" USING btree ("organization_id","ref");--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_passage_id_passages_id_fk" FOREIGN KEY ("passage_id") REFERENCES "exam"."passages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "items_organization_ref_key" ON "exam"."items" USING btree ("organization_id","ref");--> statement-breakpoint
CREATE INDEX "items_passage_idx" ON "exam"."items" USING btree ("passage_id","passage_position");--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_key" CHECK (case when "exam"."items"."type" in ('multiple', 'numeric', 'text') then "exam"."items"."key" is not null and jsonb_typeof("exam"."items"."key") = 'object' else "exam"."items"."key" is null end);--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_irt" CHECK ("exam"."items"."irt" is null or ("exam"."items"."type" in ('multiple', 'rating') and jsonb_typeof("exam"."items"."irt") = 'object'));--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_passage" CHECK (("exam"."items"."passage_id" is null) = ("exam"."items"."passage_position" is null));--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_options_count" CHECK (jsonb_typeof("exam"."items"."options") = 'array' and case when "exam"."items"."type" in ('numeric', 'text') then jsonb_array_length("exam"."items"."options") = 0 else jsonb_array_length("exam"."items"."options") between 2 and 10 end);--> statement-breakpoint
ALTER TABLE "exam"."items" ADD CONSTRAINT "items_correct_index" CHECK (case when "exam"."items"."type" = 'single' then "exam"."items"."correct_index" is not null and "exam"."items"."correct_index" >= 0 and "exam"."items"."correct_index" < jsonb_array_length("exam"."items"."options") else "exam"."items"."correct_index" is null end);