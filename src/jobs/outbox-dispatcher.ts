import { ErrorCode, type WebClient } from '@slack/web-api';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';
import { parsedJson, rowDecoder, rowsOf } from '../../db/rows.ts';
import {
  type ApplicationRow,
  applications,
  developerMessages,
  events,
  type OutboxRow,
  outbox,
  reminders,
  reviewCycles,
} from '../../db/schema.ts';
import { historyLine, withDenialText } from '../../views/events.ts';
import { digestView, reminderText } from '../../views/reminders.ts';
import type { Clock } from '../clock.ts';
import type { Policy } from '../config.ts';
import type { Logger } from '../logger.ts';
import { recordReminderPosted } from '../metrics.ts';
import {
  applicationWithRowsFrom,
  columnsOfA,
  loadApplicationWithRows,
  type ReviewRows,
  reviewRowColumns,
} from '../reviews/workflow-state.ts';
import { createCardDelivery, type Part, type Post, type PostedCard } from './card-delivery.ts';
import { EFFECT_EVENT, findEarlierPost } from './earlier-post.ts';
import { leaseEnded } from './liveness.ts';
import { createPacer } from './pacer.ts';
import { createRefusals } from './refusals.ts';
import { inviteFile, questionnaireFile } from './thread-files.ts';
import { uploadOnce } from './thread-upload.ts';
import { DEFAULT_AUTH_PROBE_MS } from './token-watch.ts';

export type DispatcherDeps = {
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  reviewChannelId: string;
  policy: Policy;
  /** Spacing of posts per channel; 0 turns pacing off (tests). */
  postIntervalMs: number;
  /** Called after an effect was parked (the admins' Home shows the count). */
  onParked?: () => void;
  /** The Web API timeout, also applied to a file's upload step (which is not a Web API call). */
  slackTimeoutMs?: number;
  /** This instance's liveness key while it holds it: its leases end the moment it dies (src/jobs/liveness.ts). */
  instanceKey?: () => number | undefined;
  /**
   * Resolves when this instance has no request to answer (or has waited its most): awaited
   * before each step, so requests are answered before cards are updated.
   */
  afterRequests?: () => Promise<void>;
};

export type DispatcherOptions = {
  /** How often to look for effects queued by other instances and for retries that came due. */
  pollMs: number;
  batchSize?: number;
  /** How long a claimed effect is ours before another instance may take it over, should our liveness marker outlive us. */
  leaseMs?: number;
  /** While Slack refuses the token, how often to ask `auth.test` whether it works again. */
  authProbeMs?: number;
};

const MAX_BACKOFF_MS = 15 * 60_000;

/** A post that had not started when the dispatcher stopped. */
class Halted extends Error {
  constructor() {
    super('the dispatcher stopped before this post');
  }
}
/** An outbox row's lease (a locked_by left behind once locked_until is cleared holds nothing). */
const LEASE = { lockedUntil: sql`o.locked_until`, lockedBy: sql`o.locked_by` };
/**
 * The earliest pending effect of the application of `row` (an id, or null for none), looked up
 * in outbox_pending_by_application_idx. A scalar subquery, not `not exists`: the planner cannot
 * turn it into a join, so it stays one index probe per row whatever the table's statistics say
 * (a fresh or fast-growing outbox is estimated at a few rows, and an anti-join then reads every
 * entry of the partial index, entries of effects done since the last vacuum included).
 */
const firstPendingOf = (row: SQL) => sql`(select min(earlier.id) from ${outbox} earlier
  where earlier.application_id = ${row}.application_id and earlier.done_at is null)`;
/**
 * An outbox row `o` at the head of its application's queue and free to go at `now`: pending,
 * due, not leased, nothing earlier of its application pending. What a claim takes first, and
 * what `pending()` counts.
 */
