import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackSignature } from '../../src/sandbox/slack-requests.ts';
import { canariesIn, canaryApplication } from '../support/canaries.ts';
import { captureSlackRequest, type RawRequest, sendRaw, sendRawTo } from '../support/capture.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USERS } from '../support/harness.ts';
import { tableCounts } from '../support/invariants.ts';
import { reviewer } from '../support/reviewer.ts';
import { untilQuiet } from '../support/slack-observer.ts';

/** Slack: refuse requests whose timestamp is more than 5 minutes away from now, either way (SLACK.md, Signing). */
const MAX_SKEW_S = 5 * 60;

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const now = () => Math.floor(Date.now() / 1000);
const signed = (body: string, ts = now(), secret = SIGNING_SECRET) => ({
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': slackSignature(secret, ts, body),
});

/** Three kinds of Slack request that would each change something if let in. */
async function requests(): Promise<Record<string, RawRequest>> {
  const id = (await h.intake(canaryApplication())).json.id as number;
  await h.settle();
  const ts = r.card(id).ts;
  return {
    'a Claim click': await captureSlackRequest(h, (s) =>
      s.messageAction({ user: USERS.reviewer, channel: CHANNEL, ts, action: { actionId: 'card.claim', value: `${id}:1` } }),
    ),
    'a /pii status command': await captureSlackRequest(h, (s) => s.command({ user: USERS.reviewer, text: `status ${id}` })),
    'an app_home_opened event': await captureSlackRequest(h, (s) =>
      s.event({ type: 'app_home_opened', user: USERS.reviewer, channel: 'D0HOME', tab: 'home' }),
    ),
  };
}

const FORGERIES: [string, (body: string) => Record<string, string>][] = [
  ['signed with another secret', (body) => signed(body, now(), 'not-the-signing-secret')],
  ['without a signature header', () => ({ 'x-slack-request-timestamp': String(now()) })],
  ['without a timestamp header', (body) => ({ 'x-slack-signature': signed(body)['x-slack-signature'] })],
  ['with neither header', () => ({})],
  ['with an empty signature', () => ({ 'x-slack-request-timestamp': String(now()), 'x-slack-signature': '' })],
  ['with a malformed signature (v0=zz)', () => ({ 'x-slack-request-timestamp': String(now()), 'x-slack-signature': 'v0=zz' })],
  [
    'with the signature of another version (v1=…)',
    (body) => ({ ...signed(body), 'x-slack-signature': signed(body)['x-slack-signature'].replace('v0=', 'v1=') }),
  ],
  [
    'with a truncated signature',
    (body) => ({ ...signed(body), 'x-slack-signature': signed(body)['x-slack-signature'].slice(0, 40) }),
  ],
  ['with a non-numeric timestamp', (body) => ({ ...signed(body), 'x-slack-request-timestamp': 'yesterday' })],
  ['signed for another body', (body) => signed(`${body}&x=1`)],
  ['stale (6 minutes old)', (body) => signed(body, now() - MAX_SKEW_S - 60)],
  ['from the future (6 minutes ahead)', (body) => signed(body, now() + MAX_SKEW_S + 60)],
  ['from far in the future (a day ahead)', (body) => signed(body, now() + 86_400)],
];

describe('requests that are not provably from Slack, now', () => {
  it.each(FORGERIES)('refuses a request %s with 401 and changes nothing', async (_name, headers) => {
    for (const [kind, request] of Object.entries(await requests())) {
      const before = await tableCounts(database.db);
      const calls = h.emulator.state.calls.length;
      const answer = await sendRaw(h, request, headers(request.body));
      expect(answer.status, kind).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await tableCounts(database.db), kind).toEqual(before);
      expect(h.emulator.state.calls.slice(calls), `${kind}: Slack calls`).toEqual([]);
    }
  });
});

/** Request targets that Bolt's receiver routes to /slack/events like the plain one (WHATWG URL parsing). */
const SPELLINGS = [
  '/slack/events?retry=1',
  '/slack/events#fragment',
  '/slack/./events',
  '/slack/x/../events',
  '/slack/%2e/events',
  '\\slack\\events',
];

describe('requests that are not provably from Slack, however the path is spelled', () => {
  it.each(SPELLINGS)('refuses a forged request sent to %s and changes nothing', async (target) => {
    for (const [kind, request] of Object.entries(await requests())) {
      const before = await tableCounts(database.db);
      const calls = h.emulator.state.calls.length;
      const answer = await sendRawTo(h, target, request, signed(request.body, now(), 'not-the-signing-secret'));
      // Node's HTTP parser refuses some spellings (a backslash) with 400 before anything routes them.
      expect([400, 401], kind).toContain(answer.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await tableCounts(database.db), kind).toEqual(before);
      expect(h.emulator.state.calls.slice(calls), `${kind}: Slack calls`).toEqual([]);
    }
  });
});

describe('a replayed request', () => {
  it('answers the first delivery and refuses the exact same signed request sent again', async () => {
    for (const [kind, request] of Object.entries(await requests())) {
      const headers = signed(request.body);
      expect((await sendRaw(h, request, headers)).status, `${kind}, first`).toBe(200);
      await h.settle();
      // What the first delivery does after its ack (the Home tab's views.publish) must land before the replay.
      await untilQuiet(h.emulator, 300);
      const before = await tableCounts(database.db);
      const calls = h.emulator.state.calls.length;
      expect((await sendRaw(h, request, headers)).status, `${kind}, replayed`).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await h.settle();
      expect(await tableCounts(database.db), kind).toEqual(before);
      expect(h.emulator.state.calls.slice(calls), `${kind}: Slack calls after the replay`).toEqual([]);
    }
  });

  it('lets Slack’s own retry through: same body, new timestamp and signature (X-Slack-Retry-Num)', async () => {
    const { 'a /pii status command': request } = await requests();
    if (!request) throw new Error('no request');
    expect((await sendRaw(h, request, signed(request.body))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const retry = { ...signed(request.body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    expect((await sendRaw(h, request, retry)).status).toBe(200);
  });
});

describe('what is accepted', () => {
  it.each([
    ['now', 0],
    ['with a clock 30 s behind', -30],
    ['with a clock 30 s ahead', 30],
    ['4 minutes old', -240],
  ])('a correctly signed request made %s', async (_name, skew) => {
    const { 'a /pii status command': request } = await requests();
    if (!request) throw new Error('no request');
    const answer = await sendRaw(h, request, signed(request.body, now() + skew));
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Stage 1');
  });

  it('logged no contact data or security answers', () => {
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});
