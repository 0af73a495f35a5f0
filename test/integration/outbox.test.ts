import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, outbox } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { oldestFor } from '../../src/jobs/earlier-post.ts';
import { createLiveness } from '../../src/jobs/liveness.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness } from '../support/harness.ts';
import { holding } from '../support/held-transaction.ts';
import { postgresUrl } from '../support/outage.ts';

let database: TestDatabase;
let h: Harness;
const clock = new FakeClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const cards = () => h.emulator.state.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts);

describe('Slack failures lose nothing', () => {
  it('stores the application when Slack fails, and posts the card once Slack answers again', async () => {
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    const res = await h.intake(applicationBody());
    expect(res.status).toBe(201);

    await h.app.dispatcher.drain();
    expect(cards()).toHaveLength(0);
    const [pending] = await database.db.select().from(outbox);
    expect(pending).toMatchObject({ attempts: 1, doneAt: null });
    expect(pending?.lastError).toContain('500');

    clock.advanceBy(1_000);
    await h.app.dispatcher.drain();
    clock.advanceBy(2_000);
    await h.settle();
    expect(cards()).toHaveLength(1);
    const [row] = await database.db.select().from(applications);
    expect(row?.cardTs).toBeTruthy();
    expect(h.logs.lines.some((l) => l.msg === 'slack effect failed; will retry')).toBe(true);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 429, retryAfter: 30 } });
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    clock.advanceBy(29_000);
    await h.app.dispatcher.drain();
    expect(cards()).toHaveLength(0);
    clock.advanceBy(1_000);
    await h.settle();
    expect(cards()).toHaveLength(1);
  });

  it('keeps an application’s thread note behind its card, and the card update before the note', async () => {
    const body = applicationBody();
    await h.intake(body);
    await h.intake({ ...body, useCase: 'Changed before the card was ever posted.' });
    await h.settle();
    // chat.getPermalink only reads the new card's link: the order of what is shown is the point here.
    const shown = h.emulator.state.calls.filter((c) => c.ok && c.method !== 'chat.getPermalink');
    const methods = shown.map((c) => (c.args.thread_ts ? 'thread' : c.method));
    expect(methods).toEqual(['chat.postMessage', 'chat.update', 'thread']);
    expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs)).toHaveLength(1);
  });

  it('does not hold one application’s effects behind another’s failure', async () => {
    // A refusal Slack may not repeat (errors no retry can fix are parked instead: slack-refusals.test.ts).
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { error: 'internal_error' } });
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    expect(cards()).toHaveLength(1);
    clock.advanceBy(5_000);
    await h.settle();
    expect(cards()).toHaveLength(2);
  });

  it('posts a card once when Slack posted it but its answer was lost, and brings that card up to date', async () => {
    // Slack does the post, then the answer fails (a timeout or a proxy error): the bot cannot tell it happened.
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500, done: true } });
    const body = applicationBody();
    const { id } = (await h.intake(body)).json as { id: number };
    await h.app.dispatcher.drain();
    expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL)).toHaveLength(1);
    const [pending] = await database.db.select().from(outbox);
    expect(pending).toMatchObject({ attempts: 1, doneAt: null });
    // Changed before the retry: the card found must show the new state, not the one first posted.
    await h.intake({ ...body, organization: { ...body.organization, name: 'Renamed Before Retry Ltd' } });

    clock.advanceBy(1_000);
    await h.settle();
    const top = h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs);
    expect(top).toHaveLength(1);
    expect(JSON.stringify(top[0]?.blocks)).toContain('Renamed Before Retry Ltd');
    const [row] = await database.db.select().from(applications);
    expect(row).toMatchObject({ id, cardTs: top[0]?.ts, cardChannel: CHANNEL });
    expect(h.emulator.state.callsTo('conversations.history')).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.msg === 'slack effect was already posted by an earlier attempt')).toBe(true);
  });

  it('finds its earlier card however many posts came after it, reading from shortly before its first attempt', async () => {
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500, done: true } });
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    // A backlog import: far more than a page, or five, of newer posts before the retry comes.
    for (let i = 0; i < 1_500; i += 1) {
      h.emulator.state.messages.push({
        channel: CHANNEL,
        ts: h.emulator.state.nextTs(),
        user: 'UOTHER',
        text: `other post ${i}`,
        blocks: [],
        edits: 0,
        files: [],
        problems: [],
      });
    }
    const [row] = await database.db.select().from(outbox);
    expect(row?.firstAttemptAt).toEqual(clock.now());
    clock.advanceBy(1_000);
    await h.settle();
    expect(cards()).toHaveLength(0);
    expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL && m.user !== 'UOTHER')).toHaveLength(1);
    const lookups = h.emulator.state.callsTo('conversations.history');
    expect(lookups.length).toBeGreaterThan(5);
    expect(lookups.every((c) => c.args.oldest === oldestFor(row as NonNullable<typeof row>))).toBe(true);
  });

  it('still posts when Slack refuses the lookup (an install without the history scope)', async () => {
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    h.emulator.state.faults.push({ method: 'conversations.history', fault: { error: 'missing_scope' } });
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    clock.advanceBy(1_000);
    await h.settle();
    expect(cards()).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.msg === 'cannot look for an earlier post; posting again')).toBe(true);
  });

  it('posts a thread line once when Slack posted it but its answer was lost', async () => {
    const body = applicationBody();
    await h.intake(body);
    await h.settle();
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500, done: true } });
    await h.intake({ ...body, useCase: 'A changed use case, noted in the thread.' });
    await h.app.dispatcher.drain();
    clock.advanceBy(2_000);
    await h.settle();
    const lines = h.emulator.state.messages.filter((m) => m.threadTs);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toMatch(/useCase/i);
    expect(h.emulator.state.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('does not look for an earlier post on a first attempt, nor after Slack refused the last one outright', async () => {
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 429, retryAfter: 1 } });
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { error: 'fatal_error' } });
    await h.intake(applicationBody());
    await h.app.dispatcher.drain();
    clock.advanceBy(1_000);
    await h.app.dispatcher.drain();
    clock.advanceBy(2_000);
    await h.settle();
    expect(cards()).toHaveLength(1);
    const history = h.emulator.state.calls.filter((c) => c.method === 'conversations.history');
    expect(history).toHaveLength(0);
  });

  it('lets a second dispatcher take over an effect whose lease ran out (a crashed instance)', async () => {
    const created = (await h.intake(applicationBody())).json;
    await h.settle();
    // Another instance claimed this update and died: the lease runs a minute, the effect is not done.
    const now = clock.now();
    await database.db.insert(outbox).values({
      kind: 'card.sync',
      applicationId: created.id,
      createdAt: now,
      availableAt: now,
      attempts: 1,
      lockedUntil: new Date(now.getTime() + 60_000),
    });
    await h.app.dispatcher.drain();
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(0);
    clock.advanceBy(60_001);
    await h.settle();
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(1);
  });

  it('takes over at once an effect whose instance is gone, and not one whose instance lives', async () => {
    const created = (await h.intake(applicationBody())).json;
    await h.settle();
    const alive = createLiveness({ database, logger: createLogger('silent') });
    await alive.start();
    const now = clock.now();
    const leased = (lockedBy: number | undefined) => ({
      kind: 'card.sync',
      applicationId: created.id,
      createdAt: now,
      availableAt: now,
      attempts: 1,
      lockedUntil: new Date(now.getTime() + 60_000),
      lockedBy: lockedBy ?? null,
    });
    try {
      // Leased by a live instance (another process, as far as this one can tell): it is theirs.
      await database.db.insert(outbox).values(leased(alive.current()));
      await h.app.dispatcher.drain();
      expect(h.emulator.state.callsTo('chat.update')).toHaveLength(0);
    } finally {
      await alive.stop();
    }
    // That instance died: its lease ends with it, not a minute later.
    await h.settle();
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(1);
  });

  it('delivers a queue longer than one claim takes of it in one pass, in order', async () => {
    const created = (await h.intake(applicationBody())).json;
    await h.settle();
    const updates = () => h.emulator.state.callsTo('chat.update').filter((c) => c.ok);
    const before = updates().length;
    // Queued by another instance (no kick here): a claim takes an application's head and the one after it.
    const now = clock.now();
    const sync = { kind: 'card.sync', applicationId: created.id, createdAt: now, availableAt: now };
    const queued = await database.db.insert(outbox).values([sync, sync, sync]).returning({ id: outbox.id });
    expect(await h.app.dispatcher.drain()).toBe(3);
    expect(updates().length - before).toBe(3);
    const rows = await database.db.select().from(outbox);
    expect(rows.filter((r) => queued.some((q) => q.id === r.id)).every((r) => r.doneAt !== null)).toBe(true);
  });

  it.skipIf(!postgresUrl())(
    'never delivers an effect before an earlier one of its application that another claim is taking',
    async () => {
      const first = (await h.intake(applicationBody())).json;
      const other = (await h.intake(applicationBody({ profileId: 'amzn1.sellerapps.profile.otherclaim' }))).json;
      await h.settle();
      const cardTs = async (id: number) =>
        (await database.db.select().from(applications).where(eq(applications.id, id)))[0]?.cardTs;
      const tsOf = { first: await cardTs(first.id), other: await cardTs(other.id) };
      const updatesOf = (id: number) => {
        const ts = id === first.id ? tsOf.first : tsOf.other;
        return h.emulator.state.callsTo('chat.update').filter((c) => c.args.ts === ts).length;
      };
      const before = { first: updatesOf(first.id), other: updatesOf(other.id) };
      const now = clock.now();
      const sync = (applicationId: number) => ({ kind: 'card.sync', applicationId, createdAt: now, availableAt: now });
      // Queued by another instance: three effects of the first application, one of the other.
      const [head, middle, last] = await database.db
        .insert(outbox)
        .values([sync(first.id), sync(first.id), sync(first.id)])
        .returning({ id: outbox.id });
      await database.db.insert(outbox).values(sync(other.id));
      // Another instance's claim is taking the middle one at this instant (its row is locked):
      // the claim passes over it, and must not take the last one before it.
      const claimInFlight = holding(database.db, (tx) =>
        tx
          .select()
          .from(outbox)
          .where(eq(outbox.id, middle?.id ?? 0))
          .for('update'),
      );
      await claimInFlight.ready;
      expect(await h.app.dispatcher.drain()).toBe(2);
      const pendingIds = (await database.db.select().from(outbox))
        .filter((r) => r.doneAt === null)
        .map((r) => r.id)
        .sort((a, b) => a - b);
      expect(pendingIds).toEqual([middle?.id, last?.id]);
      expect(updatesOf(first.id) - before.first).toBe(1);
      expect(updatesOf(other.id) - before.other).toBe(1);
      claimInFlight.commit();
      await claimInFlight.committed;
      expect(await h.app.dispatcher.drain()).toBe(2);
      expect(updatesOf(first.id) - before.first).toBe(3);
      expect(head?.id).toBeLessThan(middle?.id ?? 0);
    },
  );
});
