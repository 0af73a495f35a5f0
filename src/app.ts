import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver } from '@slack/bolt';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Policy, Roles } from './config.ts';
import { createHomeRefresher } from './dashboard/home-refresher.ts';
import { createInFlight } from './http/in-flight.ts';
import { healthRoutes, intakeRoutes } from './http/intake-routes.ts';
import { hasBearer } from './http/json.ts';
import { openApiRoute } from './http/openapi.ts';
import { remindRoute } from './http/remind-route.ts';
import { guardSlackRequests } from './http/request-guard.ts';
import { webClientOptions } from './http/slack-client.ts';
import { PortSocketModeReceiver } from './http/socket-mode.ts';
import { createJobs, type Jobs } from './jobs/index.ts';
import { createLiveness } from './jobs/liveness.ts';
import type { OutboxDispatcher } from './jobs/outbox-dispatcher.ts';
import { slackDeliveryDetail } from './jobs/parked.ts';
import { reportError } from './listeners/errors.ts';
import { registerListeners } from './listeners/index.ts';
import { createTimeZones } from './listeners/time-zones.ts';
import { type Logger, slackLoggerFrom } from './logger.ts';
import {
  CountedWebClient,
  createMetrics,
  metricsHandler,
  slackRequestMetrics,
  startMetricsServer,
  timedRoutes,
  timeSlackHttp,
} from './metrics.ts';
import type { Questionnaire } from './questionnaire/questionnaire.ts';
import { createReadCache } from './reviews/read-cache.ts';

/**
 * How long one client may hold a connection with an unfinished request: Node's defaults (60 s
 * for the headers, 300 s for the whole request, checked every 30 s) let slow clients keep
 * sockets for minutes. Bodies are small (intake: 256 KiB; Slack: a few KiB), so seconds do.
 */
export const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };

