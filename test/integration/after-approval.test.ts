import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applicationRoles,
  applications,
  audits,
  events,
  questionnaireAnswers,
  remediationItems,
  restrictedCalls,
  reviewCycles,
} from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { purgeExpired } from '../../src/jobs/retention.ts';
import { createWebhookRelay } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { markAtRisk } from '../../src/reviews/access-watch.ts';
import { personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { CHANNEL, type Harness, INTAKE_TOKEN, startHarness, USERS } from '../support/harness.ts';
import { startWebhookReceiver } from '../support/instances.ts';
import { approveInStage3, toStage3 } from '../support/journeys.ts';
import { input, inputMore, reviewer } from '../support/reviewer.ts';

/**
 * After approval, through the real app: access as a state (active, at risk, suspended,
 * revoked) and audits that may come (eligible, scheduled, awaiting an outcome, remediation,
 * failed, repeated). Time moves on a FakeClock; the reminder sweep runs at its instant.
 */
let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');
const policy = loadConfig({}).policy;
const DAY = 24 * 3600_000;

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
/** The webhook events relayed so far, parsed. */
const received = () => receiver.bodies.map((body) => JSON.parse(body) as Record<string, unknown>);

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
  await receiver?.close();
});
beforeEach(async () => {
  await h.settle();
  clock.set('2026-03-02T09:00:00Z');
  await h.reset();
  receiver.bodies.length = 0;
});

const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const cardText = (id: number) => JSON.stringify(r.card(id).blocks);
const sweep = async () => {
  const result = await sweepReminders({ db: database.db, policy, clock, roles: personaRoles() }, clock.now());
  await h.settle();
  return result.claimed.map((c) => c.kind).filter((k) => k !== 'digest');
};
const dateToken = (iso: string) => `<!date^${Date.parse(iso) / 1000}^`;

/** Approved through the real flow on 2026-03-03 19:00Z, assigned to the reviewer. */
async function approved() {
  return (await approvedWithBody()).id;
}

async function approvedWithBody() {
  clock.set('2026-03-02T09:00:00Z');
  const { id, body } = await toStage3(h, r);
  await approveInStage3(r, clock, id, new Date('2026-03-03T18:00:00Z'));
  return { id, body };
}

/** A click on a card button as an older copy of the card still shows it (the rules decide what it may do now). */
async function clickShown(user: string, id: number, actionId: string) {
  const version = (await row(id))?.version;
  await h.slack.messageAction({
    user,
    channel: CHANNEL,
    ts: r.card(id).ts,
    action: { actionId, blockId: 'card.actions', value: `${id}:${version}` },
  });
  await h.settle();
}

const latestDigest = () => h.emulator.state.messages.filter((m) => !m.threadTs && m.text.startsWith('Daily digest')).at(-1);

