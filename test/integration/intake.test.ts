import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, events, outbox } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody, mrkdwnTexts } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const rowCounts = async () => ({
  applications: (await database.db.select().from(applications)).length,
  events: (await database.db.select().from(events)).length,
  outbox: (await database.db.select().from(outbox)).length,
});

const cardsPosted = () => h.emulator.state.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined);

describe('POST /api/applications', () => {
  it('stores a new application with one event and posts one card to the review channel', async () => {
    const body = applicationBody({
      organization: { name: 'Contoso Labels GmbH', website: 'https://contoso.example.com', country: 'DE' },
    });
    const res = await h.intake(body);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ profileId: body.profileId, stage: 'business', status: 'new', outcome: 'created' });
    await h.settle();

    const [row] = await database.db.select().from(applications);
    expect(row).toMatchObject({ id: res.json.id, organizationName: 'Contoso Labels GmbH', version: 1, cardChannel: CHANNEL });
    const history = await database.db.select().from(events);
    expect(history.map((e) => [e.type, e.actor])).toEqual([['application.received', 'intake']]);

    const cards = cardsPosted();
    expect(cards).toHaveLength(1);
    expect(cards[0]?.args.channel).toBe(CHANNEL);
    expect(JSON.stringify(cards[0]?.args.blocks)).toContain('Contoso Labels GmbH');
    expect(row?.cardTs).toBe(h.emulator.state.messages[0]?.ts);
  });

  it('keeps contact data and security answers off the card', async () => {
    const body = applicationBody();
    await h.intake(body);
    await h.settle();
    const card = JSON.stringify(cardsPosted()[0]?.args);
    expect(card).not.toContain(body.contact.email);
    expect(card).not.toContain('1234567');
    expect(card).not.toContain('AES-256');
    expect(card).not.toContain(body.impoc.email);
  });

  it('answers 200 with the same body and makes no second card when the same profile is posted again', async () => {
    const body = applicationBody();
    const first = await h.intake(body);
    await h.settle();
    const again = await h.intake({ ...body, submittedAt: '2026-01-02T03:04:05Z' });
    await h.settle();
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      id: first.json.id,
      profileId: body.profileId,
      stage: 'business',
      status: 'new',
      outcome: 'unchanged',
    });
    expect(cardsPosted()).toHaveLength(1);
    expect(await rowCounts()).toMatchObject({ applications: 1, events: 1 });
  });

  it('makes one application of two concurrent first posts of one profile', async () => {
    const body = applicationBody();
    const answers = await Promise.all([h.intake(body), h.intake(body), h.intake(body)]);
    await h.settle();
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(cardsPosted()).toHaveLength(1);
  });

  it('records a changed resubmission, updates the card in place and notes the changed fields in its thread', async () => {
    const body = applicationBody();
    const first = await h.intake(body);
    await h.settle();
    const changed = { ...body, marketplaces: ['NA', 'US'], contact: { ...body.contact, phone: '+1 555 0100' } };
    const res = await h.intake(changed);
    await h.settle();

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: first.json.id, outcome: 'updated', changedFields: ['contact.phone', 'marketplaces'] });
    const [row] = await database.db.select().from(applications).where(eq(applications.id, first.json.id));
    expect(row?.version).toBe(2);
    expect((row?.submission as { marketplaces: string[] } | undefined)?.marketplaces).toEqual(['NA', 'US']);
    const history = await database.db.select().from(events).where(eq(events.applicationId, first.json.id));
    expect(history.map((e) => e.type)).toEqual(['application.received', 'application.updated']);

    expect(cardsPosted()).toHaveLength(1);
    const updates = h.emulator.state.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.ts).toBe(row?.cardTs);
    expect(JSON.stringify(updates[0]?.args.blocks)).toContain('NA, US');

    const notes = h.emulator.state.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === row?.cardTs);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.args.text).toContain('`contact.phone`');
    expect(notes[0]?.args.text).toContain('`marketplaces`');
    expect(notes[0]?.args.text).not.toContain('+1 555 0100');
  });

  it('escapes mrkdwn in developer text so a name cannot ping the channel or forge a link', async () => {
    await h.intake(
      applicationBody({
        organization: { name: 'Evil <!channel> <@U0ADMIN001> <https://x.test|bank>', website: 'https://evil.example.com' },
      }),
    );
    await h.settle();
    const texts = mrkdwnTexts(cardsPosted()[0]?.args).join('\n');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toContain('<!channel>');
    expect(texts).not.toContain('<@U0ADMIN001>');
    expect(texts).not.toContain('<https://x.test|bank>');
  });
});

