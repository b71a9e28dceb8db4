CREATE TABLE "auth"."accommodations" (
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"time_multiplier" double precision NOT NULL,
	"extra_breaks" integer NOT NULL,
	"flags" text[] NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accommodations_organization_id_user_id_pk" PRIMARY KEY("organization_id","user_id"),
	CONSTRAINT "accommodations_time_multiplier" CHECK ("auth"."accommodations"."time_multiplier" between 1 and 4),
	CONSTRAINT "accommodations_extra_breaks" CHECK ("auth"."accommodations"."extra_breaks" between 0 and 10)
);
--> statement-breakpoint
CREATE TABLE "exam"."accommodations" (
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"time_multiplier" double precision NOT NULL,
	"extra_breaks" integer NOT NULL,
	"flags" text[] NOT NULL,
	"cleared" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accommodations_organization_id_user_id_pk" PRIMARY KEY("organization_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "accommodations" jsonb;--> statement-breakpoint
ALTER TABLE "analytics"."sessions" ADD COLUMN "accommodations" jsonb;--> statement-breakpoint
ALTER TABLE "auth"."accommodations" ADD CONSTRAINT "accommodations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "auth"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."accommodations" ADD CONSTRAINT "accommodations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth"."accommodations" ADD CONSTRAINT "accommodations_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "auth"."users"("id") ON DELETE no action ON UPDATE no action;