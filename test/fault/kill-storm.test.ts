import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import type { SlackRequester } from '../../src/sandbox/slack-requests.ts';
import {
  type BotProcess,
  type KillRig,
  LONG_FAULT_RUN,
  type ProcessDatabase,
  startBotProcess,
  startKillRig,
} from '../support/bot-process.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, INTAKE_TOKEN, USERS } from '../support/harness.ts';
import { halfWritten, rowsOf } from '../support/invariants.ts';
import { cardApplicationId, channelByApplication, untilQuiet, waitFor } from '../support/slack-observer.ts';

/**
 * A team importing its backlog on day one (intakes at 8 concurrent, reviewers claiming the
 * cards as they come) while the bot is killed with SIGKILL again and again. The long form
 * (`npm run test:fault`) is the scale of the incident: 2,200 requests, 10 kills; `npm test`
 * runs a short form of the same scenario.
 */
const LONG = LONG_FAULT_RUN;
const REQUESTS = LONG ? 2_200 : 240;
const KILLS = LONG ? 10 : 3;
const CONCURRENCY = 8;
/** Share of requests that are decisions (a claim of a card already posted) rather than intakes. */
const DECISIONS = 0.2;
const STALE = ':alarm_clock:';

let emulator: RunningEmulator;
let database: ProcessDatabase;
let slack: SlackRequester;
let env: Record<string, string>;
let bot: BotProcess | undefined;
let rig: KillRig | undefined;

beforeAll(async () => {
  rig = await startKillRig({ LOG_LEVEL: 'warn' });
  ({ emulator, database, env, slack } = rig);
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await rig?.close();
});

/** A fixed pseudo-random sequence, so a failure replays the same kill points. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Cards in the channel by application, read incrementally (the channel grows to thousands of posts). */
function cardIndex() {
  const ts = new Map<number, string>();
  let read = 0;
  return (id: number): string | undefined => {
    const messages = emulator.state.messages;
    for (; read < messages.length; read += 1) {
      const m = messages[read];
      if (!m || m.channel !== CHANNEL || m.threadTs) continue;
      const app = cardApplicationId(m);
      if (app !== undefined && !ts.has(app)) ts.set(app, m.ts);
    }
    return ts.get(id);
  };
}

