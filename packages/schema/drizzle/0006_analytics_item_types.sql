ALTER TABLE "analytics"."items" ADD COLUMN "type" text;--> statement-breakpoint
ALTER TABLE "analytics"."items" ADD COLUMN "categories" integer;--> statement-breakpoint
ALTER TABLE "analytics"."items" ADD COLUMN "irt" jsonb;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "types" jsonb;--> statement-breakpoint
ALTER TABLE "analytics"."responses" ADD COLUMN "score" integer;--> statement-breakpoint
ALTER TABLE "analytics"."responses" ADD COLUMN "max_score" integer;--> statement-breakpoint
UPDATE "analytics"."responses" SET "score" = CASE WHEN "correct" THEN 1 ELSE 0 END, "max_score" = 1;--> statement-breakpoint
ALTER TABLE "analytics"."responses" ALTER COLUMN "score" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics"."responses" ALTER COLUMN "max_score" SET NOT NULL;