import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Policy, Roles } from './config.ts';
import { createHomeRefresher } from './dashboard/home-refresher.ts';
import { healthRoutes, intakeRoutes } from './http/intake-routes.ts';
import { remindRoute } from './http/remind-route.ts';
import { guardSlackRequests } from './http/request-guard.ts';
import { createJobs, type Jobs } from './jobs/index.ts';
import { createLiveness } from './jobs/liveness.ts';
import type { OutboxDispatcher } from './jobs/outbox-dispatcher.ts';
import { reportError } from './listeners/errors.ts';
import { registerListeners } from './listeners/index.ts';
import { type Logger, slackLoggerFrom } from './logger.ts';
import type { Questionnaire } from './questionnaire/questionnaire.ts';

export type AppDeps = {
  slack: {
    mode: 'http' | 'socket';
    botToken: string;
    signingSecret: string;
    appToken?: string;
    apiUrl?: string;
    /** Known ids skip Bolt's `auth.test` at start (the sandbox knows its bot). */
    botId?: string;
    botUserId?: string;
  };
  database: Database;
  clock: Clock;
  logger: Logger;
  reviewChannelId: string;
  intakeToken: string;
  roles: Roles;
  questionnaire: Questionnaire;
  policy: Policy;
  outboxPollMs: number;
  /** Spacing of posts per channel (Slack's ~1 message per second); 0 in tests. */
  postIntervalMs: number;
  webhook?: { url: string; secret: string };
  /** Republish the App Home of the team after changes (debounced per user); off in tests that count views. */
  homeRefresh?: { debounceMs: number };
  /** More routes on the same server (the sandbox's emulator and UI). */
  extraRoutes?: CustomRoute[];
};

export type RunningApp = {
  app: App;
  dispatcher: OutboxDispatcher;
  jobs: Jobs;
  /** The port the HTTP server listens on. */
  port: number;
  stop(): Promise<void>;
};

export type BuiltApp = {
  app: App;
  dispatcher: OutboxDispatcher;
  start(listen: { port: number; host?: string }): Promise<RunningApp>;
};

export function buildApp(deps: AppDeps): BuiltApp {
  const { logger } = deps;
  const slackLogger = slackLoggerFrom(logger, 'bolt');
  let shuttingDown = false;

  // Slack effects are retried from the outbox (durable), so the client itself never waits on retries.
  const clientOptions = {
    ...(deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: slackLoggerFrom(logger, 'slack-web-api'),
    logLevel: LogLevel.WARN,
  };
  const slackClient = new WebClient(deps.slack.botToken, clientOptions);
  const liveness = createLiveness({ database: deps.database, logger: logger.child({ component: 'liveness' }) });
  const jobs = createJobs({
    db: deps.database.db,
    slack: slackClient,
    clock: deps.clock,
    logger,
    policy: deps.policy,
    reviewChannelId: deps.reviewChannelId,
    pollMs: deps.outboxPollMs,
    postIntervalMs: deps.postIntervalMs,
    instanceKey: liveness.current,
    ...(deps.webhook ? { webhook: deps.webhook } : {}),
  });
  const { dispatcher } = jobs;
  const home = deps.homeRefresh
    ? createHomeRefresher({
        db: deps.database.db,
        slack: slackClient,
        clock: deps.clock,
        logger: logger.child({ component: 'home' }),
        policy: deps.policy,
        roles: deps.roles,
        debounceMs: deps.homeRefresh.debounceMs,
      })
    : undefined;
  // A change can move any application in or out of someone's Home lists; publishes are debounced.
  const onCommitted = () => {
    jobs.kick();
    home?.touchTeam();
  };

  const customRoutes: CustomRoute[] = [
    ...healthRoutes({ ping: () => deps.database.ping(), isShuttingDown: () => shuttingDown }),
    ...intakeRoutes({
      db: deps.database.db,
      clock: deps.clock,
      logger,
      roles: deps.roles,
      questionnaire: deps.questionnaire,
      policy: deps.policy,
      intakeToken: deps.intakeToken,
      onCommitted,
    }),
    remindRoute({ db: deps.database.db, clock: deps.clock, policy: deps.policy, logger, intakeToken: deps.intakeToken, jobs }),
    ...(deps.extraRoutes ?? []),
  ];

  const common = {
    token: deps.slack.botToken,
    ...(deps.slack.botId ? { botId: deps.slack.botId } : {}),
    ...(deps.slack.botUserId ? { botUserId: deps.slack.botUserId } : {}),
    logger: slackLogger,
    clientOptions,
    extendedErrorHandler: true as const,
  };
  const receiver =
    deps.slack.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: deps.slack.signingSecret,
          endpoints: ['/slack/events'],
          customRoutes,
          logger: slackLogger,
          // Answers go in the ack (ephemeral replies, modal errors), so the HTTP reply waits for it.
          processBeforeResponse: false,
        })
      : undefined;
  if (receiver) receiver.requestListener = guardSlackRequests(receiver.requestListener, { path: '/slack/events' });
  const app =
    receiver !== undefined
      ? new App({ ...common, receiver })
      : new App({ ...common, appToken: deps.slack.appToken ?? '', socketMode: true, customRoutes });

  registerListeners(app, {
    db: deps.database.db,
    clock: deps.clock,
    logger,
    roles: deps.roles,
    reviewChannelId: deps.reviewChannelId,
    questionnaire: deps.questionnaire,
    policy: deps.policy,
    onCommitted,
  });
  const onError: ExtendedErrorHandler = (args) => reportError(args, logger);
  app.error(onError);

  return {
    app,
    dispatcher,
    async start(listen) {
      let port = listen.port;
      if (receiver) {
        const server = (await app.start({ port: listen.port, ...(listen.host ? { host: listen.host } : {}) })) as Server;
        port = (server.address() as AddressInfo).port;
      } else {
        await app.start();
      }
      // Before the first claim, so no lease of ours is taken with nothing to show we are alive.
      await liveness.start();
      jobs.start();
      return {
        app,
        dispatcher,
        jobs,
        port,
        async stop() {
          shuttingDown = true;
          await app.stop().catch((error: unknown) => logger.warn({ err: error }, 'receiver stop failed'));
          await Promise.all([jobs.stop(), home?.stop()]);
          await liveness.stop();
        },
      };
    },
  };
}