describe('bad intake requests change nothing', () => {
  const cases: [string, () => Promise<{ status: number; json: any }>, number, string | null][] = [
    ['no token', () => h.intake(applicationBody(), { token: null }), 401, null],
    ['a wrong token', () => h.intake(applicationBody(), { token: 'wrong-token-wrong-token' }), 401, null],
    [
      'a non-JSON content type',
      () => h.intake(undefined, { headers: { 'content-type': 'text/plain' }, raw: 'hello' }),
      415,
      null,
    ],
    ['malformed JSON', () => h.intake(undefined, { raw: '{"profileId":' }), 400, '(body)'],
    ['a body over 256 KiB', () => h.intake(applicationBody({ useCase: 'x'.repeat(300 * 1024) })), 413, null],
    ['a missing contact e-mail', () => h.intake(applicationBody({ contact: { name: 'X' } })), 400, 'contact.email'],
    [
      'an http website',
      () => h.intake(applicationBody({ organization: { name: 'A', website: 'http://a.example.com' } })),
      400,
      'organization.website',
    ],
    [
      'an unknown country',
      () => h.intake(applicationBody({ organization: { name: 'A', website: 'https://a.example.com', country: 'XX' } })),
      400,
      'organization.country',
    ],
    ['an empty role list', () => h.intake(applicationBody({ roles: [] })), 400, 'roles'],
    ['an unknown role', () => h.intake(applicationBody({ roles: ['Tax Invoicing', 'Root Access'] })), 400, 'roles.1'],
    ['no marketplaces', () => h.intake(applicationBody({ marketplaces: [] })), 400, 'marketplaces'],
    ['a use case over 2000 chars', () => h.intake(applicationBody({ useCase: 'y'.repeat(2001) })), 400, 'useCase'],
    [
      'a business description over 500 chars',
      () => h.intake(applicationBody({ businessDescription: 'z'.repeat(501) })),
      400,
      'businessDescription',
    ],
    ['a wrong developer type', () => h.intake(applicationBody({ developerType: 'enterprise' })), 400, 'developerType'],
    ['a wrong retention bucket', () => h.intake(applicationBody({ piiRetention: '365' })), 400, 'piiRetention'],
    ['a bad submittedAt', () => h.intake(applicationBody({ submittedAt: 'yesterday' })), 400, 'submittedAt'],
    ['an unknown field', () => h.intake(applicationBody({ favouriteColour: 'blue' })), 400, 'favouriteColour'],
    [
      'a prototype-pollution key',
      () => h.intake(undefined, { raw: JSON.stringify(applicationBody()).replace(/^\{/, '{"__proto__":{"admin":true},') }),
      400,
      '__proto__',
    ],
    ['only unrestricted roles', () => h.intake(applicationBody({ roles: ['Pricing', 'Brand Analytics'] })), 422, 'roles'],
  ];

  it.each(cases)('%s', async (_name, send, status, field) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(typeof res.json?.error).toBe('string');
    if (field !== null) expect(res.json.issues.map((i: { path: string }) => i.path).join(' ')).toContain(field);
    expect(await rowCounts()).toEqual({ applications: 0, events: 0, outbox: 0 });
    expect(h.emulator.state.calls).toHaveLength(0);
  });

  it('names the roles that need no review in a 422', async () => {
    const res = await h.intake(applicationBody({ roles: ['Pricing', 'Brand Analytics'] }));
    expect(res.json.issues[0].message).toContain('Pricing, Brand Analytics need no PII review');
  });
});

describe('GET /api/applications/:id', () => {
  it('returns the current state and history', async () => {
    const body = applicationBody();
    const created = await h.intake(body);
    await h.settle();
    const res = await h.get(`/api/applications/${created.json.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: created.json.id,
      profileId: body.profileId,
      stage: 'business',
      status: 'new',
      version: 1,
    });
    expect(res.json.card).toMatchObject({ channel: CHANNEL });
    expect(res.json.history.map((e: { type: string }) => e.type)).toEqual(['application.received']);
  });

  it("tells each event's type, time and state, never the team's notes in its payload", async () => {
    const created = await h.intake(applicationBody());
    await h.settle();
    const id = created.json.id as number;
    await reviewer(h).decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'note.public_website': input.text('Their pricing page looked thin to me.'),
      decision: input.radio('advance'),
    });
    const res = await h.get(`/api/applications/${id}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain('pricing page');
    expect(res.json.history.at(-1)).toEqual({
      id: expect.any(Number),
      type: 'business_review.passed',
      stage: 'security',
      status: 'in_review',
      cycle: 1,
      actor: USERS.reviewer,
      at: expect.any(String),
    });
  });

  it('answers 401 without the token, 404 for an unknown id and 400 for a bad one', async () => {
    expect((await h.get('/api/applications/1', null)).status).toBe(401);
    expect((await h.get('/api/applications/999')).status).toBe(404);
    const bad = await h.get('/api/applications/abc');
    expect(bad.status).toBe(400);
    expect(bad.json.issues[0].path).toBe('id');
  });
});

describe('health', () => {
  it('answers /healthz and /readyz without a token', async () => {
    expect(await h.get('/healthz', null)).toEqual({ status: 200, json: { status: 'ok' } });
    expect(await h.get('/readyz', null)).toEqual({ status: 200, json: { status: 'ready', parkedEffects: 0 } });
  });
});
