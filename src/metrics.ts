import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyMiddlewareArgs, CustomRoute, Middleware } from '@slack/bolt';
import type { WebAPICallResult } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import client from 'prom-client';
import type { Database } from '../db/client.ts';
import { rowsOf } from '../db/rows.ts';
import type { Clock } from './clock.ts';
import { SlackWebClient } from './http/slack-client.ts';

/**
 * Prometheus metrics (prom-client). Counters and histograms live in one process-wide registry
 * and are fed by the typed recorders below, one call at each point that matters; the gauges
 * read from the database are collected per app at scrape time (`createMetrics`).
 *
 * Labels carry bounded sets only: request kinds, HTTP statuses, command types, Slack method
 * names and error codes, reminder kinds. Never an organization, a profile id or a user id.
 */
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const requests = new client.Counter({
  name: 'pii_review_requests_total',
  help: 'Requests answered, by kind (Slack request type or HTTP route) and outcome (HTTP status, or ok/error for Slack handling).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});
const requestSeconds = new client.Histogram({
  name: 'pii_review_request_duration_seconds',
  help: 'Time to answer a request, by kind.',
  labelNames: ['kind'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [registry],
});
const decisions = new client.Counter({
  name: 'pii_review_decisions_total',
  help: 'Decisions applied, by command and result (done, refused, conflict, duplicate, not_found).',
  labelNames: ['command', 'result'] as const,
  registers: [registry],
});
const slackCalls = new client.Counter({
  name: 'pii_review_slack_calls_total',
  help: 'Slack Web API calls of the outbox and jobs (deliveries), by method and error ("none" when it succeeded).',
  labelNames: ['method', 'error'] as const,
  registers: [registry],
});
const remindersClaimed = new client.Counter({
  name: 'pii_review_reminders_claimed_total',
  help: 'Reminders claimed by this instance (each reminder is claimed once across instances), by kind.',
  labelNames: ['kind'] as const,
  registers: [registry],
});
const remindersPosted = new client.Counter({
  name: 'pii_review_reminders_posted_total',
  help: 'Reminders posted to Slack by this instance, by kind.',
  labelNames: ['kind'] as const,
  registers: [registry],
});
const webhookDeliveries = new client.Counter({
  name: 'pii_review_webhook_deliveries_total',
  help: 'Events the webhook receiver acknowledged (2xx).',
  registers: [registry],
});
const webhookFailures = new client.Counter({
  name: 'pii_review_webhook_failures_total',
  help: 'Webhook posts that failed (no 2xx, timeout, network); each is retried with backoff.',
  registers: [registry],
});

/** Slack method names and error codes are Slack's own bounded vocabularies; anything else is "other". */
const SLACK_METHOD = /^[a-z]+(\.[a-zA-Z]+){1,3}$/;
const SLACK_ERROR = /^[a-z_]{1,60}$/;

export type RequestKind =
  | 'slack_http'
  | 'slack_command'
  | 'slack_action'
  | 'slack_view_submission'
  | 'slack_view_closed'
  | 'slack_options'
  | 'slack_shortcut'
  | 'slack_event'
  | 'slack_other'
  | 'intake'
  | 'application'
  | 'restricted_call'
  | 'reminder_sweep'
  | 'openapi'
  | 'healthz'
  | 'readyz'
  | 'metrics'
  | 'other';

export function recordRequest(kind: RequestKind, outcome: string, seconds: number): void {
  requests.inc({ kind, outcome });
  requestSeconds.observe({ kind }, seconds);
}

/** Times an HTTP request from now until its answer is sent; the outcome is the status code. */
export function timeHttpRequest(kind: RequestKind, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    recordRequest(kind, String(res.statusCode), Number(process.hrtime.bigint() - started) / 1e9);
  });
}

export function recordDecision(command: string, result: 'done' | 'refused' | 'conflict' | 'duplicate' | 'not_found'): void {
  decisions.inc({ command: /^[a-z_]{1,60}$/.test(command) ? command : 'other', result });
}

/** A Slack Web API call's fate: `error` is Slack's code (or rate_limited, http_error, request_error). */
export function recordSlackCall(method: string, error?: string): void {
  slackCalls.inc({
    method: SLACK_METHOD.test(method) ? method : 'other',
    error: error === undefined ? 'none' : SLACK_ERROR.test(error) ? error : 'other',
  });
}

const boundedKind = (kind: string) => (/^[a-z_]{1,40}$/.test(kind) ? kind : 'other');

export function recordRemindersClaimed(claimed: readonly { kind: string }[]): void {
  for (const { kind } of claimed) remindersClaimed.inc({ kind: boundedKind(kind) });
}

export function recordReminderPosted(kind: string): void {
  remindersPosted.inc({ kind: boundedKind(kind) });
}

export function recordWebhookDelivery(ok: boolean): void {
  (ok ? webhookDeliveries : webhookFailures).inc();
}

/** The kind of a Slack request from its body: bounded, whatever the body holds. */
function slackKind(body: Record<string, unknown>): RequestKind {
  if (typeof body.command === 'string') return 'slack_command';
  switch (body.type) {
    case 'block_actions':
      return 'slack_action';
    case 'view_submission':
      return 'slack_view_submission';
    case 'view_closed':
      return 'slack_view_closed';
    case 'block_suggestion':
      return 'slack_options';
    case 'shortcut':
    case 'message_action':
      return 'slack_shortcut';
    case 'event_callback':
      return 'slack_event';
    default:
      return 'slack_other';
  }
}

/** Bolt global middleware: every Slack request's handling (ack included), by type, ok or error. */
export const slackRequestMetrics: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  const kind = slackKind(body as unknown as Record<string, unknown>);
  const started = process.hrtime.bigint();
  let outcome = 'error';
  try {
    await next();
    outcome = 'ok';
  } finally {
    recordRequest(kind, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }
};

/** Slack's HTTP endpoint as the sender sees it (refused signatures included): the time to the ack. */
export function timeSlackHttp(
  inner: (req: IncomingMessage, res: ServerResponse) => void,
  path: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] === path) timeHttpRequest('slack_http', res);
    inner(req, res);
  };
}

