ALTER TYPE "exam"."session_status" ADD VALUE 'paused' BEFORE 'completed';--> statement-breakpoint
ALTER TYPE "exam"."session_status" ADD VALUE 'suspended' BEFORE 'completed';--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "last_activity_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "paused_by" uuid;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "exam"."sessions" ADD COLUMN "paused_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_idle_idx" ON "exam"."sessions" USING btree ("last_activity_at") WHERE status = 'in_progress';--> statement-breakpoint
CREATE INDEX "sessions_stopped_idx" ON "exam"."sessions" USING btree ("started_at") WHERE paused_at is not null;