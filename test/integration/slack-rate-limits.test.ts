import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness } from '../support/harness.ts';

/**
 * Slack's rate tiers on (about one post per second per channel, short bursts allowed), with
 * the emulator on the test's clock so no test waits: the bot posting a burst of cards meets
 * 429 with Retry-After, and still posts every card exactly once.
 */
let database: TestDatabase;
let h: Harness;
const clock = new FakeClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock, emulator: { rateLimits: true, now: () => clock.now().getTime() } });
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

describe('Slack rate tiers', () => {
  it('a burst of cards meets 429 with Retry-After, and every card still lands once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await h.intake(applicationBody())).json.id);

    // A post still in flight is neither pending nor done: wait for the channel itself to fill.
    const cardsPosted = () => h.emulator.state.messages.filter((m) => !m.threadTs).length;
    for (let round = 0; round < 200 && (cardsPosted() < ids.length || (await h.app.dispatcher.pending()) > 0); round += 1) {
      await h.app.dispatcher.drain();
      clock.advanceBy(1_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const limited = h.emulator.state.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(await h.app.dispatcher.pending()).toBe(0);
    const cards = h.emulator.state.messages.filter((m) => !m.threadTs);
    expect(cards).toHaveLength(ids.length);
    for (const id of ids) expect(cards.filter((m) => m.text.startsWith(`#${id} `))).toHaveLength(1);
  });
});
