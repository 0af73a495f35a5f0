import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { BOT_TOKEN, CHANNEL, INTAKE_TOKEN, startTestEmulator } from '../support/harness.ts';
import { LogCapture } from '../support/logs.ts';
import { freePort } from '../support/ports.ts';
import { slowClient } from '../support/slow-client.ts';

let database: TestDatabase;
let emulator: RunningEmulator;

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
  await database?.close();
});

describe('Socket Mode', () => {
  // The socket itself cannot connect here (the emulator has no WebSocket endpoint, and it refuses
  // the app token): what is tested is the HTTP side, which listens before the socket connects.
  it('serves health and the intake API on the given port, with no signing secret', async () => {
    const port = await freePort();
    const logs = new LogCapture();
    const built = buildApp({
      slack: {
        mode: 'socket',
        botToken: BOT_TOKEN,
        appToken: 'xapp-1-test',
        apiUrl: emulator.apiUrl,
        botId: 'B1',
        botUserId: 'U1',
      },
      database,
      clock: systemClock,
      logger: createLogger('debug', logs),
      reviewChannelId: CHANNEL,
      intakeToken: INTAKE_TOKEN,
      roles: personaRoles(),
      questionnaire: loadQuestionnaire(),
      policy: loadConfig({}).policy,
      postIntervalMs: 0,
      outboxPollMs: 60_000,
      httpTimeouts: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 },
    });
    const starting = built.start({ port, host: '127.0.0.1' });
    starting.catch(() => {});
    try {
      await expect
        .poll(() =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        )
        .toBe(200);
      const intake = await fetch(`http://127.0.0.1:${port}/api/applications`, { method: 'POST', body: '{}' });
      expect(intake.status).toBe(401);
      // A client that never finishes its headers is cut off as in HTTP mode (test/abuse/slow-clients.test.ts).
      expect(await slowClient(port, 'POST /api/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ')).toMatch(
        /^HTTP\/1\.1 408/,
      );
      // The socket's own call went to Slack (here the emulator) with the app token.
      await expect.poll(() => emulator.state.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
    } finally {
      await built.app.stop().catch(() => {});
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
