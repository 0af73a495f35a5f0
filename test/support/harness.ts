import type { Database } from '../../db/client.ts';
import { type AppDeps, buildApp, type RunningApp } from '../../src/app.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { loadConfig, type Policy } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { loadQuestionnaire, type Questionnaire } from '../../src/questionnaire/questionnaire.ts';
import { type EmulatorOptions, type RunningEmulator, startSlackEmulator } from '../../src/sandbox/emulator/server.ts';
import { PERSONAS, personaRoles, SANDBOX_CHANNEL } from '../../src/sandbox/personas.ts';
import { createSlackRequester, type SlackRequester } from '../../src/sandbox/slack-requests.ts';
import type { TestDatabase } from './database.ts';
import { LogCapture } from './logs.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const INTAKE_TOKEN = 'test-intake-token-0123456789';
/** The loopback-only operator API's token (POST /api/reminders/sweep). */
export const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';
export const CHANNEL = SANDBOX_CHANNEL.id;
export const USERS = {
  reviewer: PERSONAS[0]?.id ?? '',
  reviewer2: PERSONAS[1]?.id ?? '',
  architect: PERSONAS[2]?.id ?? '',
  admin: PERSONAS[3]?.id ?? '',
  outsider: PERSONAS[4]?.id ?? '',
};

export type Harness = {
  baseUrl: string;
  emulator: RunningEmulator;
  slack: SlackRequester;
  app: RunningApp;
  logs: LogCapture;
  /** POSTs an application to the intake API. */
  intake(
    body: unknown,
    init?: { token?: string | null; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; json: any }>;
  get(path: string, token?: string | null): Promise<{ status: number; json: any }>;
  /** Waits until every Slack effect that is due has been delivered. */
  settle(): Promise<void>;
  /**
   * Between tests: lets the outbox finish what the last test left in flight (its settle, racing
   * the truncate, can deadlock with it), then empties the database and Slack's state.
   */
  reset(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The real app on a random loopback port, on the given database, with the emulator as Slack
 * (strict Block Kit limits, as Slack enforces them) and signed requests as Slack sends them.
 */
export async function startHarness(
  database: TestDatabase,
  options: {
    clock?: Clock;
    emulator?: Partial<EmulatorOptions>;
    questionnaire?: Questionnaire;
    metrics?: AppDeps['metrics'];
    webhook?: AppDeps['webhook'];
    /** In place of the default policy (loadConfig({}).policy). */
    policy?: Policy;
    /** Republish App Homes after changes, as main does (off by default: tests publish by opening the tab). */
    homeRefresh?: AppDeps['homeRefresh'];
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? systemClock;
  const logs = new LogCapture();
  const logger = createLogger('debug', logs);
  const emulator = await startTestEmulator(options.emulator);
  const {
    app: running,
    baseUrl,
    slack,
  } = await startTestApp({
    database,
    emulator,
    clock,
    logger,
    ...(options.questionnaire ? { questionnaire: options.questionnaire } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.webhook ? { webhook: options.webhook } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.homeRefresh ? { homeRefresh: options.homeRefresh } : {}),
  });

  async function request(path: string, init: RequestInit, token: string | null | undefined) {
    const headers = new Headers(init.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token ?? INTAKE_TOKEN}`);
    const response = await fetch(`${baseUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  return {
    baseUrl,
    emulator,
    slack,
    app: running,
    logs,
    intake: (body, init = {}) =>
      request(
        '/api/applications',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...init.headers },
          body: init.raw ?? JSON.stringify(body),
        },
        init.token,
      ),
    get: (path, token) => request(path, { method: 'GET' }, token),
    async reset() {
      await running.dispatcher.drain();
      await database.reset();
      emulator.state.reset();
    },
    async settle() {
      for (let i = 0; i < 50; i += 1) {
        await running.dispatcher.drain();
        if ((await running.dispatcher.pending()) === 0) return;
      }
      throw new Error('outbox did not settle after 50 drains');
    },
    async stop() {
      await running.stop();
      await emulator.close();
    },
  };
}

/**
 * Slack as the tests see it: the personas, the review channel, Block Kit limits, scopes and
 * membership enforced as Slack does. Rate tiers only where a test asks for them (they would
 * slow every suite down).
 */
export function startTestEmulator(overrides: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startSlackEmulator({ token: BOT_TOKEN, users: PERSONAS, channels: [SANDBOX_CHANNEL], strictLimits: true, ...overrides });
}

/**
 * The real app as the tests run it (test tokens, the personas' roles, the default policy, no
 * pacing) on a random loopback port, and a requester that signs as Slack does for it.
 */
export async function startTestApp(options: {
  database: Database;
  emulator: RunningEmulator;
  clock: Clock;
  logger: Logger;
  httpTimeouts?: AppDeps['httpTimeouts'];
  questionnaire?: Questionnaire;
  metrics?: AppDeps['metrics'];
  webhook?: AppDeps['webhook'];
  policy?: Policy;
  homeRefresh?: AppDeps['homeRefresh'];
}): Promise<{ app: RunningApp; baseUrl: string; slack: SlackRequester }> {
  const app = await buildApp({
    slack: {
      mode: 'http',
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: options.emulator.apiUrl,
      botId: 'BTEST',
      botUserId: 'UTESTBOT',
    },
    database: options.database,
    clock: options.clock,
    logger: options.logger,
    reviewChannelId: CHANNEL,
    intakeToken: INTAKE_TOKEN,
    sweepRoute: { token: ADMIN_API_TOKEN, loopbackOnly: true },
    roles: personaRoles(),
    questionnaire: options.questionnaire ?? loadQuestionnaire(),
    policy: options.policy ?? loadConfig({}).policy,
    postIntervalMs: 0,
    // Tests drive delivery with settle(); the poll only matters for retries.
    outboxPollMs: 60_000,
    ...(options.httpTimeouts ? { httpTimeouts: options.httpTimeouts } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.webhook ? { webhook: options.webhook } : {}),
    ...(options.homeRefresh ? { homeRefresh: options.homeRefresh } : {}),
  }).start({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const slack = createSlackRequester({
    botUrl: `${baseUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
    emulator: options.emulator,
    emulatorUrl: options.emulator.url,
    channelId: CHANNEL,
    // As strict as the Web API: a reply or modal Slack would refuse fails the test that caused it.
    onRefusedAck: ({ what, problems }) => {
      throw new Error(`Slack would refuse the ack of ${what}: ${problems.join('; ')}`);
    },
  });
  return { app, baseUrl, slack };
}
