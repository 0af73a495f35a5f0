import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { halfWritten, rowsOf } from '../support/invariants.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';
import { channelByApplication } from '../support/slack-observer.ts';

/** How long Slack answers 500 to everything, in fake time, and how often the dispatcher polls meanwhile. */
const OUTAGE_MS = 60_000;
const POLL_MS = 5_000;
/** The dispatcher's longest backoff (outbox-dispatcher.ts MAX_BACKOFF_MS): past it, every retry is due. */
const MAX_BACKOFF_MS = 15 * 60_000;

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

const intake = async () => {
  const res = await h.intake(applicationBody());
  expect(res.status).toBe(201);
  return res.json.id as number;
};

describe('a Slack Web API outage', () => {
  it('keeps taking intakes and decisions, and delivers every card and thread line once when Slack is back', async () => {
    const before: number[] = [];
    for (let i = 0; i < 4; i += 1) before.push(await intake());
    await h.settle();
    const [first, second, third, fourth] = before as [number, number, number, number];
    const reviewView = await r.open(USERS.reviewer, first, 'card.business_review');
    const rejectView = await r.open(USERS.admin, second, 'card.business_review');
    const withdrawView = await r.open(USERS.admin, fourth, 'admin:withdraw');

    h.emulator.state.faultRates = { rateLimited: 0, serverError: 1, retryAfter: 1 };
    const callsBefore = h.emulator.state.calls.length;
    const during: number[] = [];
    const started = clock.now().getTime();
    let step = 0;
    while (clock.now().getTime() - started < OUTAGE_MS) {
      during.push(await intake());
      if (step === 1) {
        const accepted = await r.submit(USERS.reviewer, { ...ALL_PASS, decision: input.radio('advance') }, reviewView);
        expect([accepted.status, accepted.text]).toEqual([200, '']);
      }
      if (step === 2) {
        const rejected = await r.submit(
          USERS.admin,
          {
            ...ALL_PASS,
            'criterion.geographies': input.radio('fail'),
            decision: input.radio('reject'),
            denial_text: input.text('Not at this time.'),
          },
          rejectView,
        );
        expect([rejected.status, rejected.text]).toEqual([200, '']);
      }
      if (step === 3) expect((await r.click(USERS.reviewer2, third, 'card.claim')).status).toBe(200);
      if (step === 4) {
        const withdrawn = await r.submit(USERS.admin, { reason: input.text('Asked by the developer.') }, withdrawView);
        expect([withdrawn.status, withdrawn.text]).toEqual([200, '']);
      }
      await h.app.dispatcher.drain();
      clock.advanceBy(POLL_MS);
      step += 1;
    }
    // A modal cannot open while Slack is down (views.open fails): the user is told, not left waiting.
    await r.click(USERS.reviewer2, third, 'card.business_review');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain('Something went wrong');

    const outage = h.emulator.state.calls.slice(callsBefore);
    expect(outage.filter((c) => c.ok && c.method.startsWith('chat.'))).toEqual([]);
    const failed = outage.filter((c) => c.status === 500).length;
    expect(failed).toBeGreaterThan(during.length);

    h.emulator.state.faultRates = { rateLimited: 0, serverError: 0, retryAfter: 1 };
    clock.advanceBy(MAX_BACKOFF_MS);
    await h.settle();

    expect(await halfWritten(database.db)).toEqual([]);
    const apps = await rowsOf(database.db, sql`select id, stage, status, card_ts from applications order by id`);
    const events = await rowsOf(database.db, sql`select application_id as app, type from events`);
    const seen = channelByApplication(h.emulator);
    for (const app of apps) {
      const id = Number(app.id);
      expect(seen.cards.get(id)?.length, `cards of #${id}`).toBe(1);
      expect(seen.cards.get(id)?.[0]?.ts).toBe(app.card_ts);
      const expected = events.filter((e) => Number(e.app) === id && e.type !== 'application.received').length;
      expect(seen.threads.get(id) ?? [], `thread of #${id}`).toHaveLength(expected);
    }
    expect(apps.map((a) => [a.stage, a.status]).slice(0, 4)).toEqual([
      ['security', 'in_review'],
      ['closed', 'rejected'],
      ['business', 'in_review'],
      ['closed', 'withdrawn'],
    ]);
    // The card shows where the application stands now, not where it stood when Slack went away.
    expect(JSON.stringify(r.card(first).blocks)).toContain('Stage 2');
    const pending = await rowsOf(database.db, sql`select count(*)::int as n from outbox where done_at is null`);
    expect(pending[0]?.n).toBe(0);
    console.log(
      `[fault] Slack outage (${database.kind}): ${during.length} intakes and 4 decisions accepted during ${OUTAGE_MS / 1000} s ` +
        `of fake time; ${failed} Slack calls answered 500; ${apps.length} cards and their threads delivered once`,
    );
    expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs)).toHaveLength(apps.length);
  });
});
