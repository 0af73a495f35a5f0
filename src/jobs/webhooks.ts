import { createHmac } from 'node:crypto';
import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { applications, developerMessages, events, webhookState } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { recordWebhookDelivery } from '../metrics.ts';
import { eventOutline } from '../reviews/event-outline.ts';
import { leaseEnded } from './liveness.ts';

/** The developer-facing text an event carries, by the message kind recorded with it. */
const MESSAGE_KINDS: Record<string, string> = {
  'business_review.rejected': 'denial',
  'security.rejected': 'denial',
  'review.rejected': 'denial',
  'role_review.denied': 'denial',
  'information.requested': 'information_request',
  'questionnaire.sent': 'questionnaire',
  'review.clarification_required': 'clarification',
};

const MAX_BACKOFF_MS = 10 * 60_000;
const BATCH = 50;
const STATE_ROW = 1;
/**
 * Longer than a batch can take (50 posts × 10 s timeout), so a live relay never loses its lease;
 * a dead instance's lease ends with its liveness marker instead (src/jobs/liveness.ts).
 */
const LEASE_MS = 10 * 60_000;

/** `v1=HMAC-SHA256(secret, "<timestamp>.<body>")`, hex; receivers recompute it to trust the body. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

type Watch = { gapFrontier: number | null; gapXmax: number | null };

/**
 * Which events after the cursor go now, and what becomes of the watch on a hole in the ids.
 * `before` is a snapshot taken before `pending` was read (none when no hole was being watched).
 * Answers `watchFrom` (the frontier of a hole to watch from a snapshot taken after the read)
 * when a hole is seen for the first time or past a settled frontier; a watch with no hole left
 * is dropped; one not yet settled is kept and waited for.
 */
export function planDelivery<E extends { id: number }>(
  pending: readonly E[],
  state: { lastEventId: number; gapFrontier: number | null; gapXmax: number | null },
  before: { xmin: number } | undefined,
): { ready: E[]; watch?: Watch; watchFrom?: number | null } {
  const settledUpTo =
    state.gapXmax !== null && before !== undefined && before.xmin >= state.gapXmax ? (state.gapFrontier ?? 0) : 0;
  let expected = state.lastEventId + 1;
  const ready: E[] = [];
  for (const event of pending) {
    if (event.id !== expected && event.id > settledUpTo) break;
    ready.push(event);
    expected = event.id + 1;
  }
  const hole = ready.length < pending.length;
  if (hole && (state.gapXmax === null || settledUpTo > 0)) return { ready, watchFrom: pending.at(-1)?.id ?? null };
  if (!hole && state.gapXmax !== null) return { ready, watch: { gapFrontier: null, gapXmax: null } };
  return { ready };
}

/**
 * Relays every event to WEBHOOK_URL in event order (so in order per application), one at a
 * time: the cursor moves only after a 2xx, so a receiver that acknowledged an event never gets
 * it again from us, and one that failed gets it again, with backoff, until it answers.
 * The cursor is leased while sending, so two instances never send the same event, and no
 * transaction stays open across HTTP (embedded PGlite has a single connection).
 */