async function reportCall(id: number, at: string, operation = 'getOrderAddress') {
  const res = await fetch(`${h.baseUrl}/api/applications/${id}/restricted-calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ at, operation }),
  });
  await h.settle();
  return res;
}

describe('access as a state', () => {
  it('stays active when a call is recorded after the sweep read it and before it wrote', async () => {
    const id = await approved();
    clock.set('2026-03-10T10:00:00Z');
    expect((await reportCall(id, '2026-03-10T09:00:00Z')).status).toBe(201);
    clock.set('2026-06-08T10:00:00Z');
    // What the sweep read: the call of 03-10, 90 days old.
    const read = { lastCallAt: new Date('2026-03-10T09:00:00Z'), reinstatedAt: null };
    expect((await reportCall(id, '2026-06-08T09:30:00Z')).status).toBe(201);
    const since = new Date('2026-06-08T09:00:00Z');
    expect(await markAtRisk(database.db, { id, since, cause: 'inactive', ...read }, clock.now())).toBe(false);
    expect(await row(id)).toMatchObject({ accessStatus: 'active' });
    // As read now, with nothing recorded since, the same change goes through (and would a day later).
    const fresh = { lastCallAt: new Date('2026-06-08T09:30:00Z'), reinstatedAt: null };
    expect(await markAtRisk(database.db, { id, since, cause: 'inactive', ...fresh }, clock.now())).toBe(true);
  });

  it('falls at risk after the inactivity period without a call, reminds the assignee once per period, and a call makes it active', async () => {
    const id = await approved();
    expect(await row(id)).toMatchObject({ accessStatus: 'active' });
    clock.set('2026-03-10T10:00:00Z');
    expect((await reportCall(id, '2026-03-10T09:00:00Z')).status).toBe(201);
    expect(cardText(id)).toContain('Active · last successful call');

    // 89 days after the last call nothing is due; at 90 days access is at risk.
    clock.set('2026-06-07T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-08T10:00:00Z');
    expect(await sweep()).toEqual(['access_at_risk']);
    expect(await row(id)).toMatchObject({ accessStatus: 'at_risk', accessReason: 'inactive' });
    const lines = r.threadOf(id);
    expect(lines.some((l) => l.includes('Access is *at risk* since'))).toBe(true);
    expect(lines.at(-1)).toContain(`<@${USERS.reviewer}>: *access at risk* since ${dateToken('2026-06-08T09:00:00Z')}`);
    expect(cardText(id)).toContain('*At risk*');
    expect(cardText(id)).toContain('the assignee is reminded');

    // A second sweep in the same period posts nothing; the next period posts again.
    const before = r.threadOf(id).length;
    clock.set('2026-06-09T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-08-01T10:00:00Z');
    expect(await sweep()).toEqual([]);
    expect(r.threadOf(id)).toHaveLength(before);
    clock.set('2026-09-06T10:00:00Z');
    expect(await sweep()).toEqual(['access_at_risk']);
    expect(r.threadOf(id)).toHaveLength(before + 1);

    // A successful call makes it active again, said in the thread and on the card.
    expect((await reportCall(id, '2026-09-06T09:30:00Z')).status).toBe(201);
    expect(await row(id)).toMatchObject({ accessStatus: 'active', accessReason: null });
    expect(r.threadOf(id).at(-1)).toContain('Access is *active* again.');
    expect(cardText(id)).not.toContain('At risk');

    // Each change went out as a webhook, with the change and no submission text.
    await createWebhookRelay({ db: database.db, clock, logger: createLogger('silent'), url: receiver.url, secret: 's' }).drain();
    const access = received().filter((e) => e.access);
    expect(access.map((e) => [e.type, e.access])).toEqual([
      ['access.at_risk', { from: 'active', to: 'at_risk', reason: 'inactive' }],
      ['restricted_call.recorded', { from: 'at_risk', to: 'active' }],
    ]);
    expect(JSON.stringify(received())).not.toContain('Prints shipping labels');
  });

  it('watches reinstated access from its reinstatement: active at once, at risk only when its own grace period ran out', async () => {
    const id = await approved();
    clock.set('2026-03-20T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:suspend_access', {
      reason: input.radio('incident_reported'),
      note: input.text('Breach reported by the developer.'),
    });
    // Reinstated after the grace period from approval (2026-04-02) ran out, with no call made yet.
    clock.set('2026-04-20T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:reinstate_access', { note: input.text('Fixed and verified.') });

    const atRisk = async () =>
      (await database.db.select().from(events).where(eq(events.applicationId, id))).filter((e) => e.type === 'access.at_risk');
    for (const day of ['2026-04-20T10:01:00Z', '2026-04-21T10:00:00Z', '2026-05-20T09:59:00Z']) {
      clock.set(day);
      expect(await sweep()).toEqual([]);
      expect(await row(id)).toMatchObject({ accessStatus: 'active', accessReason: null });
    }
    expect(await atRisk()).toEqual([]);
    expect(cardText(id)).not.toContain('At risk');
    expect(cardText(id)).toContain(`no successful call yet; due by ${dateToken('2026-05-20T10:00:00Z')}`);

    clock.set('2026-05-20T10:00:00Z');
    expect(await sweep()).toEqual(['access_at_risk']);
    expect(await row(id)).toMatchObject({
      accessStatus: 'at_risk',
      accessReason: 'no_call_since_reinstatement',
      accessSince: new Date('2026-05-20T10:00:00Z'),
    });
    expect((await atRisk()).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        from: 'active',
        to: 'at_risk',
        reason: 'no_call_since_reinstatement',
        since: '2026-05-20T10:00:00.000Z',
      }),
    ]);
    const lines = r.threadOf(id);
    const line = lines.find((l) => l.includes('Access is *at risk*')) ?? '';
    expect(line).toContain(`since ${dateToken('2026-05-20T10:00:00Z')}`);
    expect(line).toContain('no successful restricted API call since it was reinstated.');
    expect(lines.at(-1)).toContain('no successful restricted API call since access was reinstated');
    const listed = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'audits' })).json);
    expect(listed).toContain('(no call since reinstated)');

    // A call makes it active again, and the inactivity period runs from it.
    expect((await reportCall(id, '2026-05-20T09:30:00Z')).status).toBe(201);
    expect(await row(id)).toMatchObject({ accessStatus: 'active' });
    clock.set('2026-08-18T09:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-08-18T10:00:00Z');
    expect(await sweep()).toEqual(['access_at_risk']);
    expect(await row(id)).toMatchObject({ accessStatus: 'at_risk', accessReason: 'inactive' });
  });

  it('keeps the longer period of a call made before the suspension, once reinstated', async () => {
    const id = await approved();
    clock.set('2026-03-10T10:00:00Z');
    expect((await reportCall(id, '2026-03-10T09:00:00Z')).status).toBe(201);
    clock.set('2026-03-20T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:suspend_access', { reason: input.radio('developer_request') });
    clock.set('2026-04-20T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:reinstate_access', { note: input.text('Asked back.') });
    // The grace period from the reinstatement (05-20) ends before the call's inactivity period (06-08).
    clock.set('2026-05-20T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-08T08:59:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-08T09:00:00Z');
    expect(await sweep()).toEqual(['access_at_risk']);
    expect(await row(id)).toMatchObject({ accessStatus: 'at_risk', accessReason: 'inactive' });
  });

  it('records the fall into risk once when two sweeps run at the same instant', async () => {
    const id = await approved();
    clock.set('2026-04-03T10:00:00Z');
    const [a, b] = await Promise.all([
      sweepReminders({ db: database.db, policy, clock }, clock.now()),
      sweepReminders({ db: database.db, policy, clock }, clock.now()),
    ]);
    await h.settle();
    const kinds = [...(a?.claimed ?? []), ...(b?.claimed ?? [])].map((c) => c.kind).filter((k) => k !== 'digest');
    expect(kinds).toEqual(['access_at_risk']);
    const changes = (await database.db.select().from(events).where(eq(events.applicationId, id))).filter(
      (e) => e.type === 'access.at_risk',
    );
    expect(changes).toHaveLength(1);
    expect(r.threadOf(id).filter((l) => l.includes('Access is *at risk*'))).toHaveLength(1);
  });

  it('lets an admin suspend and reinstate, refuses a reviewer with nothing changed, and keeps revoked final', async () => {
    const id = await approved();
    expect(r.buttons(id)).toEqual(expect.arrayContaining(['admin:suspend_access', 'admin:revoke_access']));

    // A reviewer is refused when the modal would open: told why, nothing changed.
    const version = (await row(id))?.version;
    await r.adminOption(USERS.reviewer, id, 'suspend_access');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).at(-1)).toContain('Only an admin can do this');
    expect(await row(id)).toMatchObject({ accessStatus: 'active', version });

    // Other without a note is a field error; nothing is written.
    const viewId = await r.open(USERS.admin, id, 'admin:suspend_access');
    const bare = await r.submit(USERS.admin, { reason: input.radio('other') }, viewId);
    expect(bare.json).toMatchObject({ response_action: 'errors', errors: { note: expect.stringContaining('Other') } });
    expect(await row(id)).toMatchObject({ accessStatus: 'active', version });

    await r.submit(
      USERS.admin,
      { reason: input.radio('incident_reported'), note: input.text('Breach reported by the developer.') },
      viewId,
    );
    await h.settle();
    expect(await row(id)).toMatchObject({ accessStatus: 'suspended', accessReason: 'incident_reported' });
    expect(r.threadOf(id).at(-1)).toContain('*suspended* access (Incident reported)');
    expect(cardText(id)).toContain('*Suspended*');
    expect(r.buttons(id)).toEqual(expect.arrayContaining(['admin:reinstate_access', 'admin:revoke_access']));
    expect(r.buttons(id)).not.toContain('card.record_restricted_call');
    // A restricted call cannot succeed while suspended: the integration is told so.
    const refused = await reportCall(id, '2026-03-03T20:00:00Z');
    expect(refused.status).toBe(409);

    // A version seen before the suspension no longer counts.
    const stale = await r.open(USERS.admin, id, 'admin:reinstate_access');
    await r.decide(USERS.admin, id, 'admin:reinstate_access', { note: input.text('Fixed and verified.') });
    expect(await row(id)).toMatchObject({ accessStatus: 'active' });
    expect(r.threadOf(id).at(-1)).toContain('*reinstated* access');
    await r.submit(USERS.admin, { note: input.text('Again.') }, stale);
    await h.settle();
    expect(await row(id)).toMatchObject({ accessStatus: 'active' });

    // Revoked is final for this cycle: no button is left, and a late suspension is refused.
    const late = await r.open(USERS.admin, id, 'admin:suspend_access');
    await r.decide(USERS.admin, id, 'admin:revoke_access', { note: input.text('Repeated incidents.') });
    expect(await row(id)).toMatchObject({ accessStatus: 'revoked', stage: 'approved', status: 'approved' });
    expect(r.threadOf(id).at(-1)).toContain('*revoked* access, for good in this cycle');
    expect(r.buttons(id)).toEqual(['card.status', 'card.submission']);
    await r.submit(USERS.admin, { reason: input.radio('developer_request') }, late);
    await h.settle();
    expect(await row(id)).toMatchObject({ accessStatus: 'revoked' });

    const types = (await database.db.select().from(events).where(eq(events.applicationId, id)).orderBy(asc(events.id))).map(
      (e) => e.type,
    );
    expect(types.filter((t) => t.startsWith('access.'))).toEqual(['access.suspended', 'access.reinstated', 'access.revoked']);
    await createWebhookRelay({ db: database.db, clock, logger: createLogger('silent'), url: receiver.url, secret: 's' }).drain();
    const hooks = received().filter((e) => String(e.type).startsWith('access.'));
    expect(hooks.map((e) => e.access)).toEqual([
      { from: 'active', to: 'suspended', reason: 'incident_reported' },
      { from: 'suspended', to: 'active' },
      { from: 'active', to: 'revoked' },
    ]);
    // The team's notes stay inside: never in a webhook.
    expect(JSON.stringify(received())).not.toContain('Breach reported');
  });
});

describe('restricted-call reports', () => {
  const callEvents = async (id: number) =>
    (await database.db.select().from(events).where(eq(events.applicationId, id))).filter(
      (e) => e.type === 'restricted_call.recorded',
    );
  const storedCalls = async (id: number) =>
    database.db.select().from(restrictedCalls).where(eq(restrictedCalls.applicationId, id));
  const cardUpdates = () => h.emulator.state.callsTo('chat.update').length;

  it('takes the same call again as a retry and posts only what changes what the team sees', async () => {
    const id = await approved();
    clock.set('2026-03-05T09:00:00Z');
    const lines = r.threadOf(id).length;

    // The first call since the approval: stored, announced once (thread line, card, webhook).
    const first = await reportCall(id, '2026-03-05T08:00:00Z');
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      id,
      outcome: 'recorded',
      recorded: { at: '2026-03-05T08:00:00.000Z', operation: 'getOrderAddress' },
    });
    expect(r.threadOf(id)).toHaveLength(lines + 1);
    expect(cardText(id)).toContain('last successful call Mar 5, 2026 (UTC)');
    const version = (await row(id))?.version;
    const updates = cardUpdates();

    // The same report again (a retry): 200 with the call as stored, nothing changed.
    const again = await reportCall(id, '2026-03-05T08:00:00Z');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      id,
      outcome: 'unchanged',
      recorded: { at: '2026-03-05T08:00:00.000Z', operation: 'getOrderAddress' },
    });

    // An older call, and a newer one on the same day: stored, nothing posted, the card as it was.
    expect((await reportCall(id, '2026-03-04T20:00:00Z')).status).toBe(201);
    expect((await reportCall(id, '2026-03-05T08:30:00Z', 'getOrders')).status).toBe(201);
    expect(r.threadOf(id)).toHaveLength(lines + 1);
    expect(cardUpdates()).toBe(updates);
    expect(await row(id)).toMatchObject({ lastRestrictedCallAt: new Date('2026-03-05T08:30:00Z'), version });

    // A call on a later day moves the day the card shows: the card is redrawn, still no line.
    clock.set('2026-03-06T09:00:00Z');
    expect((await reportCall(id, '2026-03-06T07:00:00Z')).status).toBe(201);
    expect(r.threadOf(id)).toHaveLength(lines + 1);
    expect(cardUpdates()).toBe(updates + 1);
    expect(cardText(id)).toContain('last successful call Mar 6, 2026 (UTC)');

    expect(await storedCalls(id)).toHaveLength(4);
    expect(await callEvents(id)).toHaveLength(1);
    await createWebhookRelay({ db: database.db, clock, logger: createLogger('silent'), url: receiver.url, secret: 's' }).drain();
    expect(received().filter((e) => e.type === 'restricted_call.recorded')).toHaveLength(1);
  });

  it('stores two concurrent reports of one call once', async () => {
    const id = await approved();
    clock.set('2026-03-05T09:00:00Z');
    const answers = await Promise.all([1, 2, 3].map(() => reportCall(id, '2026-03-05T08:00:00Z')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(await storedCalls(id)).toHaveLength(1);
    expect(await callEvents(id)).toHaveLength(1);
  });

  it('announces the first call after a reinstatement', async () => {
    const id = await approved();
    clock.set('2026-03-05T09:00:00Z');
    expect((await reportCall(id, '2026-03-05T08:00:00Z')).status).toBe(201);
    clock.set('2026-03-10T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:suspend_access', {
      reason: input.radio('incident_reported'),
      note: input.text('Breach reported by the developer.'),
    });
    expect((await reportCall(id, '2026-03-10T09:00:00Z')).status).toBe(409);
    clock.set('2026-03-12T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:reinstate_access', { note: input.text('Fixed and verified.') });
    const lines = r.threadOf(id).length;
    expect((await reportCall(id, '2026-03-12T10:00:00Z')).status).toBe(201);
    expect(r.threadOf(id)).toHaveLength(lines + 1);
    expect(r.threadOf(id).at(-1)).toContain('recorded a successful restricted API call');
    clock.set('2026-03-12T11:00:00Z');
    expect((await reportCall(id, '2026-03-12T10:05:00Z')).status).toBe(201);
    expect(r.threadOf(id)).toHaveLength(lines + 1);
    expect(await callEvents(id)).toHaveLength(2);
  });
});

describe('a go-live through intake', () => {
  it('follows the rule Record go-live follows: not before the approval, not in the future', async () => {
    const { id, body } = await approvedWithBody();
    clock.set('2026-03-05T09:00:00Z');
    const early = await h.intake({ ...body, productionSince: '2025-01-01T00:00:00Z' });
    expect(early.status).toBe(422);
    expect(early.json.error).toBe('The go-live date does not fit this application.');
    expect(early.json.issues).toEqual([
      { path: 'productionSince', message: 'Go-live cannot be before the approval (2026-03-03): restricted access starts then.' },
    ]);
    const ahead = await h.intake({ ...body, productionSince: '2026-03-06T00:00:00Z' });
    expect(ahead.status).toBe(422);
    expect(ahead.json.issues).toEqual([{ path: 'productionSince', message: 'Go-live cannot be in the future.' }]);
    expect(await row(id)).toMatchObject({ productionSince: null });
    expect(cardText(id)).not.toContain('Eligible for audit');

    // The day of the approval is a true go-live, as in the modal.
    const sameDay = await h.intake({ ...body, productionSince: '2026-03-03T00:00:00Z' });
    expect(sameDay.json).toMatchObject({ outcome: 'updated', changedFields: ['productionSince'] });
    expect(await row(id)).toMatchObject({ productionSince: new Date('2026-03-03T00:00:00Z') });
  });
});

describe('after a revocation', () => {
  it('purges the revoked cycle’s private texts RETENTION_DAYS after it ended, while the next cycle is under review', async () => {
    const { id, body } = await approvedWithBody();
    clock.set('2026-03-10T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:revoke_access', { note: input.text('Repeated incidents.') });
    clock.set('2026-04-01T10:00:00Z');
    await h.intake({ ...body, useCase: 'Rebuilt with an audited data store.' });
    await h.settle();
    const answersOfCycle1 = () =>
      database.db
        .select()
        .from(questionnaireAnswers)
        .where(and(eq(questionnaireAnswers.applicationId, id), eq(questionnaireAnswers.cycle, 1)));
    expect((await answersOfCycle1()).length).toBeGreaterThan(0);
    const purge = (at: string) => purgeExpired({ db: database.db, logger: createLogger('silent') }, new Date(at), 180);
    await purge('2026-09-01T00:00:00Z');
    expect((await answersOfCycle1()).length).toBeGreaterThan(0);
    clock.set('2026-10-15T00:00:00Z');
    await purge('2026-10-15T00:00:00Z');
    expect(await answersOfCycle1()).toEqual([]);
    const [cycle1] = await database.db
      .select()
      .from(reviewCycles)
      .where(and(eq(reviewCycles.applicationId, id), eq(reviewCycles.number, 1)));
    expect(cycle1?.purgedAt).toEqual(new Date('2026-10-15T00:00:00Z'));
    await h.settle();
    expect(r.threadOf(id).at(-1)).toContain('The private texts of cycle 1');
    expect(JSON.stringify((await row(id))?.submission)).toContain('Rebuilt with an audited data store.');
  });

  it('a resubmission opens a new cycle at Stage 1 with no production life, its roles to be granted again', async () => {
    const { id, body } = await approvedWithBody();
    clock.set('2026-03-10T10:00:00Z');
    await r.decide(USERS.admin, id, 'admin:revoke_access', { note: input.text('Repeated incidents.') });
    expect(await row(id)).toMatchObject({ accessStatus: 'revoked' });

    clock.set('2026-04-01T10:00:00Z');
    const again = await h.intake({ ...body, useCase: 'Rebuilt with an audited data store.' });
    await h.settle();
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id, outcome: 'resubmitted', cycle: 2, stage: 'business', status: 'new' });
    expect(await row(id)).toMatchObject({
      cycle: 2,
      stage: 'business',
      status: 'new',
      approvedAt: null,
      productionSince: null,
      accessStatus: null,
      assigneeId: null,
    });
    const cycles = await database.db.select().from(reviewCycles).where(eq(reviewCycles.applicationId, id));
    expect(cycles.find((c) => c.number === 1)).toMatchObject({ outcome: 'revoked', endedAtStage: 'approved' });
    const roles = await database.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(roles.map((x) => x.status)).not.toContain('approved');
    expect(r.threadOf(id).at(-1)).toContain('resubmitted the application after it was revoked');
    expect(cardText(id)).toContain('Cycle 2');
    // No production command is offered before the new cycle is approved: Stage 1's, as for a new application.
    expect(r.buttons(id)).toEqual([
      'card.claim',
      'card.business_review',
      'card.status',
      'card.submission',
      'card.earlier_cycles',
      'admin:assign',
      'admin:withdraw',
    ]);
  });
});

/** An approved application live since 2026-03-03, eligible for an audit from 2026-06-01. */
async function live() {
  const id = await approved();
  await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-03') });
  return id;
}
/** A call an hour ago: keeps access active through the months a test moves over. */
const keepCalling = async (id: number) => reportCall(id, new Date(clock.now().getTime() - 3600_000).toISOString());

/** On 2026-06-10, schedules an audit with another auditor (KPMG) for 2026-06-20. */
async function auditScheduledWithKpmg(id: number) {
  clock.set('2026-06-10T10:00:00Z');
  await keepCalling(id);
  await r.decide(USERS.reviewer, id, 'card.schedule_audit', {
    auditor: input.select('Other'),
    auditor_other: input.text('KPMG'),
    scheduled_for: inputMore.date('2026-06-20'),
  });
}

/** Schedules an audit for 2026-06-15 and records it as asking for remediation of `items`, due 2026-07-01. */
async function auditInRemediation(id: number, items: string[]) {
  clock.set('2026-06-10T10:00:00Z');
  await keepCalling(id);
  await r.decide(USERS.reviewer, id, 'card.schedule_audit', {
    auditor: input.select('Deloitte'),
    scheduled_for: inputMore.date('2026-06-15'),
  });
  clock.set('2026-06-15T16:00:00Z');
  await r.decide(USERS.reviewer, id, 'card.record_audit_outcome', {
    outcome: input.radio('remediation'),
    ...Object.fromEntries(
      items.flatMap((text, i) => [
        [`item.${i + 1}`, input.text(text)],
        [`due.${i + 1}`, inputMore.date('2026-07-01')],
      ]),
    ),
  });
}

describe('audits that may come', () => {
  it('says eligible since without a warning, with one digest line in its week and no weekly repeat', async () => {
    const id = await live();
    expect(cardText(id)).toContain('Eligible for audit from Jun 1, 2026');
    clock.set('2026-06-01T10:00:00Z');
    await keepCalling(id);
    expect(await sweep()).toEqual(['audit_eligible']);
    const digest = h.emulator.state.messages.filter((m) => !m.threadTs && m.text.startsWith('Daily digest'));
    expect(JSON.stringify(digest.at(-1)?.blocks)).toContain('Newly eligible for an audit');
    for (const day of ['2026-06-02T10:00:00Z', '2026-06-08T10:00:00Z', '2026-06-15T10:00:00Z', '2026-07-01T10:00:00Z']) {
      clock.set(day);
      await keepCalling(id);
      expect(await sweep()).toEqual([]);
      const latest = h.emulator.state.messages.filter((m) => !m.threadTs && m.text.startsWith('Daily digest')).at(-1);
      expect(JSON.stringify(latest?.blocks)).not.toContain('Newly eligible');
    }
    expect(cardText(id)).toContain('Eligible for audit since Jun 1, 2026');
    expect(cardText(id)).not.toContain(':warning:');
    expect(r.threadOf(id).some((l) => l.toLowerCase().includes('audit is due'))).toBe(false);
    const audits = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'audits' })).json);
    expect(audits).toContain('Eligible for an audit (none scheduled)* (1)');
  });

  it('reminds before a scheduled audit and after its date until an outcome; a failed one prompts the admins to suspend', async () => {
    const id = await live();
    await auditScheduledWithKpmg(id);
    clock.set('2026-06-19T10:00:00Z');
    expect(await sweep()).toEqual(['audit_tomorrow']);
    // On the audit's own day it may still be under way: no "has no outcome yet" before the day is over.
    clock.set('2026-06-20T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-21T10:00:00Z');
    expect(await sweep()).toEqual(['audit_outcome']);
    expect(r.threadOf(id).at(-1)).toContain('the audit with KPMG was');
    expect(r.threadOf(id).at(-1)).toContain('has no outcome yet');
    expect(cardText(id)).toContain('*awaiting the outcome*');
    clock.set('2026-06-22T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-27T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-06-28T10:00:00Z');
    expect(await sweep()).toEqual(['audit_outcome']);
    const listed = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'audits' })).json);
    expect(listed).toContain('Awaiting an outcome* (1)');

    await r.decide(USERS.reviewer, id, 'card.record_audit_outcome', { outcome: input.radio('failed') });
    expect((await database.db.select().from(audits))[0]).toMatchObject({ status: 'failed', auditor: 'KPMG' });
    const line = r.threadOf(id).at(-1) ?? '';
    expect(line).toContain('*failed* (KPMG)');
    for (const admin of personaRoles().admins) expect(line).toContain(`<@${admin}>`);
    expect(line).toContain('Suspend access…');
    expect(cardText(id)).toContain(':x: *Failed* (KPMG)');
    // The suspend action is at hand on the card, prefilled with the reason.
    expect(r.buttons(id)).toContain('card.suspend_access');
    await r.open(USERS.admin, id, 'card.suspend_access');
    expect(JSON.stringify(r.modal(USERS.admin).view)).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Audit failed"',
    );
    clock.set('2026-07-04T10:00:00Z');
    expect(await sweep()).toEqual([]);
  });

  it('keeps a second audit a year later beside the first, and reminds overdue remediation weekly', async () => {
    const id = await live();
    await auditInRemediation(id, ['Rotate LWA secrets.']);
    clock.set('2026-07-01T10:00:00Z');
    await keepCalling(id);
    expect(await sweep()).toEqual(['remediation_due']);
    clock.set('2026-07-05T10:00:00Z');
    expect(await sweep()).toEqual([]);
    clock.set('2026-07-08T10:00:00Z');
    expect(await sweep()).toEqual(['remediation_due']);
    expect(r.threadOf(id).at(-1)).toContain('is *overdue*');
    expect(cardText(id)).toContain('*overdue* since');
    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats' })).json);
    expect(stats).toContain('*Remediation overdue*\\n1');
    // No new audit while the remediation is open.
    expect(r.buttons(id)).not.toContain('card.schedule_audit');
    const item = (await database.db.select().from(remediationItems))[0];
    await r.decide(USERS.reviewer, id, 'card.close_remediation', { item: input.select(String(item?.id)) });

    // A year later Amazon audits again: a new audit, kept beside the first.
    clock.set('2027-06-01T10:00:00Z');
    await keepCalling(id);
    await r.open(USERS.reviewer, id, 'card.schedule_audit');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).not.toContain('initial_date');
    await r.decide(USERS.reviewer, id, 'card.schedule_audit', {
      auditor: input.select('Amazon'),
      scheduled_for: inputMore.date('2027-06-20'),
    });
    const all = await database.db.select().from(audits).where(eq(audits.applicationId, id)).orderBy(asc(audits.id));
    expect(all.map((a) => [a.auditor, a.status, a.scheduledFor.toISOString().slice(0, 10)])).toEqual([
      ['Deloitte', 'passed', '2026-06-15'],
      ['Amazon', 'scheduled', '2027-06-20'],
    ]);
    expect(await row(id)).toMatchObject({ auditStatus: 'scheduled' });
    expect(r.threadOf(id).at(-1)).toContain('scheduled a new audit with Amazon');
    expect(cardText(id)).toContain('Scheduled');
    expect(cardText(id)).toContain('audit 2');
    clock.set('2027-06-20T12:00:00Z');
    await r.decide(USERS.reviewer, id, 'card.record_audit_outcome', { outcome: input.radio('passed') });
    const history = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: `status ${id}` })).json);
    expect(history).toContain('scheduled the audit with Deloitte');
    expect(history).toContain('scheduled a new audit with Amazon');
    // View submission keeps every audit with its auditor and items.
    const before = h.emulator.state.views.size;
    await r.click(USERS.reviewer, id, 'card.submission');
    await expect.poll(() => h.emulator.state.views.size).toBeGreaterThan(before);
    const pages = JSON.stringify([...h.emulator.state.views.values()].filter((v) => v.user === USERS.reviewer).at(-1)?.view);
    expect(pages).toContain('Audit 1: Deloitte');
    expect(pages).toContain('Rotate LWA secrets.');
    expect(pages).toContain('Audit 2: Amazon');
  });
});

describe('the digest of overdue remediation', () => {
  it('names an application once, with how many of its items are overdue and the oldest due date', async () => {
    const id = await live();
    await auditInRemediation(id, ['Rotate LWA secrets.', 'Encrypt the order archive.', 'Purge old exports.', 'Log access.']);
    const [, second] = await database.db.select().from(remediationItems).orderBy(asc(remediationItems.id));
    await database.db
      .update(remediationItems)
      .set({ dueOn: new Date('2026-06-25T00:00:00Z') })
      .where(eq(remediationItems.id, second?.id ?? 0));
    // Three overdue, one already closed: only the open ones count.
    const items = await database.db.select().from(remediationItems).orderBy(asc(remediationItems.id));
    await r.decide(USERS.reviewer, id, 'card.close_remediation', { item: input.select(String(items[3]?.id)) });
    clock.set('2026-07-02T10:00:00Z');
    await keepCalling(id);
    await sweep();
    const digest = latestDigest();
    const section = (digest?.blocks ?? []).map((b) => JSON.stringify(b)).find((b) => b.includes('Remediation overdue'));
    expect(section).toContain('*Remediation overdue* (1)\\n•');
    expect(section?.match(/•/g)).toHaveLength(1);
    expect(section).toMatch(new RegExp(`• #${id} [^•]*: 3 remediation items overdue, the oldest due Jun 25, 2026`));
    expect(digest?.text).toContain('1 remediation overdue');
  });
});