const dueHead = (now: string) => sql`o.done_at is null and o.available_at <= ${now}::timestamptz
  and ${leaseEnded(LEASE, now)}
  and (o.application_id is null or o.id = ${firstPendingOf(sql`o`)})`;
const FOLLOWER_LEASE = { lockedUntil: sql`f.locked_until`, lockedBy: sql`f.locked_by` };
const decodeOutbox = rowDecoder(outbox);
const decodeApplication = rowDecoder(applications);
const decodeEvent = rowDecoder(events);

/** What a thread line needs: its application, its event, the denial text sent with it, the cycle it ended. */
type ThreadEvent = { app: ApplicationRow; event: typeof events.$inferSelect; denial?: string; endedCycle?: number };

/**
 * A claimed effect, with what its delivery reads, read with the claim: a chain's leading
 * `card.sync` comes with what its card shows, a `thread.event` with its line's event. `more`:
 * an effect of the same application is due after it and was not claimed with it.
 */
type Claimed = { item: OutboxRow; card?: { app: ApplicationRow; rows: ReviewRows }; thread?: ThreadEvent; more: boolean };

/**
 * The columns of a thread line's application `a` and event `e`: the denial text sent with the
 * event (as denialSentWith finds it: the application's denial message sent at the event's
 * instant) and the review cycle the event ended, if it ended one.
 */
const threadEventColumns = sql`row_to_json(a) as app, row_to_json(e) as event,
  (select m.body from ${developerMessages} m
    where m.application_id = e.application_id and m.kind = 'denial' and m.sent_at = e.at limit 1) as denial,
  (select c.number from ${reviewCycles} c where c.application_id = a.id and c.outcome_event_id = e.id) as ended_cycle`;

function threadEventFrom(row: Record<string, unknown>): ThreadEvent {
  return {
    app: decodeApplication(parsedJson(row.app)),
    event: decodeEvent(parsedJson(row.event)),
    ...(typeof row.denial === 'string' ? { denial: row.denial } : {}),
    ...(row.ended_cycle === null || row.ended_cycle === undefined ? {} : { endedCycle: Number(row.ended_cycle) }),
  };
}

/** Claimed effects by application, each chain in id order; an effect of no application is a chain of its own. */
function chainsOf(batch: readonly Claimed[]): Claimed[][] {
  const chains = new Map<number | string, Claimed[]>();
  for (const claimed of [...batch].sort((a, b) => a.item.id - b.item.id)) {
    const key = claimed.item.applicationId ?? `own:${claimed.item.id}`;
    const chain = chains.get(key);
    if (chain) chain.push(claimed);
    else chains.set(key, [claimed]);
  }
  return [...chains.values()];
}

/**
 * Delivers queued Slack effects after their transaction committed. Effects of one application
 * go out in the order they were queued (the card exists before its thread lines); effects of
 * different applications do not wait on each other. Safe to run on many instances at once.
 */
