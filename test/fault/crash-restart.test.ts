import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import type { SlackRequester } from '../../src/sandbox/slack-requests.ts';
import { type BotProcess, type KillRig, type ProcessDatabase, startBotProcess, startKillRig } from '../support/bot-process.ts';
import { applicationBody } from '../support/fixtures.ts';
import { ADMIN_API_TOKEN, CHANNEL, INTAKE_TOKEN, USERS } from '../support/harness.ts';
import { halfWritten, rowsOf } from '../support/invariants.ts';
import { ALL_PASS, input, values } from '../support/reviewer.ts';
import { channelByApplication, untilQuiet, waitFor } from '../support/slack-observer.ts';

/** Applications made before the load: half get claimed, half get their business review, during it. */
const BEFORE = 24;
/** New applications posted during the load. */
const DURING = 60;
/** The process is killed once this many requests of the load were acknowledged (about mid-way). */
const KILL_AFTER_ACKS = 40;
const CONCURRENCY = 6;
/** Statuses moved this far back while the bot is down: every open application is stale (5 business days) at the next sweep. */
const AGE = sql`update applications set status_since = status_since - interval '30 days'`;

let emulator: RunningEmulator;
let database: ProcessDatabase;
let slack: SlackRequester;
let env: Record<string, string>;
let bot: BotProcess | undefined;
let rig: KillRig | undefined;

