import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox, reminders } from '../../db/schema.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { botEnv, createProcessDatabase, type ProcessDatabase } from '../support/bot-process.ts';
import { CHANNEL, startTestEmulator } from '../support/harness.ts';
import { postgresUrl } from '../support/outage.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A past instant after the digest hour: the sweep claims that day's digest even on an empty database. */
const AT = '2026-03-02T10:00:00Z';
const SLACK_TIMEOUT_MS = 500;

/**
 * `npm run remind` on Postgres sweeps and delivers by itself, with no bot in between (an
 * operator's cron job). Its Web API client must be the bot's: a Slack that accepts the
 * connection and never answers has to fail the call after SLACK_API_TIMEOUT_MS, leaving the
 * reminder to the bot's outbox, not hold the job (and its database connections) for minutes.
 */
function runRemind(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/remind.ts', '--at', AT], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** Accepts every connection and never answers on it. */
async function startSilentSlack(): Promise<{ apiUrl: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    apiUrl: `http://127.0.0.1:${address.port}/api/`,
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(!postgresUrl())('npm run remind on Postgres (no bot in between)', () => {
  let database: ProcessDatabase;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(async () => {
    await database?.close();
  });

  /** The bot's own environment (no bot runs: the port is never opened). */
  const env = (apiUrl: string) => ({
    ...botEnv({ port: 1, slackApiUrl: apiUrl, database }),
    SLACK_API_TIMEOUT_MS: String(SLACK_TIMEOUT_MS),
  });

  it('posts the reminders it claims and says so', async () => {
    database = await createProcessDatabase();
    const run = await runRemind(env(emulator.apiUrl));
    expect(run.output).toContain(`1 reminder sent for ${new Date(AT).toISOString()}.`);
    expect(run.code).toBe(0);
    const digests = emulator.state.messages.filter((m) => m.channel === CHANNEL && m.text.startsWith('Daily digest'));
    expect(digests).toHaveLength(1);
    expect(await database.inspect((db) => db.select().from(outbox).where(isNull(outbox.doneAt)))).toEqual([]);
  });

  it('gives up on a Slack that never answers after SLACK_API_TIMEOUT_MS and leaves the reminder to the outbox', async () => {
    database = await createProcessDatabase();
    const silent = await startSilentSlack();
    try {
      const run = await runRemind(env(silent.apiUrl));
      expect(silent.connections()).toBeGreaterThan(0);
      expect(run.output).toContain(
        `1 reminder claimed for ${new Date(AT).toISOString()}: 0 of 1 Slack posts sent, 1 still in the outbox (the bot retries them).`,
      );
      expect(run.code).toBe(0);
      const [claimed] = await database.inspect((db) => db.select().from(reminders));
      expect(claimed?.kind).toBe('digest');
      const pending = await database.inspect((db) => db.select().from(outbox).where(isNull(outbox.doneAt)));
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ kind: 'channel.digest', attempts: 1, lockedUntil: null });
      expect(pending[0]?.lastError).toMatch(/timeout|abort/i);
    } finally {
      await silent.close();
    }
    // A client without the timeout waits for the connection's own limits: minutes, past this test's.
  }, 90_000);
});
