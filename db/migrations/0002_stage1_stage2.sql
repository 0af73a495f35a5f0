CREATE TABLE "developer_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "developer_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"template_version" integer,
	"sent_by" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gaps" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gaps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"area" text NOT NULL,
	"severity" text NOT NULL,
	"description" text NOT NULL,
	"question_id" text,
	"raised_by" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "processed_requests" (
	"key" text NOT NULL,
	"application_id" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questionnaire_answers" (
	"application_id" integer NOT NULL,
	"question_id" text NOT NULL,
	"answer" text NOT NULL,
	"source" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"review" text DEFAULT 'pending' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "questionnaire_answers_application_id_question_id_pk" PRIMARY KEY("application_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "questionnaire_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "templates_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "info_rounds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "questionnaire_version" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "questionnaire_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "developer_messages" ADD CONSTRAINT "developer_messages_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gaps" ADD CONSTRAINT "gaps_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questionnaire_answers" ADD CONSTRAINT "questionnaire_answers_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "developer_messages_application_idx" ON "developer_messages" USING btree ("application_id","id");--> statement-breakpoint
CREATE INDEX "gaps_open_idx" ON "gaps" USING btree ("application_id") WHERE "gaps"."resolved_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "processed_requests_key_idx" ON "processed_requests" USING btree ("key");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_questionnaire_version_questionnaire_versions_version_fk" FOREIGN KEY ("questionnaire_version") REFERENCES "public"."questionnaire_versions"("version") ON DELETE no action ON UPDATE no action;