export type AppDeps = {
  slack: {
    mode: 'http' | 'socket';
    botToken: string;
    /** Required over HTTP; Socket Mode does not sign requests. */
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** How long one Web API call may take before it fails (and the outbox retries it); default 10 s. */
    timeoutMs?: number;
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
  /**
   * Who may drive the scheduler over HTTP (npm run remind with embedded PGlite): the sandbox
   * with its intake token, or loopback callers with the admin API token. Unset: not served.
   */
  sweepRoute?: { token: string; loopbackOnly: boolean };
  /** Shorter limits than HTTP_TIMEOUTS, for tests that play the slow client. */
  httpTimeouts?: Partial<typeof HTTP_TIMEOUTS>;
  /** More routes on the same server (the sandbox's emulator and UI). */
  extraRoutes?: CustomRoute[];
  /** GET /metrics: on the app's port behind `token`, and/or on `port` of its own (0: any free port). Unset: not served. */
  metrics?: { token?: string; port?: number };
};

export type RunningApp = {
  app: App;
  dispatcher: OutboxDispatcher;
  jobs: Jobs;
  /** The port the HTTP server listens on. */
  port: number;
  /** The port of the metrics server, when it has one of its own. */
  metricsPort?: number;
  stop(): Promise<void>;
};

export type BuiltApp = {
  app: App;
  dispatcher: OutboxDispatcher;
  start(listen: { port: number; host?: string }): Promise<RunningApp>;
};

/** The longest the outbox waits, before each step, for the requests being answered. */
const IN_FLIGHT_MAX_WAIT_MS = 50;

function requireSigningSecret(secret: string | undefined): string {
  if (!secret) throw new Error('SLACK_SIGNING_SECRET is required when the bot takes Slack requests over HTTP');
  return secret;
}

export function buildApp(deps: AppDeps): BuiltApp {
  const { logger } = deps;
  const slackLogger = slackLoggerFrom(logger, 'bolt');
  let shuttingDown = false;

  const clientOptions = webClientOptions({
    ...(deps.slack.apiUrl ? { apiUrl: deps.slack.apiUrl } : {}),
    ...(deps.slack.timeoutMs === undefined ? {} : { timeoutMs: deps.slack.timeoutMs }),
    logger,
  });
  const slackClient: WebClient = new CountedWebClient(deps.slack.botToken, clientOptions);
  const metrics = createMetrics({ database: deps.database, clock: deps.clock, webhook: deps.webhook !== undefined });
  const serveMetrics = metricsHandler(metrics, deps.metrics?.token, hasBearer);
  // The Home refresher is built after the jobs; a parked effect changes what admins' Homes show,
  // and a sweep that put access at risk what every role holder's Home shows.
  let onParked = () => {};
  let onSwept = () => {};
  const inFlight = createInFlight(IN_FLIGHT_MAX_WAIT_MS);
  const liveness = createLiveness({ database: deps.database, logger: logger.child({ component: 'liveness' }) });
  const jobs = createJobs({
    onParked: () => onParked(),
    onSwept: () => onSwept(),
    slackTimeoutMs: clientOptions.timeout,
    db: deps.database.db,
    slack: slackClient,
    clock: deps.clock,
    logger,
    policy: deps.policy,
    roles: deps.roles,
    reviewChannelId: deps.reviewChannelId,
    pollMs: deps.outboxPollMs,
    postIntervalMs: deps.postIntervalMs,
    instanceKey: liveness.current,
    afterRequests: () => inFlight.idle(),
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
  if (home) {
    onParked = () => home.touchTeam();
    onSwept = () => home.touchTeam();
  }
  // A change can move any application in or out of someone's Home lists; publishes are debounced.
  const onCommitted = () => {
    jobs.kick();
    home?.touchTeam();
  };

  // Our own routes are timed by kind (src/metrics.ts); the sandbox's are left as they are.
  const customRoutes: CustomRoute[] = timedRoutes([
    ...healthRoutes({
      ping: () => deps.database.ping(),
      isShuttingDown: () => shuttingDown,
      slackDetail: () => slackDeliveryDetail(deps.database.db, dispatcher),
    }),
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
    ...(deps.sweepRoute
      ? [
          remindRoute({
            db: deps.database.db,
            clock: deps.clock,
            policy: deps.policy,
            roles: deps.roles,
            logger,
            jobs,
            onSwept: () => onSwept(),
            ...deps.sweepRoute,
          }),
        ]
      : []),
    openApiRoute(),
    ...(deps.metrics?.token ? [{ path: '/metrics', method: 'GET', handler: serveMetrics }] : []),
    ...(deps.extraRoutes ?? []),
  ]);

  const common = {
    token: deps.slack.botToken,
    ...(deps.slack.botId ? { botId: deps.slack.botId } : {}),
    ...(deps.slack.botUserId ? { botUserId: deps.slack.botUserId } : {}),
    logger: slackLogger,
    clientOptions,
    extendedErrorHandler: true as const,
    // Bolt's default conversation store looks every request's conversation up (and builds an
    // Error for each miss); no listener keeps conversation state, so it is left out.
    convoStore: false as const,
  };
  const receiver =
    deps.slack.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: requireSigningSecret(deps.slack.signingSecret),
          endpoints: ['/slack/events'],
          customRoutes,
          logger: slackLogger,
          // Answers go in the ack (ephemeral replies, modal errors), so the HTTP reply waits for it.
          processBeforeResponse: false,
          // guardSlackRequests (below) verifies every request this receiver takes as an event, with
          // Bolt's own verifier, before the receiver sees it: a second check would only parse and
          // hash each body again.
          signatureVerification: false,
        })
      : undefined;
  if (receiver) {
    receiver.requestListener = timeSlackHttp(
      guardSlackRequests(receiver.requestListener, {
        path: '/slack/events',
        signingSecret: requireSigningSecret(deps.slack.signingSecret),
      }),
      '/slack/events',
    );
    // Every request this receiver answers (Slack's, the intake API's) is counted while it is
    // answered: the outbox lets them go first (src/http/in-flight.ts).
    const answer = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      inFlight.track(res);
      answer(req, res);
    };
  }
  const socketReceiver =
    receiver === undefined
      ? new PortSocketModeReceiver({
          appToken: deps.slack.appToken ?? '',
          customRoutes,
          logger: slackLogger,
          clientOptions,
          serverLimits: { ...HTTP_TIMEOUTS, ...deps.httpTimeouts },
        })
      : undefined;
  const app = new App({ ...common, receiver: receiver ?? socketReceiver });
  app.use(slackRequestMetrics);

  registerListeners(app, {
    readCache: createReadCache(),
    timeZones: createTimeZones({ slack: slackClient, clock: deps.clock, logger }),
    slack: slackClient,
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
        // Bolt's HTTPReceiver.start(listenOptions, serverOptions) hands the second to http.createServer.
        const server = (await app.start(
          { port: listen.port, ...(listen.host ? { host: listen.host } : {}) },
          { ...HTTP_TIMEOUTS, ...deps.httpTimeouts },
        )) as Server;
        port = (server.address() as AddressInfo).port;
      } else {
        // Intake and health listen on this port at once; start() resolves when the socket is connected.
        await app.start(listen.port);
      }
      const metricsServer =
        deps.metrics?.port !== undefined
          ? await startMetricsServer(serveMetrics, { port: deps.metrics.port, ...(listen.host ? { host: listen.host } : {}) })
          : undefined;
      // Before the first claim, so no lease of ours is taken with nothing to show we are alive.
      await liveness.start();
      jobs.start();
      return {
        app,
        dispatcher,
        jobs,
        port,
        ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
        async stop() {
          shuttingDown = true;
          await metricsServer?.close();
          await app.stop().catch((error: unknown) => logger.warn({ err: error }, 'receiver stop failed'));
          await Promise.all([jobs.stop(), home?.stop()]);
          await liveness.stop();
        },
      };
    },
  };
}
