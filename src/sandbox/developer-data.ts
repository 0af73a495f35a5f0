import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications, clarificationQuestions, questionnaireAnswers, webhookState } from '../../db/schema.ts';
import type { Submission } from '../intake/application.ts';
import { sentQuestionnaire } from '../reviews/workflow-state.ts';

/** One application as its developer knows it: what they sent, and what they were asked. */
export type DeveloperApplication = {
  id: number;
  profileId: string;
  organization: string;
  stage: string;
  status: string;
  productionSince: string | null;
};

export type DeveloperDetail = DeveloperApplication & {
  /** The profile as last sent (intake's shape, without answers and go-live). */
  submission: Submission;
  /** The questionnaire sent to this application, with the answers the developer gave so far. */
  questionnaire: { version: string; questions: { id: string; text: string; answer: string | null }[] } | null;
  /** Clarification questions from the architecture review still open. */
  openQuestions: string[];
};

/**
 * The developer's own records, read from the sandbox's database: a real developer's system keeps
 * what it sent and what it was asked. Sandbox only; the product has no such read.
 */
export type DeveloperData = {
  applications(): Promise<DeveloperApplication[]>;
  detail(id: number): Promise<DeveloperDetail | undefined>;
};

const brief = (row: typeof applications.$inferSelect): DeveloperApplication => ({
  id: row.id,
  profileId: row.profileId,
  organization: row.organizationName,
  stage: row.stage,
  status: row.status,
  productionSince: row.productionSince?.toISOString() ?? null,
});

export function developerData(db: Db): DeveloperData {
  return {
    async applications() {
      const rows = await db.select().from(applications).orderBy(desc(applications.id)).limit(100);
      return rows.map(brief);
    },
    async detail(id) {
      const [row] = await db.select().from(applications).where(eq(applications.id, id));
      if (!row) return undefined;
      const sent = await sentQuestionnaire(db, row.questionnaireVersion);
      const given = sent
        ? await db
            .select({ questionId: questionnaireAnswers.questionId, answer: questionnaireAnswers.answer })
            .from(questionnaireAnswers)
            .where(eq(questionnaireAnswers.applicationId, id))
        : [];
      const answerOf = new Map(given.map((a) => [a.questionId, a.answer]));
      const open = await db
        .select({ text: clarificationQuestions.text })
        .from(clarificationQuestions)
        .where(and(eq(clarificationQuestions.applicationId, id), isNull(clarificationQuestions.answeredAt)))
        .orderBy(asc(clarificationQuestions.id));
      return {
        ...brief(row),
        submission: row.submission as Submission,
        questionnaire: sent
          ? {
              version: sent.version,
              questions: sent.questions.map((q) => ({ id: q.id, text: q.text, answer: answerOf.get(q.id) ?? null })),
            }
          : null,
        openQuestions: open.map((q) => q.text),
      };
    },
  };
}

/**
 * The developer inbox lives in memory: when the sandbox starts on a database it kept, the bot's
 * webhooks are sent again from the first event, so the inbox shows what was sent before the restart.
 */
export async function replayWebhooks(db: Db): Promise<void> {
  await db.delete(webhookState);
}
