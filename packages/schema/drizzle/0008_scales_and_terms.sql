CREATE TABLE "analytics"."scales" (
	"organization_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"slope" double precision NOT NULL,
	"intercept" double precision NOT NULL,
	"decimals" integer NOT NULL,
	"min" double precision,
	"max" double precision,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "scales_organization_id_subject_pk" PRIMARY KEY("organization_id","subject"),
	CONSTRAINT "scales_slope" CHECK ("analytics"."scales"."slope" <> 0),
	CONSTRAINT "scales_decimals" CHECK ("analytics"."scales"."decimals" between 0 and 3),
	CONSTRAINT "scales_bounds" CHECK ("analytics"."scales"."min" is null or "analytics"."scales"."max" is null or "analytics"."scales"."min" < "analytics"."scales"."max")
);
--> statement-breakpoint
CREATE TABLE "analytics"."terms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "terms_range" CHECK ("analytics"."terms"."starts_at" < "analytics"."terms"."ends_at")
);
--> statement-breakpoint
CREATE INDEX "terms_organization_idx" ON "analytics"."terms" USING btree ("organization_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "terms_organization_name_idx" ON "analytics"."terms" USING btree ("organization_id","name");