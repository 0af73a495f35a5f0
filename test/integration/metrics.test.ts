import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { PERSONAS } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { ADMIN_API_TOKEN, CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { reviewer } from '../support/reviewer.ts';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
const clock = new FakeClock('2026-03-02T09:00:00Z');

let database: TestDatabase;
let h: Harness;
let receiver: Server;
let receiverUrl: string;
/** What the webhook receiver answers: failing until the test lets it take events. */
let receiverStatus = 503;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    res.writeHead(receiverStatus).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  database = await createTestDatabase();
  h = await startHarness(database, {
    clock,
    metrics: { token: METRICS_TOKEN, port: 0 },
    webhook: { url: receiverUrl, secret: 'webhook-secret-0123456789' },
  });
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The Prometheus text format, one sample a line (`name{a="b",…} value`). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key as string] = value as string;
      }
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

async function scrape(base = h.baseUrl, token: string | null = METRICS_TOKEN) {
  const response = await fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('GET /metrics', () => {
  it('is refused without the metrics token, on the app port and on its own port', async () => {
    expect((await scrape(h.baseUrl, null)).status).toBe(401);
    expect((await scrape(h.baseUrl, 'not-the-metrics-token-000')).status).toBe(401);
    // The intake token is not the metrics token.
    expect((await scrape(h.baseUrl, 'test-intake-token-0123456789')).status).toBe(401);
    const own = `http://127.0.0.1:${h.app.metricsPort}`;
    expect((await scrape(own, null)).status).toBe(401);
    expect((await scrape(own)).status).toBe(200);
    expect((await fetch(`${own}/readyz`)).status).toBe(404);
  });

  it('counts requests, decisions, Slack calls, the outbox and webhooks, and no label names an organization or a person', async () => {
    // Traffic: two applications (one card stuck behind a Slack 500), a bad body, a claim, a refused call report.
    const bodies = [applicationBody(), applicationBody()];
    const first = await h.intake(bodies[0]);
    expect(first.status).toBe(201);
    await h.settle();
    expect((await h.intake({ ...bodies[1], organization: 'none' })).status).toBe(400);
    const r = reviewer(h);
    await r.click(USERS.reviewer, first.json.id, 'card.claim');
    await h.settle();
    const refused = await fetch(`${h.baseUrl}/api/applications/${first.json.id}/restricted-calls`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-intake-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ at: '2026-03-01T10:00:00Z', operation: 'getOrders' }),
    });
    expect(refused.status).toBe(409);
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    expect((await h.intake(bodies[1])).status).toBe(201);
    await h.app.dispatcher.drain();
    clock.advanceBy(90_000);

    // The webhook receiver has failed at least once (the relay runs after each commit).
    let samples = parse((await scrape()).text);
    for (let i = 0; i < 100 && value(samples, 'pii_review_webhook_failures_total') === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      samples = parse((await scrape()).text);
    }
    const answer = await scrape();
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('text/plain');
    samples = parse(answer.text);

    // Requests by kind and outcome, with their latency histogram filled.
    expect(value(samples, 'pii_review_requests_total', { kind: 'intake', outcome: '201' })).toBe(2);
    expect(value(samples, 'pii_review_requests_total', { kind: 'intake', outcome: '400' })).toBe(1);
    expect(value(samples, 'pii_review_requests_total', { kind: 'restricted_call', outcome: '409' })).toBe(1);
    expect(value(samples, 'pii_review_requests_total', { kind: 'slack_action', outcome: 'ok' })).toBe(1);
    expect(value(samples, 'pii_review_requests_total', { kind: 'slack_http', outcome: '200' })).toBe(1);
    expect(value(samples, 'pii_review_requests_total', { kind: 'metrics', outcome: '401' })).toBeGreaterThan(0);
    expect(value(samples, 'pii_review_request_duration_seconds_count', { kind: 'intake' })).toBe(3);
    expect(value(samples, 'pii_review_request_duration_seconds_bucket', { kind: 'intake', le: '+Inf' })).toBe(3);
    expect(value(samples, 'pii_review_request_duration_seconds_sum', { kind: 'intake' })).toBeGreaterThan(0);

    // Decisions by command and result.
    expect(value(samples, 'pii_review_decisions_total', { command: 'claim', result: 'done' })).toBe(1);
    expect(value(samples, 'pii_review_decisions_total', { command: 'record_restricted_call', result: 'refused' })).toBe(1);

    // Outbox: the card Slack failed with a 500 is pending (its thread lines behind it), 90 s old; nothing parked. Deliveries by method and error.
    expect(value(samples, 'pii_review_outbox_depth')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'pii_review_outbox_oldest_pending_seconds')).toBe(90);
    expect(value(samples, 'pii_review_outbox_parked')).toBe(0);
    expect(value(samples, 'pii_review_slack_calls_total', { method: 'chat.postMessage', error: 'none' })).toBeGreaterThan(0);
    expect(value(samples, 'pii_review_slack_calls_total', { method: 'chat.postMessage', error: 'http_error' })).toBe(1);

    // Webhooks: every event is still waiting on the receiver, the oldest since the first intake.
    expect(value(samples, 'pii_review_webhook_failures_total')).toBeGreaterThan(0);
    expect(value(samples, 'pii_review_webhook_deliveries_total')).toBe(0);
    expect(value(samples, 'pii_review_webhook_backlog_events')).toBeGreaterThanOrEqual(3);
    expect(value(samples, 'pii_review_webhook_lag_seconds')).toBe(90);

    // The database pool and Node's own metrics.
    expect(value(samples, 'pii_review_database_up')).toBe(1);
    expect(value(samples, 'pii_review_db_pool_connections', { state: 'max' })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name === 'pii_review_db_pool_waiting')).toBe(true);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(samples.some((s) => s.name === name)).toBe(true);
    }

    // No label value names an organization, a profile, a person, the channel or an application.
    const forbidden = new Set<string>([
      ...bodies.flatMap((b) => [b.organization.name, b.profileId, b.contact.email]),
      ...PERSONAS.map((p) => p.id),
      CHANNEL,
    ]);
    const values = samples.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => forbidden.has(v) || [...forbidden].some((f) => v.includes(f)))).toEqual([]);
    const labelNames = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].filter((n) => /id|user|org|profile|application/i.test(n))).toEqual([]);
  });

  it('moves the webhook gauges once the receiver takes the events', async () => {
    receiverStatus = 200;
    clock.advanceBy(15 * 60_000);
    let samples = parse((await scrape()).text);
    for (let i = 0; i < 100 && value(samples, 'pii_review_webhook_backlog_events') > 0; i += 1) {
      h.app.jobs.kick();
      await new Promise((resolve) => setTimeout(resolve, 50));
      samples = parse((await scrape()).text);
    }
    expect(value(samples, 'pii_review_webhook_backlog_events')).toBe(0);
    expect(value(samples, 'pii_review_webhook_lag_seconds')).toBe(0);
    expect(value(samples, 'pii_review_webhook_deliveries_total')).toBeGreaterThanOrEqual(3);
  });

  it('counts the reminders a sweep claimed and posted, by kind', async () => {
    // Two weeks on, the applications are stale and the day's digest is due.
    clock.advanceBy(14 * 24 * 3600_000);
    const sweep = await fetch(`${h.baseUrl}/api/reminders/sweep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const answer = (await sweep.json()) as { delivered: boolean; reminders: { kind: string }[] };
    expect(answer.delivered).toBe(true);
    const kinds = [...new Set(answer.reminders.map((r) => r.kind))];
    expect(kinds).toContain('digest');
    const samples = parse((await scrape()).text);
    for (const kind of kinds) {
      const claimed = answer.reminders.filter((r) => r.kind === kind).length;
      expect(value(samples, 'pii_review_reminders_claimed_total', { kind }), kind).toBe(claimed);
      expect(value(samples, 'pii_review_reminders_posted_total', { kind }), kind).toBe(claimed);
    }
    expect(value(samples, 'pii_review_requests_total', { kind: 'reminder_sweep', outcome: '200' })).toBe(1);
  });

  it("counts the listeners' Web API calls too: a modal opened, and one Slack refused", async () => {
    const id = (await h.intake(applicationBody())).json.id as number;
    await h.settle();
    const opened = (samples: Sample[], error: string) =>
      value(samples, 'pii_review_slack_calls_total', { method: 'views.open', error });
    const before = parse((await scrape()).text);
    /** The emulator has answered before the bot's client counts the call: look again until it has. */
    const counted = async (error: string) => {
      let samples = parse((await scrape()).text);
      for (let i = 0; i < 50 && opened(samples, error) === opened(before, error); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        samples = parse((await scrape()).text);
      }
      return opened(samples, error) - opened(before, error);
    };
    const r = reviewer(h);
    await r.open(USERS.reviewer, id, 'card.business_review');
    expect(await counted('none')).toBe(1);
    h.emulator.state.faults.push({ method: 'views.open', fault: { error: 'expired_trigger_id' } });
    await r.click(USERS.reviewer, id, 'card.business_review');
    expect(await counted('expired_trigger_id')).toBe(1);
    expect(await counted('none')).toBe(1);
  });
});
