import { WebClient } from '@slack/web-api';
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { outbox } from '../../db/schema.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createOutboxDispatcher } from '../../src/jobs/outbox-dispatcher.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { BOT_TOKEN, CHANNEL, type Harness, startHarness } from '../support/harness.ts';

let database: TestDatabase;
let h: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
  // Only the paced dispatcher below delivers.
  await h.app.jobs.stop();
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

it('stops at once with a paced backlog, giving back untried the posts still waiting for their slot', async () => {
  for (let i = 0; i < 8; i += 1) expect((await h.intake(applicationBody())).status).toBe(201);
  const paced = createOutboxDispatcher(
    {
      db: database.db,
      slack: new WebClient(BOT_TOKEN, { slackApiUrl: h.emulator.apiUrl, retryConfig: { retries: 0 } }),
      clock: systemClock,
      logger: createLogger('silent'),
      reviewChannelId: CHANNEL,
      policy: loadConfig({}).policy,
      postIntervalMs: 1_000,
    },
    { pollMs: 60_000 },
  );
  paced.start();
  // Eight cards at one a second (a burst of three): wait for the first, then stop.
  await expect.poll(() => h.emulator.state.callsTo('chat.postMessage').length).toBeGreaterThan(0);
  const started = performance.now();
  await paced.stop();
  expect(performance.now() - started).toBeLessThan(2_500);

  const posted = h.emulator.state.callsTo('chat.postMessage').length;
  const waiting = await database.db.select().from(outbox).where(isNull(outbox.doneAt));
  expect(posted).toBeLessThan(8);
  expect(waiting).toHaveLength(8 - posted);
  // Given back as they were: no lease, no attempt counted, no error.
  for (const row of waiting) expect(row).toMatchObject({ lockedUntil: null, attempts: 0, lastError: null });

  // The next start delivers them, each once.
  await h.app.dispatcher.drain();
  await h.settle();
  expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs)).toHaveLength(8);
});