describe('kill -9 ten times during a backlog import', () => {
  it(`every acknowledged intake gets one card and every acknowledged decision one line (${REQUESTS} requests, ${KILLS} kills)`, {
    timeout: LONG ? 1_800_000 : 300_000,
  }, async () => {
    const random = seeded(17);
    // Kill points, in acknowledgements: one in each tenth of the load, the last one close to its end.
    const killAt = Array.from({ length: KILLS }, (_, i) => Math.floor((REQUESTS * (i + 0.8 - 0.5 * random())) / KILLS));
    const cardOf = cardIndex();
    const acked = { intakes: [] as number[], claims: [] as number[] };
    const received: number[] = [];
    const claimed = new Set<number>();
    let lost = 0;
    let sent = 0;
    let acks = 0;
    let kills = 0;
    let lastRestart = 0;
    let readyAfterMs = 0;
    /** Acknowledged intakes still without a card when the bot was last killed: the backlog the restart inherits. */
    let backlogAtKill = 0;
    const started = Date.now();

    bot = await startBotProcess(env);
    let up: Promise<void> = Promise.resolve();
    let restarting = false;
    const restart = async () => {
      await bot?.kill('SIGKILL');
      kills += 1;
      lastRestart = Date.now();
      backlogAtKill = acked.intakes.filter((id) => !cardOf(id)).length;
      bot = await startBotProcess(env);
      readyAfterMs = Date.now() - lastRestart;
    };
    const nextClaim = (): number | undefined => {
      for (const id of received) if (!claimed.has(id) && cardOf(id)) return id;
      return undefined;
    };
    const intake = async () => {
      const res = await fetch(`http://127.0.0.1:${env.PORT}/api/applications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(applicationBody()),
      });
      const json = (await res.json()) as { id?: number };
      if (res.status === 201 && json.id) {
        acked.intakes.push(json.id);
        received.push(json.id);
        return true;
      }
      return false;
    };
    const claim = async (id: number) => {
      claimed.add(id);
      const action = { actionId: 'card.claim', blockId: 'card.actions', value: `${id}:1` };
      const res = await slack.messageAction({ user: USERS.reviewer, channel: CHANNEL, ts: cardOf(id) ?? '', action });
      if (res.status !== 200) return false;
      acked.claims.push(id);
      return true;
    };
    const worker = async () => {
      while (sent < REQUESTS) {
        await up;
        sent += 1;
        const id = random() < DECISIONS ? nextClaim() : undefined;
        try {
          if (await (id === undefined ? intake() : claim(id))) acks += 1;
        } catch {
          lost += 1; // cut by a kill: not acknowledged, so nothing is promised about it
        }
        if (!restarting && acks >= (killAt[0] ?? Number.POSITIVE_INFINITY)) {
          killAt.shift();
          restarting = true;
          up = restart();
          await up;
          restarting = false;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const loadEndedAfterMs = Date.now() - lastRestart;
    expect(kills).toBe(KILLS);

    // Complete: every acknowledged intake has its card, every acknowledged claim its thread line.
    const lines = (id: number) => {
      const ts = cardOf(id);
      return emulator.state.messages.filter((m) => m.threadTs === ts && m.ts !== ts && !m.text.startsWith(STALE)).length;
    };
    const pendingClaims = new Set(acked.claims);
    await waitFor(
      () => {
        if (!acked.intakes.every((id) => cardOf(id))) return false;
        for (const id of pendingClaims) if (lines(id) > 0) pendingClaims.delete(id);
        return pendingClaims.size === 0;
      },
      'the cards and lines of everything acknowledged',
      LONG ? 600_000 : 120_000,
    );
    const completeAfterMs = Date.now() - lastRestart;
    await untilQuiet(emulator);
    await bot.kill('SIGTERM');
    bot = undefined;

    const stored = await database.inspect(async (db) => ({
      apps: await rowsOf(db, sql`select id from applications order by id`),
      events: await rowsOf(db, sql`select application_id as app, type from events`),
      pending: await rowsOf(db, sql`select id, kind, attempts, last_error from outbox where done_at is null`),
      retried: Number((await rowsOf(db, sql`select count(*)::int as n from outbox where attempts > 1`))[0]?.n ?? 0),
      torn: await halfWritten(db),
    }));
    const seen = channelByApplication(emulator);
    const eventsOf = (id: number, type?: string) =>
      stored.events.filter((e) => Number(e.app) === id && (type === undefined || e.type === type)).length;
    const storedIds = new Set(stored.apps.map((a) => Number(a.id)));
    const missing = { cards: 0, lines: 0 };
    const doubled = { cards: 0, lines: 0 };
    for (const id of storedIds) {
      const cards = seen.cards.get(id)?.length ?? 0;
      const threadLines = (seen.threads.get(id) ?? []).filter((t) => !t.startsWith(STALE)).length;
      const due = eventsOf(id) - 1; // every event but application.received has its line
      missing.cards += Math.max(0, 1 - cards);
      doubled.cards += Math.max(0, cards - 1);
      missing.lines += Math.max(0, due - threadLines);
      doubled.lines += Math.max(0, threadLines - due);
    }
    const posted = [...seen.cards.values()].reduce((n, c) => n + c.length, 0);
    console.log(
      `[fault] kill storm (${database.kind}): ${REQUESTS} requests at ${CONCURRENCY} concurrent, ${kills} kill -9; ` +
        `acknowledged ${acked.intakes.length} intakes and ${acked.claims.length} decisions, ${lost} cut by a kill; ` +
        `${storedIds.size} applications stored, ${posted} cards posted, ${stored.retried} effects retried; missing ${JSON.stringify(missing)}, doubled ${JSON.stringify(doubled)}; ` +
        `at the last kill ${backlogAtKill} acknowledged intakes had no card yet; after the last restart: ready in ` +
        `${(readyAfterMs / 1000).toFixed(1)} s, load done in ${(loadEndedAfterMs / 1000).toFixed(1)} s, ` +
        `channel complete in ${(completeAfterMs / 1000).toFixed(1)} s; ` +
        `run ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );

    expect(stored.torn).toEqual([]);
    expect(stored.pending, 'effects never delivered').toEqual([]);
    for (const id of acked.intakes) expect(storedIds.has(id), `acknowledged intake #${id} stored`).toBe(true);
    for (const id of acked.claims) {
      expect(eventsOf(id, 'application.claimed'), `acknowledged claim of #${id}`).toBe(1);
      expect(seen.threads.get(id)?.filter((t) => !t.startsWith(STALE)).length, `thread lines of #${id}`).toBe(1);
    }
    expect(acked.claims.length, 'the load had decisions in it').toBeGreaterThan(0);
    expect({ missing, doubled }).toEqual({ missing: { cards: 0, lines: 0 }, doubled: { cards: 0, lines: 0 } });
  });
});
