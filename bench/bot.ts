import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type pg from 'pg';
import type { Database } from '../db/client.ts';
import { buildApp, type RunningApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig, type Policy } from '../src/config.ts';
import { SlackWebClient, webClientOptions } from '../src/http/slack-client.ts';
import { createLogger } from '../src/logger.ts';
import { loadQuestionnaire } from '../src/questionnaire/questionnaire.ts';
import { personaRoles, SANDBOX_CHANNEL } from '../src/sandbox/personas.ts';
import type { BenchDatabase } from './database.ts';

export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const INTAKE_TOKEN = 'bench-intake-token-0123456789';
export const BOT_TOKEN = 'xoxb-bench-token';
export const CHANNEL = SANDBOX_CHANNEL.id;

/** Log lines by level, and each distinct error message with its count, without printing anything. */
export function createLogSink() {
  const counts: Record<string, number> = {};
  const errors = new Map<string, number>();
  const names: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const parsed = JSON.parse(line) as { level: number; msg?: string; error?: string; err?: { message?: string } };
        const level = names[parsed.level] ?? String(parsed.level);
        counts[level] = (counts[level] ?? 0) + 1;
        if (parsed.level < 50) continue;
        const message = `${parsed.msg ?? ''}${parsed.err?.message ? `: ${parsed.err.message}` : ''}`.slice(0, 200);
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
      done();
    },
  });
  return { logger: createLogger('info', stream), counts, errors };
}

export type LogSink = ReturnType<typeof createLogSink>;

/** The policy of an unconfigured deployment, with the periodic sweep pushed out of the bench's way. */
export function benchPolicy(): Policy {
  const policy = loadConfig({}).policy;
  return { ...policy, reminders: { ...policy.reminders, sweepMs: 3_600_000 } };
}

/** The real app (buildApp, HTTP receiver) on a random loopback port, with the emulator as Slack. */
export async function startRealBot(args: {
  database: Database;
  apiUrl: string;
  logs: LogSink;
  postIntervalMs: number;
  outboxPollMs: number;
}): Promise<RunningApp & { url: string }> {
  const running = await buildApp({
    slack: {
      mode: 'http',
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: args.apiUrl,
      botId: 'BBENCH',
      botUserId: 'UBENCHBOT',
    },
    database: args.database,
    clock: systemClock,
    logger: args.logs.logger,
    reviewChannelId: CHANNEL,
    intakeToken: INTAKE_TOKEN,
    roles: personaRoles(),
    questionnaire: loadQuestionnaire(),
    policy: benchPolicy(),
    postIntervalMs: args.postIntervalMs,
    outboxPollMs: args.outboxPollMs,
    // `BENCH_METRICS_PORT=9464 npm run bench`, then `curl localhost:9464/metrics -H 'Authorization: Bearer <INTAKE_TOKEN>'`.
    metrics: { token: INTAKE_TOKEN, ...(process.env.BENCH_METRICS_PORT ? { port: Number(process.env.BENCH_METRICS_PORT) } : {}) },
  }).start({ port: 0, host: '127.0.0.1' });
  if (running.metricsPort) console.error(`metrics of the bench's bot: http://127.0.0.1:${running.metricsPort}/metrics`);
  return { ...running, url: `http://127.0.0.1:${running.port}` };
}

/**
 * The durable floor: bare Bolt whose every request commits one row before it is answered
 * (`begin; insert; commit` on a pooled pg connection, or the same through PGlite). A click is
 * never acknowledged and then lost at this cost; anything above it is the app's own work.
 */
export async function startDurableBolt(database: BenchDatabase, calls?: FloorCalls): Promise<BareBolt> {
  await database.raw('create table if not exists bench_floor (id bigserial primary key, at timestamptz not null, body text)');
  const client = (database.db as unknown as { $client: unknown }).$client;
  let commit: () => Promise<void>;
  if (database.kind === 'postgres') {
    const pool = client as pg.Pool;
    commit = async () => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        await c.query('insert into bench_floor (at, body) values (now(), $1)', ['request']);
        await c.query('commit');
      } finally {
        c.release();
      }
    };
  } else {
    const lite = client as PGlite;
    commit = async () => {
      await lite.transaction(async (tx) => {
        await tx.query('insert into bench_floor (at, body) values (now(), $1)', ['request']);
      });
    };
  }
  return startBareBolt(commit, calls);
}

/** The Web API calls a kind of request leads to, made after its ack. */
export type FloorCalls = {
  decision(): Promise<unknown>;
  click(triggerId: string): Promise<unknown>;
  intake(): Promise<unknown>;
};