const ROUTE_KINDS: Record<string, RequestKind> = {
  'POST /api/applications': 'intake',
  'GET /api/applications/:id': 'application',
  'POST /api/applications/:id/restricted-calls': 'restricted_call',
  'POST /api/reminders/sweep': 'reminder_sweep',
  'GET /api/openapi.json': 'openapi',
  'GET /healthz': 'healthz',
  'GET /readyz': 'readyz',
  'GET /metrics': 'metrics',
};

/** Our own HTTP routes, timed by route (the path template, never the id in the URL); other routes are left as they are. */
export function timedRoutes(routes: CustomRoute[]): CustomRoute[] {
  return routes.map((route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const kind = ROUTE_KINDS[`${methods[0]?.toUpperCase()} ${route.path}`];
    if (kind === undefined) return route;
    return {
      ...route,
      handler: (req, res) => {
        timeHttpRequest(kind, res);
        return route.handler(req, res);
      },
    };
  });
}

/** The slice of the outbox and webhook state the gauges need, read at scrape time. */
async function queueFigures(db: Database['db'], webhook: boolean) {
  const [outbox] = rowsOf<{ depth: number; oldest: string | Date | null; parked: number }>(
    await db.execute(sql`
      select
        (select count(*)::int from outbox where done_at is null) as depth,
        (select min(created_at) from outbox where done_at is null) as oldest,
        (select count(*)::int from outbox where parked_at is not null) as parked`),
  );
  if (!webhook) return { outbox, webhook: undefined };
  // The cursor, the first event past it (its age is the lag) and the newest event: primary-key lookups.
  const [state] = rowsOf<{ behind: number | null; at: string | Date | null }>(
    await db.execute(sql`
      with cursor as (select coalesce((select last_event_id from webhook_state where id = 1), 0) as id)
      select
        ((select coalesce(max(id), 0) from events) - (select id from cursor))::int as behind,
        (select at from events where id > (select id from cursor) order by id limit 1) as at`),
  );
  return { outbox, webhook: state };
}

const toDate = (value: string | Date | null | undefined): Date | undefined =>
  value === null || value === undefined ? undefined : new Date(value);

export type Metrics = {
  /** The Prometheus text of everything: process-wide counters and this app's gauges. */
  render(): Promise<{ contentType: string; body: string }>;
};

/**
 * The gauges of one app, collected from its database when scraped: outbox depth, the age of the
 * oldest pending effect, parked effects, the webhook backlog and lag, the pool's connections.
 * Each scrape costs one or two small queries on partial or primary-key indexes.
 */
