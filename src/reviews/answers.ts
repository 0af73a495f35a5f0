import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { questionnaireAnswers } from '../../db/schema.ts';

/**
 * Stores answers (from the developer through intake, or pasted by a reviewer); an answer
 * that changed goes back to pending review. Returns the ids of the answers that changed.
 */
export async function storeAnswers(
  tx: Tx,
  app: { id: number; cycle: number },
  answers: readonly { questionId: string; answer: string }[],
  source: 'developer' | 'reviewer',
  now: Date,
): Promise<string[]> {
  const changed: string[] = [];
  for (const { questionId, answer } of answers) {
    const text = answer.trim();
    if (!text) continue;
    const [row] = await tx
      .insert(questionnaireAnswers)
      .values({ applicationId: app.id, cycle: app.cycle, questionId, answer: text, source, receivedAt: now })
      .onConflictDoUpdate({
        target: [questionnaireAnswers.applicationId, questionnaireAnswers.cycle, questionnaireAnswers.questionId],
        set: { answer: text, source, receivedAt: now, review: 'pending', reviewedBy: null, reviewedAt: null },
        setWhere: sql`${questionnaireAnswers.answer} is distinct from ${text}`,
      })
      .returning({ questionId: questionnaireAnswers.questionId });
    if (row) changed.push(row.questionId);
  }
  return changed;
}
