CREATE TABLE "exam"."item_timing" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"responses" integer NOT NULL,
	"median_ms" double precision NOT NULL,
	"threshold_ms" integer,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "current_threshold_ms" integer;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "rapid_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD COLUMN "rapid_guess" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."responses" ADD COLUMN "threshold_ms" integer;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "rapid_guesses" integer;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "effort" double precision;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "low_effort" boolean;--> statement-breakpoint
ALTER TABLE "analytics"."responses" ADD COLUMN "rapid_guess" boolean;