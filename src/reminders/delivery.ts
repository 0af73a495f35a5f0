import { count, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import type { OutboxDispatcher } from '../jobs/outbox-dispatcher.ts';

/** Where the effects a sweep queued stand: sent, refused by Slack for good (parked), or still in the outbox. */
export type Delivery = { sent: number; parked: number; waiting: number };

export const NOTHING_QUEUED: Delivery = { sent: 0, parked: 0, waiting: 0 };

async function deliveryOf(db: Db, ids: readonly number[]): Promise<Delivery> {
  if (ids.length === 0) return NOTHING_QUEUED;
  const [row] = await db
    .select({
      settled: count(outbox.doneAt),
      parked: count(outbox.parkedAt),
    })
    .from(outbox)
    .where(inArray(outbox.id, [...ids]));
  const settled = row?.settled ?? 0;
  const parked = row?.parked ?? 0;
  return { sent: settled - parked, parked, waiting: ids.length - settled };
}

/**
 * Drains the outbox until the sweep's effects are settled. With `waitMs`, it waits that long
 * for effects held back (a retry, Retry-After, another instance's lease), looking again every
 * `pollMs`; without it, one pass over what is due now is all: what is left, the bot retries.
 */
export async function deliverSweep(
  deps: { db: Db; dispatcher: Pick<OutboxDispatcher, 'drain'> },
  ids: readonly number[],
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<Delivery> {
  if (ids.length === 0) return NOTHING_QUEUED;
  const until = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const drained = await deps.dispatcher.drain();
    const delivery = await deliveryOf(deps.db, ids);
    if (delivery.waiting === 0 || Date.now() >= until) return delivery;
    // Held back: look again shortly, never spin on the database.
    if (drained === 0) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}
