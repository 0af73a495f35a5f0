import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_TIMEOUTS, type RunningApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { INTAKE_TOKEN, startTestApp, startTestEmulator } from '../support/harness.ts';
import { slowClient } from '../support/slow-client.ts';

let database: TestDatabase;
let emulator: RunningEmulator;
let app: RunningApp;

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startTestEmulator();
  // The production limits, scaled down so the test need not wait seconds: the mechanism is the same.
  ({ app } = await startTestApp({
    database,
    emulator,
    clock: systemClock,
    logger: createLogger('silent'),
    httpTimeouts: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 },
  }));
});
afterAll(async () => {
  await app?.stop();
  await emulator?.close();
  await database?.close();
});

describe('slow clients', () => {
  it('the limits are seconds, not minutes', () => {
    expect(HTTP_TIMEOUTS.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(HTTP_TIMEOUTS.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(HTTP_TIMEOUTS.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
  });

  it('a client that never finishes its headers is cut off with 408', async () => {
    expect(await slowClient(app.port, 'POST /api/applications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ')).toMatch(
      /^HTTP\/1\.1 408/,
    );
  });

  it('a body that never finishes is cut off with 408', async () => {
    const head = [
      'POST /api/applications HTTP/1.1',
      'Host: x',
      `Authorization: Bearer ${INTAKE_TOKEN}`,
      'Content-Type: application/json',
      'Content-Length: 100000',
      '',
      '{"profileId":',
    ].join('\r\n');
    expect(await slowClient(app.port, head)).toMatch(/^HTTP\/1\.1 408/);
  });
});
