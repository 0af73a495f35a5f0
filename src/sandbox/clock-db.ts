import { and, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox, webhookState } from '../../db/schema.ts';

/**
 * After "back to now": Slack effects and webhook retries that were put off to an instant in the
 * sandbox's future would otherwise wait for real time to catch up (up to months). They become due
 * now. Leases are left alone: they end with their batch, and taking one would risk a double post.
 */
export async function duePendingNow(db: Db, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ availableAt: now })
    .where(and(isNull(outbox.doneAt), isNull(outbox.parkedAt), gt(outbox.availableAt, now)));
  await db.update(webhookState).set({ nextAttemptAt: now }).where(gt(webhookState.nextAttemptAt, now));
}