export function createOutboxDispatcher(deps: DispatcherDeps, options: DispatcherOptions) {
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  /** Set by stop(): no new batch is claimed, and posts still waiting for their paced slot are given back. */
  let halting = false;
  let halt = new AbortController();
  const pacer = createPacer(deps.postIntervalMs);
  /**
   * Effects whose last post Slack refused outright (429, `ok: false`), so their retry need not
   * look for an earlier post. What this instance saw only: another instance, or this one after a
   * restart, looks.
   */
  const refusedLastTime = new Set<number>();
  const refusals = createRefusals({ ...deps, probeMs: options.authProbeMs ?? DEFAULT_AUTH_PROBE_MS });

  /**
   * Claims what may go now, in one statement: the head of every application's queue (its
   * earliest pending effect, when due and not leased), oldest first, as many as a batch holds,
   * each with the effect that follows it when that one is due too. Every application advances
   * at the same pace (a long queue of one never holds back the cards of the others), and a
   * decision's card and thread line are one claim, not one claim each. At most two batches of
   * posts, paced at about one a second per channel, stay well inside the lease.
   *
   * `for update skip locked` may pass over a row another claim is taking at this instant; a
   * row whose earlier pending effects are not all in this claim is left for the next one, so
   * a skipped row never has its successors delivered before it.
   *
   * A `card.sync` that leads its chain comes with its application and review rows, read in the
   * same statement (everything the card shows); any later one in a chain reads them when it is
   * delivered, after what went before it (a card posted again) is stored.
   */
  async function claim(): Promise<Claimed[]> {
    const now = deps.clock.now().toISOString();
    const leaseUntil = new Date(deps.clock.now().getTime() + leaseMs).toISOString();
    const holder = deps.instanceKey?.() ?? null;
    const result = await executePrepared(
      deps.db,
      sql`
      with heads as (
        select o.id, o.application_id from ${outbox} o
        where ${dueHead(now)}
        order by o.id
        limit ${batchSize}
        for update skip locked
      ), followers as (
        select f.id, f.application_id from heads h
        cross join lateral (
          select o.id, o.application_id, o.available_at, o.locked_until, o.locked_by from ${outbox} o
          where o.application_id = h.application_id and o.done_at is null and o.id > h.id
          order by o.id
          limit 1
          for update skip locked
        ) f
        where f.available_at <= ${now}::timestamptz and ${leaseEnded(FOLLOWER_LEASE, now)}
      ), candidates as (
        select id, application_id from heads union all select id, application_id from followers
      ), claimed as (
        update ${outbox} t set locked_until = ${leaseUntil}::timestamptz, locked_by = ${holder}::int,
          attempts = t.attempts + 1, first_attempt_at = coalesce(t.first_attempt_at, ${now}::timestamptz)
        from candidates c
        where t.id = c.id and (c.application_id is null
          or (select count(*) from ${outbox} earlier
              where earlier.application_id = c.application_id and earlier.done_at is null and earlier.id < c.id)
            = (select count(*) from candidates k where k.application_id = c.application_id and k.id < c.id))
        returning t.*
      )
      select row_to_json(c) as item, card.*, to_json(line) as line,
        exists (
          select 1 from ${outbox} n
          where n.application_id = c.application_id and n.done_at is null and n.id > c.id
            and n.available_at <= ${now}::timestamptz and n.id not in (select id from claimed)
        ) as more
      from claimed c
      left join lateral (
        select row_to_json(a) as application,
          ${reviewRowColumns(columnsOfA)}
        from ${applications} a
        where a.id = c.application_id and c.kind = 'card.sync'
          and not exists (select 1 from claimed p where p.application_id = c.application_id and p.id < c.id)
      ) card on true
      left join lateral (
        select ${threadEventColumns}
        from ${applications} a join ${events} e on e.id = (c.payload->>'eventId')::bigint
        where a.id = c.application_id and c.kind = 'thread.event'
      ) line on c.kind = 'thread.event'`,
    );
    return rowsOf(result)
      .map((row) => {
        const line = parsedJson(row.line) as Record<string, unknown> | null;
        return {
          item: decodeOutbox(parsedJson(row.item)),
          ...(row.application === null || row.application === undefined ? {} : { card: applicationWithRowsFrom(row) }),
          ...(line?.event ? { thread: threadEventFrom(line) } : {}),
          more: row.more === true,
        };
      })
      .sort((a, b) => a.item.id - b.item.id);
  }

  async function applicationOf(id: number): Promise<ApplicationRow> {
    const [app] = await deps.db.select().from(applications).where(eq(applications.id, id));
    if (!app) throw new Error(`application ${id} not found`);
    return app;
  }

  /** A thread line's application and event with what goes with them (threadEventColumns), in one query. */
  async function threadEventOf(applicationId: number, eventId: number): Promise<ThreadEvent> {
    const result = await executePrepared(
      deps.db,
      sql`
      select ${threadEventColumns}
      from ${applications} a left join ${events} e on e.id = ${eventId}::bigint
      where a.id = ${applicationId}::integer`,
    );
    const [row] = rowsOf(result);
    if (!row) throw new Error(`application ${applicationId} not found`);
    if (row.event === null || row.event === undefined) throw new Error(`event ${eventId} not found`);
    return threadEventFrom(row);
  }

  /**
   * The ts of this effect's message if an earlier attempt posted it. Only a retry whose earlier
   * fate is unknown looks: the answer to that attempt may have been lost (a timeout, a dropped
   * connection) or the process killed after Slack posted; posting again would show reviewers a
   * second card or line.
   */
  async function postedEarlier(
    item: OutboxRow,
    channel: string,
    threadTs: string | undefined,
    part: Part,
  ): Promise<string | undefined> {
    if (item.attempts <= 1 || refusedLastTime.has(item.id)) return undefined;
    return findEarlierPost(deps, item, channel, threadTs, part);
  }

  /** Posts the effect's message once: a retry that finds its earlier post answers that one. */
  async function postOnce(
    item: OutboxRow,
    message: Post,
    part?: Part,
  ): Promise<{ channel: string; ts: string; earlier: boolean }> {
    const earlier = await postedEarlier(item, message.channel, message.thread_ts, part);
    if (earlier) {
      deps.logger.info({ outboxId: item.id, kind: item.kind }, 'slack effect was already posted by an earlier attempt');
      return { channel: message.channel, ts: earlier, earlier: true };
    }
    await pacer.wait(message.channel, halt.signal);
    // A backlog paced at one post a second would hold a shutdown for a whole batch (20 s and more).
    if (halting) throw new Halted();
    refusedLastTime.delete(item.id);
    const posted = await deps.slack.chat
      .postMessage({
        ...message,
        unfurl_links: false,
        metadata: { event_type: EFFECT_EVENT, event_payload: { outbox_id: item.id, ...(part ? { part } : {}) } },
      } as Parameters<WebClient['chat']['postMessage']>[0])
      .catch((error: unknown) => {
        if (refusedOutright(error)) refusedLastTime.add(item.id);
        throw error;
      });
    if (!posted.ts || !posted.channel) throw new Error('chat.postMessage answered without channel and ts');
    return { channel: posted.channel, ts: posted.ts, earlier: false };
  }

  /**
   * Cards posted since the last settle, by application: stored with it, in its statement. Only
   * one drain runs at a time (runOnce), so these are all its batch's.
   */
  const postedCards = new Map<number, PostedCard>();
  const cards = createCardDelivery(deps, postOnce, (applicationId, card) => postedCards.set(applicationId, card));

  /** The application as this batch left it: with the card it posted, not yet stored (settleDelivered stores it). */
  function withPostedCard(app: ApplicationRow): ApplicationRow {
    const posted = postedCards.get(app.id);
    return posted ? { ...app, cardChannel: posted.channel, cardTs: posted.ts, cardPermalink: posted.permalink } : app;
  }

  /** Delivers one effect, over what it read (with the claim or now) and any card posted before it in this batch. */
  async function deliver({ item, card, thread }: Claimed): Promise<void> {
    const payload = item.payload as Record<string, unknown>;
    if (item.kind === 'channel.digest') {
      const [reminder] = await deps.db
        .select()
        .from(reminders)
        .where(eq(reminders.key, String(payload.key)));
      if (!reminder) throw new Error(`reminder ${String(payload.key)} not found`);
      const view = digestView(reminder.key.slice('digest:'.length), reminder.data as Parameters<typeof digestView>[1]);
      await postOnce(item, { channel: deps.reviewChannelId, ...view });
      recordReminderPosted('digest');
      return;
    }
    if (item.applicationId === null) throw new Error(`outbox ${item.id} has no application`);
    switch (item.kind) {
      case 'card.sync': {
        // The application and everything its card shows: read with the claim, or in one query.
        const loaded = card ?? (await loadApplicationWithRows(deps.db, item.applicationId));
        if (!loaded) throw new Error(`application ${item.applicationId} not found`);
        await cards.sync(item, withPostedCard(loaded.app), loaded.rows);
        return;
      }
      case 'thread.event': {
        const read = thread ?? (await threadEventOf(item.applicationId, Number(payload.eventId)));
        const { event, denial, endedCycle } = read;
        const text = withDenialText(historyLine({ ...event, payload: event.payload as Record<string, unknown> }), denial);
        const line = await cards.postInThread(item, withPostedCard(read.app), text);
        await cards.storeCycleOutcomeLink(read.app.id, endedCycle, line);
        return;
      }
      case 'thread.reminder': {
        const app = withPostedCard(await applicationOf(item.applicationId));
        const [reminder] = await deps.db
          .select()
          .from(reminders)
          .where(eq(reminders.key, String(payload.key)));
        if (!reminder) throw new Error(`reminder ${String(payload.key)} not found`);
        const text = reminderText(reminder.kind, reminder.data as Record<string, unknown>);
        await cards.postInThread(item, app, text);
        recordReminderPosted(reminder.kind);
        return;
      }
      case 'thread.file': {
        const app = withPostedCard(await applicationOf(item.applicationId));
        const card = await cards.cardOf(item, app);
        const file =
          payload.file === 'invite'
            ? await inviteFile(deps.db, deps.slack, app, Number(payload.meetingId), deps.clock.now())
            : await questionnaireFile(deps.db, app);
        await uploadOnce({ ...deps, timeoutMs: deps.slackTimeoutMs ?? 10_000 }, item, card, file);
        return;
      }
      default:
        throw new Error(`unknown outbox kind ${item.kind}`);
    }
  }

  /** Slack answered and did nothing: rate limited, or an `ok: false` error. */
  function refusedOutright(error: unknown): boolean {
    const code = (error as { code?: string }).code;
    return code === ErrorCode.RateLimitedError || code === ErrorCode.PlatformError;
  }

  function retryDelay(error: unknown, attempts: number): number {
    const coded = error as { code?: string; retryAfter?: number };
    if (coded.code === ErrorCode.RateLimitedError && typeof coded.retryAfter === 'number') {
      return coded.retryAfter * 1000;
    }
    return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
  }

  /**
   * Marks delivered effects done and stores where the cards posted meanwhile are, all in one
   * statement. A card posted by an effect that then failed is stored too: its retry goes under it.
   */
  async function settleDelivered(items: OutboxRow[]): Promise<void> {
    const moved = [...postedCards].map(([id, card]) => ({ id, ...card }));
    if (items.length === 0 && moved.length === 0) return;
    for (const item of items) refusedLastTime.delete(item.id);
    const storeCards =
      moved.length === 0
        ? sql``
        : sql`with moved as (
        update ${applications} a set card_channel = m.channel, card_ts = m.ts, card_permalink = m.permalink
        from json_to_recordset(${JSON.stringify(moved)}::json) as m(id integer, channel text, ts text, permalink text)
        where a.id = m.id
      )`;
    await executePrepared(
      deps.db,
      sql`${storeCards}
      update ${outbox} set done_at = ${deps.clock.now().toISOString()}::timestamptz, locked_until = null, last_error = null
      where id = any(${`{${items.map((item) => item.id).join(',')}}`}::bigint[])`,
    );
    // Kept until stored: should the statement fail, the next settle stores them.
    for (const { id } of moved) postedCards.delete(id);
  }

  /** Claimed and never tried: given back as they were, for whichever instance polls next. */
  async function giveBack(items: OutboxRow[]): Promise<void> {
    if (items.length === 0) return;
    await deps.db
      .update(outbox)
      .set({ lockedUntil: null, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
      .where(
        inArray(
          outbox.id,
          items.map((item) => item.id),
        ),
      );
  }

  async function settleFailed(item: OutboxRow, error: unknown): Promise<void> {
    const now = deps.clock.now();
    if (error instanceof Halted) return giveBack([item]);
    const refused = await refusals.settle(item, error);
    if (refused === 'parked') refusedLastTime.delete(item.id);
    if (refused) return;
    const delay = retryDelay(error, item.attempts);
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn(
      {
        outboxId: item.id,
        kind: item.kind,
        applicationId: item.applicationId,
        attempts: item.attempts,
        retryInMs: delay,
        err: error,
      },
      'slack effect failed; will retry',
    );
    await deps.db
      .update(outbox)
      .set({ lockedUntil: null, lastError: message.slice(0, 1000), availableAt: new Date(now.getTime() + delay) })
      .where(eq(outbox.id, item.id));
  }

  /**
   * One application's claimed effects, in order: the first failure ends the chain, and what
   * came after it is given back untried (its order must wait for the failed one's retry).
   */
  async function deliverChain(chain: Claimed[]) {
    const done: OutboxRow[] = [];
    for (const [i, claimed] of chain.entries()) {
      try {
        await deps.afterRequests?.();
        await deliver(claimed);
        done.push(claimed.item);
      } catch (error) {
        return { done, failed: { item: claimed.item, error }, untried: chain.slice(i + 1).map((c) => c.item) };
      }
    }
    return { done, untried: [] as OutboxRow[] };
  }

  /** Delivers everything due now; resolves with how many effects were delivered. */
  async function drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      if (halting || (await refusals.stopped())) return delivered;
      await deps.afterRequests?.();
      const batch = await claim();
      if (batch.length === 0) return delivered;
      // Each application's chain in order; chains of different applications side by side.
      const chains = chainsOf(batch);
      const outcomes = await Promise.all(chains.map(deliverChain));
      const done = outcomes.flatMap((o) => o.done);
      await deps.afterRequests?.();
      await settleDelivered(done);
      delivered += done.length;
      await giveBack(outcomes.flatMap((o) => o.untried));
      for (const { failed } of outcomes) if (failed) await settleFailed(failed.item, failed.error);
      // A claim short of a batch, with nothing due left behind any application's effects in it,
      // took everything due: what was queued since then kicked another drain (onCommitted), what
      // comes due later is polled for. No claim only to hear "nothing".
      if (batch.length < batchSize && !batch.some((claimed) => claimed.more)) return delivered;
    }
  }

  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((error: unknown) => {
        deps.logger.error({ err: error }, 'outbox drain failed; will retry on the next tick');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return running;
  }

  return {
    /** A full pass that starts after this call (a pass already running may have looked before it). */
    async drain(): Promise<number> {
      await running;
      // Asked for explicitly (tests, a one-off command): delivers even after stop(), which only halts polling and the pass in flight.
      if (halting) {
        halting = false;
        halt = new AbortController();
      }
      return runOnce();
    },
    /** How many effects this instance could deliver now: due, not leased by another, not behind an earlier one of their application. */
    async pending(): Promise<number> {
      const now = deps.clock.now().toISOString();
      const result = await deps.db.execute(sql`
        select count(*)::int as n from ${outbox} o
        where ${dueHead(now)}`);
      return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    },
    /** Set while Slack refuses the bot token: delivery is stopped (`/readyz` reports it). */
    tokenRefused(): { code: string; since: Date } | undefined {
      return refusals.tokenRefused();
    },
    /** Asks for a drain soon: called after a use case commits so effects go out at once. */
    kick(): void {
      if (!stopped) void runOnce();
    },
    start(): void {
      stopped = false;
      halting = false;
      halt = new AbortController();
      timer = setInterval(() => void runOnce(), options.pollMs);
      timer.unref();
      void runOnce();
    },
    /** Stops polling and waits for the effects in flight. */
    async stop(): Promise<void> {
      stopped = true;
      halting = true;
      halt.abort();
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;
