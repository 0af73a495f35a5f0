import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/** Empties every table (the sandbox's reset button and test isolation); never used on a real deployment. */
export async function resetDatabase(db: Db): Promise<void> {
  await db.execute(sql`truncate table outbox, slack_alerts, events, gaps, questionnaire_answers, developer_messages, processed_requests,
    templates, meetings, clarification_questions, restricted_calls, remediation_items, audits, reminders, webhook_state, developer_replies, denial_reasons, applications,
    questionnaire_versions restart identity cascade`);
}
