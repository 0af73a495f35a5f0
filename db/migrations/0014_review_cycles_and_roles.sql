CREATE TABLE "application_roles" (
	"application_id" integer NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "application_roles_application_id_role_pk" PRIMARY KEY("application_id","role")
);
--> statement-breakpoint
CREATE TABLE "review_cycles" (
	"application_id" integer NOT NULL,
	"number" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"outcome" text,
	"ended_at_stage" text,
	"outcome_event_id" bigint,
	"outcome_permalink" text,
	"fast_tracked_to" text,
	"fast_track_reason" text,
	"fast_tracked_by" text,
	"purged_at" timestamp with time zone,
	CONSTRAINT "review_cycles_application_id_number_pk" PRIMARY KEY("application_id","number")
);
--> statement-breakpoint
ALTER TABLE "questionnaire_answers" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "questionnaire_answers_application_id_question_id_pk";--> statement-breakpoint
ALTER TABLE "questionnaire_answers" ADD CONSTRAINT "questionnaire_answers_application_id_cycle_question_id_pk" PRIMARY KEY("application_id","cycle","question_id");--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "role_review_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "role_review_stages" jsonb;--> statement-breakpoint
ALTER TABLE "clarification_questions" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "denial_reasons" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "developer_messages" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "developer_replies" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "gaps" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "application_roles" ADD CONSTRAINT "application_roles_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_cycles" ADD CONSTRAINT "review_cycles_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;