beforeAll(async () => {
  rig = await startKillRig();
  ({ emulator, database, env, slack } = rig);
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await rig?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${env.PORT}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${path.startsWith('/api/reminders') ? ADMIN_API_TOKEN : INTAKE_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
// Sweeps run at the bot's now: an instant in the future would only be a dry run.
const sweep = async () => expect((await post('/api/reminders/sweep', {})).status).toBe(200);
const cardOf = (id: number) => channelByApplication(emulator).cards.get(id)?.[0];
const STALE = ':alarm_clock:';

type Task = { kind: 'intake' | 'claim' | 'review' | 'sweep'; run: () => Promise<{ ok: boolean; id?: number }> };
type Result = 'acked' | 'refused' | 'lost' | 'unsent';

/** Runs the tasks a few at a time and SIGKILLs the bot once enough were acknowledged; in-flight ones are cut. */
async function runAndKill(tasks: Task[]) {
  const results: Result[] = tasks.map(() => 'unsent');
  const ids: (number | undefined)[] = [];
  let next = 0;
  let acked = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < tasks.length) {
      const i = next++;
      try {
        const answer = await (tasks[i] as Task).run();
        results[i] = answer.ok ? 'acked' : 'refused';
        ids[i] = answer.id;
        if (answer.ok) acked += 1;
      } catch {
        results[i] = 'lost';
      }
      if (!killed && acked >= KILL_AFTER_ACKS) {
        killed = true;
        await bot?.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { results, ids };
}

describe('kill -9 in the middle of a load of decisions', () => {
  it('loses no acknowledged intake or decision, and posts nothing twice', { timeout: 180_000 }, async () => {
    bot = await startBotProcess(env);
    const before: number[] = [];
    for (let i = 0; i < BEFORE; i += 1)
      before.push(((await (await post('/api/applications', applicationBody())).json()) as { id: number }).id);
    await waitFor(() => before.every((id) => cardOf(id)), 'the first cards');
    const reviewed = before.slice(0, BEFORE / 2);
    const claimed = before.slice(BEFORE / 2);
    const viewOf = new Map<number, string>();
    // Modals only: the bot also publishes App Homes (debounced, at any moment), which are views too.
    const modals = () => [...emulator.state.views.values()].filter((v) => v.type === 'modal' && v.user === USERS.reviewer);
    for (const id of reviewed) {
      const count = modals().length;
      await slack.messageAction({
        user: USERS.reviewer,
        channel: CHANNEL,
        ts: cardOf(id)?.ts ?? '',
        action: { actionId: 'card.business_review', blockId: 'card.actions', value: `${id}:1` },
      });
      await waitFor(() => modals().length > count, `the business review modal of #${id}`);
      viewOf.set(id, modals().at(-1)?.id ?? '');
    }
    await sweep();

    const tasks: Task[] = [
      ...Array.from(
        { length: DURING },
        (): Task => ({
          kind: 'intake',
          run: async () => {
            const res = await post('/api/applications', applicationBody());
            const json = (await res.json()) as { id?: number };
            return { ok: res.status === 201, ...(json.id ? { id: json.id } : {}) };
          },
        }),
      ),
      ...claimed.map(
        (id): Task => ({
          kind: 'claim',
          run: async () => {
            const action = { actionId: 'card.claim', blockId: 'card.actions', value: `${id}:1` };
            const res = await slack.messageAction({ user: USERS.reviewer2, channel: CHANNEL, ts: cardOf(id)?.ts ?? '', action });
            return { ok: res.status === 200, id };
          },
        }),
      ),
      ...reviewed.map(
        (id): Task => ({
          kind: 'review',
          run: async () => {
            const fields = values({ ...ALL_PASS, decision: input.radio('advance') });
            const res = await slack.viewSubmission({ user: USERS.reviewer, viewId: viewOf.get(id) ?? '', values: fields });
            return { ok: res.status === 200 && !res.text, id };
          },
        }),
      ),
      { kind: 'sweep', run: async () => ({ ok: (await post('/api/reminders/sweep', {})).ok }) },
    ];
    // A fixed interleaving (not random), so a failure replays the same way.
    const order = tasks.map((t, i) => ({ t, key: (i * 7919) % tasks.length })).sort((a, b) => a.key - b.key);
    const { results, ids } = await runAndKill(order.map((o) => o.t));
    const acked = order.flatMap((o, i) => (results[i] === 'acked' ? [{ kind: o.t.kind, id: ids[i] }] : []));
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(results.some((r) => r !== 'acked')).toBe(true);

    const inFlight = await database.inspect(async (db) => {
      const [row] = await rowsOf(
        db,
        sql`select count(*)::int as n from outbox where done_at is null and locked_until is not null`,
      );
      // Left as the dead process left them: its leases end with its liveness marker, not a minute later.
      await db.execute(AGE);
      return Number(row?.n ?? 0);
    });

    bot = await startBotProcess(env);
    await sweep();
    const ackedIntakes = acked.filter((a) => a.kind === 'intake').map((a) => a.id as number);
    await waitFor(() => ackedIntakes.every((id) => cardOf(id)), 'cards of acknowledged intakes', 60_000);
    await untilQuiet(emulator);
    await bot.kill('SIGTERM');
    bot = undefined;

    const stored = await database.inspect(async (db) => ({
      apps: await rowsOf(db, sql`select id from applications order by id`),
      events: await rowsOf(db, sql`select application_id as app, type from events`),
      reminders: await rowsOf(db, sql`select application_id as app, kind from reminders`),
      pending: await rowsOf(db, sql`select id, kind, last_error from outbox where done_at is null`),
      torn: await halfWritten(db),
    }));
    const eventsOf = (id: number, type?: string) =>
      stored.events.filter((e) => Number(e.app) === id && (type === undefined || e.type === type)).length;
    expect(stored.torn).toEqual([]);
    expect(stored.pending).toEqual([]);
    for (const a of acked) {
      if (a.kind === 'intake') expect(eventsOf(a.id as number, 'application.received'), `intake #${a.id}`).toBe(1);
      if (a.kind === 'claim') expect(eventsOf(a.id as number, 'application.claimed'), `claim of #${a.id}`).toBe(1);
      if (a.kind === 'review') expect(eventsOf(a.id as number, 'business_review.passed'), `review of #${a.id}`).toBe(1);
    }

    const seen = channelByApplication(emulator);
    const dup = { cards: 0, lines: 0, reminders: 0 };
    for (const row of stored.apps) {
      const id = Number(row.id);
      const cards = seen.cards.get(id)?.length ?? 0;
      const thread = seen.threads.get(id) ?? [];
      const lines = thread.filter((t) => !t.startsWith(STALE)).length;
      const reminded = thread.length - lines;
      const due = stored.reminders.filter((r) => Number(r.app) === id).length;
      expect(cards, `cards of #${id}`).toBeGreaterThanOrEqual(1);
      expect(lines, `thread lines of #${id}`).toBeGreaterThanOrEqual(eventsOf(id) - 1);
      expect(reminded, `reminders of #${id}`).toBeGreaterThanOrEqual(due);
      dup.cards += cards - 1;
      dup.lines += lines - (eventsOf(id) - 1);
      dup.reminders += reminded - due;
    }
    expect(seen.others).toHaveLength(stored.reminders.filter((r) => r.kind === 'digest').length);
    console.log(
      `[fault] kill -9 (${database.kind}): ${acked.length}/${results.length} requests acknowledged before the kill, ` +
        `${inFlight} effects in flight at the kill; duplicates after restart: ${JSON.stringify(dup)}`,
    );
    // A post in flight at the kill is found by its retry (message metadata), not made again.
    expect(dup).toEqual({ cards: 0, lines: 0, reminders: 0 });
  });
});