export function createMetrics(deps: { database: Database; clock: Clock; webhook: boolean }): Metrics {
  const own = new client.Registry();
  // Concurrent scrapes share one read.
  let reading: Promise<void> | undefined;
  const refresh = () => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new client.Gauge({ name, help, labelNames, registers: [own] });
  const depth = gauge('pii_review_outbox_depth', 'Slack effects not yet delivered (due or waiting for a retry).');
  const oldest = gauge(
    'pii_review_outbox_oldest_pending_seconds',
    'Age of the oldest Slack effect not yet delivered (0 when none).',
  );
  const parked = gauge('pii_review_outbox_parked', 'Slack effects parked: refused by Slack for good, waiting on an admin.');
  const webhookBehind = deps.webhook
    ? gauge('pii_review_webhook_backlog_events', 'Events recorded but not yet acknowledged by the webhook receiver.')
    : undefined;
  const webhookLag = deps.webhook
    ? gauge(
        'pii_review_webhook_lag_seconds',
        'Age of the oldest event not yet acknowledged by the webhook receiver (0 when none).',
      )
    : undefined;
  const databaseUp = gauge('pii_review_database_up', '1 when the gauges could be read from the database at this scrape.');
  const pool = gauge(
    'pii_review_db_pool_connections',
    'Database pool connections by state (total, idle) and its size (max); embedded PGlite is one connection.',
    ['state'],
  );
  const waiting = gauge('pii_review_db_pool_waiting', 'Queries waiting for a free pool connection.');

  async function read(): Promise<void> {
    const now = deps.clock.now().getTime();
    const age = (at: Date | undefined) => (at ? Math.max(0, (now - at.getTime()) / 1000) : 0);
    try {
      const figures = await queueFigures(deps.database.db, deps.webhook);
      depth.set(Number(figures.outbox?.depth ?? 0));
      oldest.set(age(toDate(figures.outbox?.oldest)));
      parked.set(Number(figures.outbox?.parked ?? 0));
      webhookBehind?.set(Math.max(0, Number(figures.webhook?.behind ?? 0)));
      webhookLag?.set(age(toDate(figures.webhook?.at)));
      databaseUp.set(1);
    } catch {
      databaseUp.set(0);
    }
    const stats = deps.database.poolStats?.();
    if (stats) {
      pool.set({ state: 'max' }, stats.max);
      pool.set({ state: 'total' }, stats.total);
      pool.set({ state: 'idle' }, stats.idle);
      waiting.set(stats.waiting);
    }
  }

  return {
    async render() {
      // The database first, the counters after: a counter moves before the row it reports on
      // (a webhook delivery is counted before the cursor passes it), so a scrape never shows a
      // drained backlog beside fewer deliveries than drained it. The registry would otherwise
      // sample the counters at once and the gauges only when their read came back.
      await refresh();
      const merged = client.Registry.merge([registry, own]);
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
  };
}

/** Slack's code for a failed Web API call, or the kind of failure when Slack gave none. */
function slackErrorOf(error: unknown): string {
  const coded = error as { code?: string; data?: { error?: unknown } };
  switch (coded.code) {
    case 'slack_webapi_platform_error':
      return typeof coded.data?.error === 'string' ? coded.data.error : 'platform_error';
    case 'slack_webapi_rate_limited_error':
      return 'rate_limited';
    case 'slack_webapi_http_error':
      return 'http_error';
    case 'slack_webapi_request_error':
      return 'request_error';
    default:
      return 'other';
  }
}

/** The bot's Web API client, counting every call by method and error. */
export class CountedWebClient extends SlackWebClient {
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      recordSlackCall(method);
      return result;
    } catch (error) {
      recordSlackCall(method, slackErrorOf(error));
      throw error;
    }
  }
}

/**
 * GET /metrics: on PORT behind the bearer token, or (`metricsServer`) on a port of its own,
 * where the token is asked for too when one is set.
 */
export function metricsHandler(
  metrics: Metrics,
  token: string | undefined,
  hasBearer: (req: IncomingMessage, token: string) => boolean,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    if (token !== undefined && !hasBearer(req, token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The metrics could not be collected.\n');
      },
    );
  };
}

/** A server of its own for GET /metrics (METRICS_PORT); anything else is 404. */
export async function startMetricsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  listen: { port: number; host?: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
      timeHttpRequest('metrics', res);
      return handler(req, res);
    }
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Only GET /metrics is served here.\n');
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
