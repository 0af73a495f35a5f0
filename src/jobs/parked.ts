import { count, eq, isNotNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { outbox, slackAlerts } from '../../db/schema.ts';
import { type Read, read, readOne } from '../../db/together.ts';
import type { SlackDeliveryDetail } from '../http/intake-routes.ts';
import type { Logger } from '../logger.ts';

export type ParkedCause = { cause: string; count: number };

/** Settles an effect as failed: done (so the application's later effects go on) and marked parked with Slack's code. */
export async function parkEffect(db: Db, id: number, cause: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ doneAt: now, parkedAt: now, parkedError: cause, lockedUntil: null, lastError: cause })
    .where(eq(outbox.id, id));
}

/**
 * Claims the one admin alert of a cause; true for the instance that should post it. A claim
 * survives restarts and holds across instances, so the channel hears of a cause once.
 */
export async function claimAlert(db: Db, cause: string, now: Date): Promise<boolean> {
  const claimed = await db.insert(slackAlerts).values({ cause, at: now }).onConflictDoNothing().returning();
  return claimed.length > 0;
}

/** Parked effects by cause, most frequent first: what the Home, `/readyz` and `/pii retry-parked` show. */
export function parkedByCauseRead(db: DbOrTx): Read<ParkedCause[]> {
  return read(
    db
      .select({ cause: outbox.parkedError, count: count() })
      .from(outbox)
      .where(isNotNull(outbox.parkedAt))
      .groupBy(outbox.parkedError),
    (rows) =>
      rows
        .map((r) => ({ cause: r.cause ?? 'unknown', count: Number(r.count) }))
        .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)),
  );
}

export function parkedByCause(db: Db): Promise<ParkedCause[]> {
  return readOne(db, parkedByCauseRead(db));
}

export async function parkedCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outbox).where(isNotNull(outbox.parkedAt));
  return Number(row?.n ?? 0);
}

/**
 * Puts every parked effect back in the queue as if new (an admin fixed the cause: invited the bot,
 * unarchived the channel, granted a scope) and forgets the alerts, so a cause that comes back is
 * reported again. One transaction: a retry never half happens. Answers how many went back.
 */
export async function retryParked(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const back = await tx
      .update(outbox)
      .set({ doneAt: null, parkedAt: null, parkedError: null, attempts: 0, availableAt: now, lockedUntil: null })
      .where(isNotNull(outbox.parkedAt))
      .returning({ id: outbox.id });
    await tx.delete(slackAlerts);
    return back.length;
  });
}

/** `/readyz` detail: how many effects are parked, and Slack's refusal of the token while delivery is stopped. */
export async function slackDeliveryDetail(
  db: Db,
  dispatcher: { tokenRefused(): { code: string } | undefined },
): Promise<SlackDeliveryDetail> {
  const refused = dispatcher.tokenRefused();
  return { parkedEffects: await parkedCount(db), ...(refused ? { slackToken: refused.code } : {}) };
}

/**
 * An admin's retry: what was parked, by cause, now back in the queue. The caller kicks the
 * dispatcher. Logged with who asked (no applicant data in the causes).
 */
export async function retryParkedEffects(
  deps: { db: Db; clock: { now(): Date }; logger: Logger },
  user: string,
): Promise<ParkedCause[]> {
  const causes = await parkedByCause(deps.db);
  if (causes.length === 0) return causes;
  const retried = await retryParked(deps.db, deps.clock.now());
  deps.logger.info({ user, retried, causes }, 'an admin put parked slack effects back in the queue');
  return causes;
}