describe('revoked access ends the audits under way', () => {
  const revoke = (id: number) =>
    r.decide(USERS.admin, id, 'admin:revoke_access', { note: input.text('Data kept outside the approved store.') });
  const auditsOf = (id: number) => database.db.select().from(audits).where(eq(audits.applicationId, id)).orderBy(asc(audits.id));

  it('cancels a scheduled audit: said in the thread, never reminded after, its outcome refused', async () => {
    const id = await live();
    await auditScheduledWithKpmg(id);

    clock.set('2026-06-12T10:00:00Z');
    await revoke(id);
    const [audit] = await auditsOf(id);
    expect(audit).toMatchObject({ status: 'cancelled', auditor: 'KPMG', outcomeAt: new Date('2026-06-12T10:00:00Z') });
    expect(await row(id)).toMatchObject({ accessStatus: 'revoked', auditStatus: 'cancelled' });
    const revoked = (await database.db.select().from(events).where(eq(events.applicationId, id))).find(
      (e) => e.type === 'access.revoked',
    );
    expect(revoked?.payload).toMatchObject({ auditsCancelled: [audit?.id] });
    expect(revoked?.payload).not.toHaveProperty('remediationClosed');
    const line = r.threadOf(id).at(-1) ?? '';
    expect(line).toContain('*revoked* access, for good in this cycle');
    expect(line).toContain('With it, the audit under way is cancelled.');
    expect(cardText(id)).toContain('_Cancelled when access was revoked_ (KPMG)');
    expect(cardText(id)).not.toContain('awaiting the outcome');

    // The day before, on its date and weeks later: no reminder, and the digest counts none awaiting an outcome.
    for (const day of ['2026-06-19T10:00:00Z', '2026-06-21T10:00:00Z', '2026-06-27T10:00:00Z', '2026-07-20T10:00:00Z']) {
      clock.set(day);
      expect(await sweep()).toEqual([]);
    }
    expect(latestDigest()?.text).toContain('0 audits awaiting an outcome');
    const listed = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'audits' })).json);
    expect(listed).toContain('Awaiting an outcome* (0)');
    expect(listed).toContain('Scheduled* (0)');

    // A card copy still showing the button: the reviewer is told why, and nothing is recorded.
    const before = r.threadOf(id).length;
    await clickShown(USERS.reviewer, id, 'card.record_audit_outcome');
    await expect
      .poll(() => r.ephemeralsFor(USERS.reviewer).at(-1))
      .toContain('Access is revoked: auditing is over for this cycle.');
    expect((await auditsOf(id)).map((a) => a.status)).toEqual(['cancelled']);
    expect(r.threadOf(id)).toHaveLength(before);
  });

  it('closes the open remediation items of an audit in remediation, not as passed, and reminds none after', async () => {
    const id = await live();
    await auditInRemediation(id, ['Rotate LWA secrets.', 'Encrypt the order archive.']);
    const [rotate, encrypt] = await database.db.select().from(remediationItems).orderBy(asc(remediationItems.id));
    clock.set('2026-07-01T10:00:00Z');
    await keepCalling(id);
    expect(await sweep()).toEqual(['remediation_due', 'remediation_due']);
    await r.decide(USERS.reviewer, id, 'card.close_remediation', { item: input.select(String(rotate?.id)) });

    // One item is overdue and open when access is revoked.
    clock.set('2026-07-09T10:00:00Z');
    await revoke(id);
    const items = await database.db.select().from(remediationItems).orderBy(asc(remediationItems.id));
    expect(items.map((i) => [i.text, i.closedAt?.toISOString(), i.closedBy])).toEqual([
      ['Rotate LWA secrets.', '2026-07-01T10:00:00.000Z', USERS.reviewer],
      ['Encrypt the order archive.', '2026-07-09T10:00:00.000Z', USERS.admin],
    ]);
    expect((await auditsOf(id)).map((a) => a.status)).toEqual(['cancelled']);
    expect(await row(id)).toMatchObject({ accessStatus: 'revoked', auditStatus: 'cancelled' });
    const line = r.threadOf(id).at(-1) ?? '';
    expect(line).toContain('With it, the audit under way is cancelled and 1 open remediation item is closed.');
    expect(line).not.toContain('passed');
    const revoked = (await database.db.select().from(events).where(eq(events.applicationId, id))).find(
      (e) => e.type === 'access.revoked',
    );
    expect(revoked?.payload).toMatchObject({ remediationClosed: [encrypt?.id] });
    expect(cardText(id)).toContain('_Cancelled when access was revoked_ (Deloitte)');
    expect(cardText(id)).not.toContain('overdue');

    for (const day of ['2026-07-15T10:00:00Z', '2026-07-22T10:00:00Z', '2026-08-20T10:00:00Z']) {
      clock.set(day);
      expect(await sweep()).toEqual([]);
    }
    expect(latestDigest()?.text).toContain('0 remediation overdue');
    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats' })).json);
    expect(stats).toContain('*Remediation overdue*\\n0');

    await clickShown(USERS.reviewer, id, 'card.close_remediation');
    await expect
      .poll(() => r.ephemeralsFor(USERS.reviewer).at(-1))
      .toContain('Access is revoked: auditing is over for this cycle.');

    // The audit's history tells the item closed by a reviewer from the one the revocation cancelled.
    const before = h.emulator.state.views.size;
    await r.click(USERS.reviewer, id, 'card.submission');
    await expect.poll(() => h.emulator.state.views.size).toBeGreaterThan(before);
    const pages = JSON.stringify([...h.emulator.state.views.values()].filter((v) => v.user === USERS.reviewer).at(-1)?.view);
    expect(pages).toContain('*cancelled: access was revoked*');
    expect(pages).toMatch(/Rotate LWA secrets\. \(due [^)]*, closed\)/);
    expect(pages).toMatch(/Encrypt the order archive\. \(due [^)]*, cancelled\)/);
  });

  it('is never newly eligible for an audit once revoked', async () => {
    const id = await live();
    clock.set('2026-04-01T10:00:00Z');
    await revoke(id);
    clock.set('2026-06-01T10:00:00Z');
    expect(await sweep()).toEqual([]);
    expect(JSON.stringify(latestDigest()?.blocks)).not.toContain('Newly eligible');
  });

  it('a resubmission ends an audit a revocation left in flight: the new cycle is reminded of nothing of it', async () => {
    const { id, body } = await approvedWithBody();
    await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-03') });
    clock.set('2026-06-10T10:00:00Z');
    await keepCalling(id);
    await r.decide(USERS.reviewer, id, 'card.schedule_audit', {
      auditor: input.select('Amazon'),
      scheduled_for: inputMore.date('2026-06-20'),
    });
    await revoke(id);
    // As a revocation recorded before revocations ended audits left it: still scheduled.
    await database.db.update(audits).set({ status: 'scheduled', outcomeAt: null }).where(eq(audits.applicationId, id));
    await database.db.update(applications).set({ auditStatus: 'scheduled' }).where(eq(applications.id, id));
    clock.set('2026-06-19T10:00:00Z');
    expect(await sweep()).toEqual([]);

    const again = await h.intake({ ...body, useCase: 'Rebuilt with an audited data store.' });
    await h.settle();
    expect(again.json).toMatchObject({ id, outcome: 'resubmitted', cycle: 2 });
    expect((await auditsOf(id)).map((a) => [a.status, a.outcomeAt?.toISOString()])).toEqual([
      ['cancelled', '2026-06-19T10:00:00.000Z'],
    ]);
    expect(await row(id)).toMatchObject({ cycle: 2, accessStatus: null, auditStatus: null });
    // The new cycle's own review may be reminded (stale in Stage 1); nothing of the old audit is.
    for (const day of ['2026-06-19T12:00:00Z', '2026-06-21T10:00:00Z', '2026-07-20T10:00:00Z']) {
      clock.set(day);
      expect((await sweep()).filter((k) => k.startsWith('audit') || k.startsWith('remediation'))).toEqual([]);
    }
    expect(latestDigest()?.text).toContain('0 audits awaiting an outcome');
  });
});

