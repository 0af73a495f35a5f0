import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, openDatabase } from '../../db/client.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { PERSONAS } from '../../src/sandbox/personas.ts';
import { createSlackRequester, type SlackRequester } from '../../src/sandbox/slack-requests.ts';
import { createTestDatabase } from './database.ts';
import { ADMIN_API_TOKEN, BOT_TOKEN, CHANNEL, INTAKE_TOKEN, SIGNING_SECRET, startTestEmulator } from './harness.ts';
import { freePort } from './ports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Set by `npm run test:fault`: the fault tests at the scale of a real incident, too long for every `npm test`. */
export const LONG_FAULT_RUN = process.env.FAULT_LONG === '1';

/**
 * A database a separate bot process can use and the test can look into: a fresh copy of the
 * template on Postgres (DATABASE_URL), else a PGlite data directory, which one process at a
 * time may hold, so `inspect` opens it only while no bot runs.
 */
export type ProcessDatabase = {
  kind: 'postgres' | 'pglite';
  env: Record<string, string>;
  inspect<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export async function createProcessDatabase(): Promise<ProcessDatabase> {
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    return {
      kind: 'postgres',
      env: { DATABASE_URL: database.url ?? '' },
      inspect: (fn) => fn(database.db),
      close: () => database.close(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pii-review-fault-'));
  return {
    kind: 'pglite',
    env: { PGLITE_DIR: dir },
    async inspect(fn) {
      const database = await openDatabase({ kind: 'pglite', dataDir: dir });
      try {
        return await fn(database.db);
      } finally {
        await database.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type BotProcess = {
  baseUrl: string;
  /** Everything the process printed, one line each (its JSON logs). */
  output: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
};

/** What any child process needs of this machine's environment, and nothing of the bot's settings. */
export function machineEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
}

/** The environment of the real bot against the emulator, with the sandbox personas as roles. */
export function botEnv(options: { port: number; slackApiUrl: string; database: ProcessDatabase }): Record<string, string> {
  const ids = (role: string) =>
    PERSONAS.filter((p) => p.role === role)
      .map((p) => p.id)
      .join(',');
  return {
    ...machineEnv(),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    REVIEW_CHANNEL_ID: CHANNEL,
    INTAKE_TOKEN,
    ADMIN_API_TOKEN,
    REVIEWER_IDS: ids('reviewer'),
    ARCHITECT_IDS: ids('architect'),
    ADMIN_IDS: ids('admin'),
    PORT: String(options.port),
    LOG_LEVEL: 'info',
    OUTBOX_POLL_MS: '200',
    SLACK_POST_INTERVAL_MS: '0',
    // Sweeps are driven through /api/reminders/sweep, so the test chooses their instant.
    REMINDER_SWEEP_MS: '3600000',
    ...options.database.env,
  };
}

/** Starts `tsx src/main.ts` and waits until it answers /readyz. */
export async function startBotProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<BotProcess> {
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // tsx runs the bot in a child node process; a group of its own lets one signal reach both,
    // as a container runtime's kill does (a SIGKILL of tsx alone leaves the bot running).
    detached: true,
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`bot exited before it was ready:\n${output.slice(-20).join('\n')}`);
    if (Date.now() > until) {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      throw new Error(`bot not ready after ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`);
    }
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    output,
    exited,
    async kill(signal) {
      if (!gone && child.pid) process.kill(-child.pid, signal);
      await exited;
      // tsx's exit is not the bot's: its node process (which holds the PGlite directory's lock)
      // may outlive it by a moment. Killed means the whole group is gone, as a runtime waits.
      if (child.pid) await groupGone(child.pid);
    },
  };
}

/** What a kill test keeps across every kill of the bot: Slack (the emulator), the database and the bot's environment. */
export type KillRig = {
  emulator: RunningEmulator;
  database: ProcessDatabase;
  env: Record<string, string>;
  /** Signs requests as Slack does and sends them to the bot's port. */
  slack: SlackRequester;
  close(): Promise<void>;
};

/** The emulator lives in the test's process, so Slack's state outlives every SIGKILL of the bot. */
export async function startKillRig(extraEnv: Record<string, string> = {}): Promise<KillRig> {
  const emulator = await startTestEmulator();
  const database = await createProcessDatabase();
  const port = await freePort();
  const env = { ...botEnv({ port, slackApiUrl: emulator.apiUrl, database }), ...extraEnv };
  const slack = createSlackRequester({
    botUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    emulator,
    emulatorUrl: emulator.url,
    channelId: CHANNEL,
  });
  return {
    emulator,
    database,
    env,
    slack,
    async close() {
      await emulator.close();
      await database.close();
    },
  };
}

/** Whether a live (not zombie) process of this process group remains, read from /proc (Linux). */
function liveInGroup(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc: ask the kernel whether the group has members at all.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "<pid> (<comm>) <state> <ppid> <pgrp> …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && Number(pgrp) === pgid) return true;
  }
  return false;
}

async function groupGone(pgid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (liveInGroup(pgid)) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still runs ${timeoutMs} ms after it was killed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