/** A card of a few blocks, the same every time: what the Slack-call floor posts and updates. */
const FLOOR_CARD = {
  text: 'Application 1 · Business criteria',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Example Seller Tools' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Stage:* Business criteria\n*Status:* In review\n*Assignee:* <@U0REVIEW01>' },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Received 2026-12-01 · roles: Direct-to-Consumer Shipping' }] },
    {
      type: 'actions',
      elements: ['Pass', 'Deny', 'Assign', 'Withdraw'].map((label) => ({
        type: 'button',
        action_id: `floor.${label.toLowerCase()}`,
        text: { type: 'plain_text', text: label },
        value: '1:1',
      })),
    },
  ],
};

/**
 * The Slack-call floor: the durable floor, and after each ack the Web API calls pii-review makes
 * for that kind of request, with a small fixed card and no logic: a decision updates a card and
 * posts a line in its thread, a click opens a modal, an intake posts a card, a status makes no
 * call. Its client is set up as the bot's (webClientOptions: the same transport, no retries,
 * rejecting rate limits). What Slack's calls cost any app that makes them, at the least.
 */
export async function startSlackCallFloor(database: BenchDatabase, apiUrl: string, logs: LogSink): Promise<BareBolt> {
  const web = new SlackWebClient(BOT_TOKEN, webClientOptions({ apiUrl, logger: logs.logger }));
  const card = await web.chat.postMessage({ channel: CHANNEL, ...FLOOR_CARD });
  const ts = card.ts ?? '';
  return startDurableBolt(database, {
    async decision() {
      await web.chat.update({ channel: CHANNEL, ts, ...FLOOR_CARD });
      await web.chat.postMessage({ channel: CHANNEL, thread_ts: ts, text: 'Business criteria passed by <@U0REVIEW01>.' });
    },
    click: (triggerId) =>
      web.views.open({
        trigger_id: triggerId,
        view: {
          type: 'modal',
          callback_id: 'floor',
          title: { type: 'plain_text', text: 'Business criteria' },
          submit: { type: 'plain_text', text: 'Record' },
          blocks: [
            {
              type: 'input',
              block_id: 'note',
              label: { type: 'plain_text', text: 'Note' },
              element: { type: 'plain_text_input', action_id: 'value', multiline: true },
            },
          ],
        },
      }),
    intake: () => web.chat.postMessage({ channel: CHANNEL, ...FLOOR_CARD }),
  });
}

export type BareBolt = {
  url: string;
  stop(): Promise<void>;
  /** Resolves once every Web API call made after an ack has been answered (or failed). */
  idle(): Promise<void>;
  /** Web API calls that failed since the start. */
  failedCalls(): number;
};

/**
 * Bolt with nothing behind it: the same receiver, signing secret and signature checks,
 * listeners that only ack, and an intake route that answers 201 once it has read the body.
 */
export async function startBareBolt(commit?: () => Promise<void>, calls?: FloorCalls): Promise<BareBolt> {
  const done = commit ?? (() => Promise.resolve());
  const pending = new Set<Promise<unknown>>();
  let failed = 0;
  const after = (call: (() => Promise<unknown>) | undefined) => {
    if (!call) return;
    const made = call().catch(() => {
      failed += 1;
    });
    pending.add(made);
    void made.finally(() => pending.delete(made));
  };
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    endpoints: ['/slack/events'],
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
    customRoutes: [
      {
        path: '/api/applications',
        method: 'POST',
        handler: (req: IncomingMessage, res: ServerResponse) => {
          req.resume();
          req.on('end', () => {
            done().then(
              () => {
                res.writeHead(201, { 'content-type': 'application/json' });
                res.end('{}');
                after(calls?.intake);
              },
              () => {
                res.writeHead(500);
                res.end();
              },
            );
          });
        },
      },
    ],
  });
  const app = new App({ token: BOT_TOKEN, botId: 'BBARE', botUserId: 'UBARE', receiver, logLevel: LogLevel.ERROR });
  app.command('/pii', async ({ ack }) => {
    await done();
    await ack();
  });
  app.action(/.*/, async ({ ack, body }) => {
    await done();
    await ack();
    const triggerId = (body as { trigger_id?: string }).trigger_id ?? '';
    after(calls && (() => calls.click(triggerId)));
  });
  app.view(/.*/, async ({ ack }) => {
    await done();
    await ack();
    after(calls?.decision);
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => app.stop() as Promise<void>,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    failedCalls: () => failed,
  };
}
