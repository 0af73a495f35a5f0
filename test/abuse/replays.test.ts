import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, templates } from '../../db/schema.ts';
import { systemClock } from '../../src/clock.ts';
import { guardSlackRequests, ReplayMemory } from '../../src/http/request-guard.ts';
import { slackSignature } from '../../src/sandbox/slack-requests.ts';
import { captureSlackRequest, type RawRequest } from '../support/capture.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, SIGNING_SECRET, startHarness, USERS } from '../support/harness.ts';
import { type Instance, startInstance } from '../support/instances.ts';
import { input, inputMore, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let other: Instance;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
  other = await startInstance('b', { database, emulator: h.emulator, clock: systemClock });
  r = reviewer(h);
});
afterAll(async () => {
  await other?.stop();
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const now = () => Math.floor(Date.now() / 1000);
const signed = (body: string, ts = now()) => ({
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
});
async function send(baseUrl: string, request: RawRequest, headers: Record<string, string>) {
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': request.contentType, ...headers },
    body: request.body,
  });
  return { status: res.status, text: await res.text() };
}
const exports = () => h.emulator.state.callsTo('files.completeUploadExternal').length;

describe('the replay guard', () => {
  let server: Server;
  let url = '';
  const memory = new ReplayMemory(50);
  beforeAll(async () => {
    const guarded = guardSlackRequests((_req, res) => void res.writeHead(200).end('handled'), {
      path: '/slack/events',
      signingSecret: SIGNING_SECRET,
      memory,
    });
    server = createServer(guarded);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stores nothing for unverified requests and keeps at most its limit of verified ones', async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body }).then(
        (res) => res.status,
      );
    const statuses: number[] = [];
    for (let batch = 0; batch < 40; batch += 1) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            post(`text=${batch}-${i}`, {
              'x-slack-request-timestamp': String(now()),
              'x-slack-signature': `v0=${String(batch * 25 + i).padStart(8000, 'f')}`,
            }),
          ),
        )),
      );
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(memory.size).toBe(0);
    for (let i = 0; i < 200; i += 1) expect(await post(`text=${i}`, signed(`text=${i}`))).toBe(200);
    expect(memory.size).toBeGreaterThan(0);
    expect(memory.size).toBeLessThanOrEqual(50);
  });
});

describe('a signed /pii export sent again', () => {
  it('is exported once, whatever is added to the retry header or the signature, on either instance', async () => {
    const request = await captureSlackRequest(h, (s) => s.command({ user: USERS.admin, text: 'export 30' }));
    const headers = signed(request.body);
    expect((await send(h.baseUrl, request, headers)).status).toBe(200);
    await expect.poll(exports).toBe(1);
    const variants = [
      { ...headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      { ...headers, 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
      { ...headers, 'x-slack-signature': `${headers['x-slack-signature']}=x` },
      { ...headers, 'x-slack-signature': `${headers['x-slack-signature']}=y` },
      headers,
    ];
    for (const variant of variants) expect([200, 401]).toContain((await send(h.baseUrl, request, variant)).status);
    // Another instance has never seen it: Postgres has.
    expect((await send(other.baseUrl, request, headers)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exports()).toBe(1);
  });
});

describe('a modal submission replayed on another instance', () => {
  it('stores one application entered by hand and one template version', async () => {
    await h.slack.command({ user: USERS.admin, text: 'new' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('new_application');
    const newView = r.modal(USERS.admin).id;
    const entry = await captureSlackRequest(h, (s) =>
      s.viewSubmission({
        user: USERS.admin,
        viewId: newView,
        values: Object.fromEntries(
          Object.entries({
            profileId: input.text('amzn1.replay.manual'),
            'organization.name': input.text('Replay Manual'),
            'organization.website': input.text('https://replay.example.com'),
            'contact.email': input.text('dev@replay.example.com'),
            developerType: input.radio('private'),
            roles: inputMore.multi(['Tax Invoicing']),
            marketplaces: inputMore.multi(['EU']),
            useCase: input.text('Invoices.'),
            launchReadiness: input.select('beta'),
            piiRetention: input.select('<31'),
          }).map(([k, v]) => [k, { value: v }]),
        ),
      }),
    );
    await h.slack.command({ user: USERS.admin, text: 'template denial' });
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('edit_template');
    const edit = await captureSlackRequest(h, (s) =>
      s.viewSubmission({
        user: USERS.admin,
        viewId: r.modal(USERS.admin).id,
        values: { body: { value: input.text('New wording.') } },
      }),
    );
    for (const request of [entry, edit]) {
      const headers = signed(request.body);
      expect((await send(h.baseUrl, request, headers)).status).toBe(200);
      expect((await send(other.baseUrl, request, headers)).status).toBe(200);
      expect((await send(other.baseUrl, request, { ...headers, 'x-slack-retry-num': '1' })).status).toBe(200);
    }
    expect(await database.db.select({ id: applications.id }).from(applications)).toHaveLength(1);
    expect(await database.db.select().from(templates)).toHaveLength(1);
  });
});