export function createWebhookRelay(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  url: string;
  secret: string;
  timeoutMs?: number;
  /** This instance's liveness key while it holds it. */
  instanceKey?: () => number | undefined;
}) {
  async function payloadOf(event: typeof events.$inferSelect) {
    const [app] = await deps.db.select().from(applications).where(eq(applications.id, event.applicationId));
    const kind = MESSAGE_KINDS[event.type];
    const [message] = kind
      ? await deps.db
          .select({ body: developerMessages.body })
          .from(developerMessages)
          .where(
            and(
              eq(developerMessages.applicationId, event.applicationId),
              eq(developerMessages.kind, kind),
              eq(developerMessages.sentAt, event.at),
            ),
          )
      : [];
    // Events recorded before snapshots existed fall back to the state the application is in.
    const { id, type, ...outline } = eventOutline(event, app);
    return {
      id,
      type,
      applicationId: event.applicationId,
      profileId: app?.profileId,
      ...outline,
      ...(message ? { text: message.body } : {}),
    };
  }

  async function post(body: string): Promise<void> {
    const timestamp = String(Math.floor(deps.clock.now().getTime() / 1000));
    const response = await fetch(deps.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pii-review-timestamp': timestamp,
        'x-pii-review-signature': webhookSignature(deps.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) throw new Error(`receiver answered ${response.status}`);
  }

  /** Takes the cursor for a while (a lease, no transaction held across HTTP), or answers undefined. */
  async function lease() {
    const now = deps.clock.now();
    const until = new Date(now.getTime() + LEASE_MS);
    await deps.db.insert(webhookState).values({ id: STATE_ROW }).onConflictDoNothing();
    const [state] = await deps.db
      .update(webhookState)
      .set({ lockedUntil: until, lockedBy: deps.instanceKey?.() ?? null })
      .where(
        and(
          eq(webhookState.id, STATE_ROW),
          leaseEnded(
            { lockedUntil: sql`${webhookState.lockedUntil}`, lockedBy: sql`${webhookState.lockedBy}` },
            now.toISOString(),
          ),
          or(isNull(webhookState.nextAttemptAt), lte(webhookState.nextAttemptAt, now)),
        ),
      )
      .returning();
    return state;
  }

  /** Where the database's transactions stand: below `xmin` all have ended; from `xmax` on none had begun. */
  async function snapshot(): Promise<{ xmin: number; xmax: number }> {
    const [row] = rowsOf<{ xmin: string; xmax: string }>(
      await deps.db.execute(
        sql`select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax from pg_current_snapshot() s`,
      ),
    );
    if (!row) throw new Error('pg_current_snapshot() answered nothing');
    return { xmin: Number(row.xmin), xmax: Number(row.xmax) };
  }

  /**
   * The events after the cursor that may go now, in id order. Ids are drawn at insert, and
   * transactions commit in any order, so a missing id may belong to a transaction still open
   * (wait for it) or to one that rolled back (skip it). Every writer holds an xid before it draws
   * an id (src/reviews/record.ts), so an id missing below the highest visible one was drawn by a
   * transaction below the xmax of a snapshot taken after that read: once the xmin of a later
   * snapshot passes it, every such transaction has ended, and the ids still missing up to that
   * frontier never will appear.
   *
   * Two snapshots, on either side of the read, because each rule needs its own side: the one
   * that settles a watch is taken before the read (a transaction that ended before it is visible
   * to the read, so an id it filled is read, never skipped), and the one that starts a watch is
   * taken after (its xmax is past every transaction that drew a missing id).
   */
  async function deliverable(state: typeof webhookState.$inferSelect) {
    const before = state.gapXmax === null ? undefined : await snapshot();
    const pending = await deps.db
      .select()
      .from(events)
      .where(gt(events.id, state.lastEventId))
      .orderBy(asc(events.id))
      .limit(BATCH);
    const plan = planDelivery(pending, state, before);
    if (plan.watchFrom === undefined) return plan;
    const after = await snapshot();
    return { ...plan, watch: { gapFrontier: plan.watchFrom, gapXmax: after.xmax } };
  }

  /** Sends what is due; resolves with how many events were delivered. */
  async function drain(): Promise<number> {
    const state = await lease();
    if (!state) return 0;
    const { ready: pending, watch } = await deliverable(state);
    if (watch) await deps.db.update(webhookState).set(watch).where(eq(webhookState.id, STATE_ROW));
    let cursor = state.lastEventId;
    let failure: { attempts: number; delay: number; message: string } | undefined;
    for (const event of pending) {
      try {
        await post(JSON.stringify(await payloadOf(event)));
        cursor = event.id;
        recordWebhookDelivery(true);
        // Each acknowledged event moves the cursor at once: a crash now never resends it.
        await deps.db.update(webhookState).set({ lastEventId: cursor, attempts: 0 }).where(eq(webhookState.id, STATE_ROW));
      } catch (error) {
        recordWebhookDelivery(false);
        const attempts = state.attempts + 1;
        failure = {
          attempts,
          delay: Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1)),
          message: error instanceof Error ? error.message : String(error),
        };
        deps.logger.warn(
          { eventId: event.id, attempts, retryInMs: failure.delay, err: error },
          'webhook delivery failed; will retry',
        );
        break;
      }
    }
    const now = deps.clock.now();
    await deps.db
      .update(webhookState)
      .set(
        failure
          ? {
              attempts: failure.attempts,
              nextAttemptAt: new Date(now.getTime() + failure.delay),
              lastError: failure.message.slice(0, 500),
              lockedUntil: null,
              lockedBy: null,
            }
          : { attempts: 0, nextAttemptAt: null, lastError: null, lockedUntil: null, lockedBy: null },
      )
      .where(eq(webhookState.id, STATE_ROW));
    return pending.filter((e) => e.id <= cursor).length;
  }

  return { drain };
}

export type WebhookRelay = ReturnType<typeof createWebhookRelay>;