describe('listings follow access', () => {
  it('lists at-risk and suspended applications in /pii audits, /pii mine and the App Home', async () => {
    const risky = await approved();
    const suspended = await approved();
    clock.set(new Date(clock.now().getTime() + 31 * DAY).toISOString());
    expect(await sweep()).toEqual(['access_at_risk', 'access_at_risk']);
    await r.decide(USERS.admin, suspended, 'admin:suspend_access', { reason: input.radio('developer_request') });
    const audits = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'audits' })).json);
    expect(audits).toContain('Access at risk* (1)');
    expect(audits).toContain('Access suspended* (1)');
    expect(audits).toContain(`#${risky}`);
    const mine = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'mine' })).json);
    expect(mine).toContain('Access at risk or suspended* (2)');
    const adminMine = JSON.stringify((await h.slack.command({ user: USERS.admin, text: 'mine' })).json);
    expect(adminMine).toContain(`#${suspended}`);
    const user = USERS.reviewer;
    const publishes = () => h.emulator.state.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
    const before = publishes();
    await h.slack.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
    await expect.poll(publishes).toBe(before + 1);
    const home = [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === user);
    expect(home?.problems).toEqual([]);
    expect(JSON.stringify(home?.view)).toContain('Access at risk or suspended* (2)');
  });
});
