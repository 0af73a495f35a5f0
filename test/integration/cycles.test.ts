import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applicationRoles,
  applications,
  clarificationQuestions,
  denialReasons,
  events,
  gaps,
  meetings,
  reviewCycles,
} from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { purgeExpired } from '../../src/jobs/retention.ts';
import { createLogger } from '../../src/logger.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody, mrkdwnTexts } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { relayedWebhooks } from '../support/instances.ts';
import { approveInStage3, fromStage1ToStage3, toStage3 } from '../support/journeys.ts';
import { ALL_PASS, input, inputMore, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
// Monday 2026-03-02 09:00 UTC; Ada (the architect) is in America/Los_Angeles.
const clock = new FakeClock('2026-03-02T09:00:00Z');
const MEETING = new Date('2026-03-03T18:00:00Z');
const DENIAL = 'Thank you for your application. We cannot grant the requested roles at this time.';
const NOTE = 'Stored order addresses in a shared spreadsheet.';

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-03-02T09:00:00Z');
  await h.reset();
});

const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const cardText = (id: number) => JSON.stringify(r.card(id).blocks);
const everythingPosted = () =>
  JSON.stringify([h.emulator.state.messages, h.emulator.state.ephemerals, h.emulator.state.callsTo('chat.update')]);

async function rejectedAtStage1() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', {
    ...ALL_PASS,
    'criterion.launch_readiness': input.radio('fail'),
    decision: input.radio('reject'),
    denial_text: input.text(DENIAL),
  });
  return { id, body };
}

async function rejectedAtStage2() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  await r.decide(USERS.reviewer, id, 'card.record_gap', {
    area: input.select('incident_response'),
    severity: input.select('high'),
    description: input.text('No incident plan.'),
  });
  await r.decide(USERS.reviewer, id, 'card.deny_security', {
    denial_text: input.text(DENIAL),
    reason_area: input.select('incident_response'),
    reason_note: input.text(NOTE),
  });
  return { id, body };
}

async function approved(roles = ['Direct-to-Consumer Shipping', 'Pricing']) {
  const { id, body } = await toStage3(h, r, { roles });
  await approveInStage3(r, clock, id, MEETING);
  expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved' });
  return { id, body };
}

describe('Review cycles', () => {
  it('a Stage 1 rejection followed by a resubmission opens cycle 2 at Stage 1, the card linking cycle 1’s outcome', async () => {
    const { id, body } = await rejectedAtStage1();
    await h.settle();
    const [cycle1] = await database.db.select().from(reviewCycles).where(eq(reviewCycles.applicationId, id));
    expect(cycle1).toMatchObject({ number: 1, outcome: 'rejected', endedAtStage: 'business' });
    expect(cycle1?.outcomePermalink).toMatch(/archives\/.+\/p\d+/);

    const answer = await h.intake({ ...body, useCase: 'Prints shipping labels; now live with 40 merchants.' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id, outcome: 'resubmitted', cycle: 2, stage: 'business', status: 'new' });
    await h.settle();
    expect(await row(id)).toMatchObject({ cycle: 2, stage: 'business', status: 'new', assigneeId: null });
    expect(cardText(id)).toContain('Cycle 2');
    expect(cardText(id)).toContain(`<${cycle1?.outcomePermalink}|cycle 1 rejected at Stage 1 · Business criteria>`);
    expect(r.buttons(id)).toEqual(expect.arrayContaining(['card.claim', 'card.business_review', 'card.earlier_cycles']));
    // Nothing to fast-track to: cycle 1 ended in Stage 1.
    expect(r.buttons(id)).not.toContain('card.fast_track');
    expect(r.threadOf(id).at(-1)).toContain('resubmitted the application after it was rejected (changed: `useCase`)');
    expect(r.threadOf(id).at(-1)).toContain('*Cycle 2* starts at Stage 1');
    expect(everythingPosted()).not.toContain('40 merchants');

    // The same content again is a retry, not a third cycle.
    const again = await h.intake({ ...body, useCase: 'Prints shipping labels; now live with 40 merchants.' });
    expect(again.json).toMatchObject({ outcome: 'unchanged' });
    expect((await row(id))?.cycle).toBe(2);

    // Earlier cycles: the review team reads the outcome and the denial text; anyone else is refused.
    await r.open(USERS.reviewer, id, 'card.earlier_cycles');
    const modal = JSON.stringify(r.modal(USERS.reviewer).view);
    expect(modal).toContain('Cycle 1');
    expect(modal).toContain('rejected at Stage 1');
    expect(modal).toContain('We cannot grant the requested roles');
    await r.click(USERS.outsider, id, 'card.earlier_cycles');
    await expect.poll(() => r.ephemeralsFor(USERS.outsider).join('\n')).toContain('read earlier cycles');

    // /pii status and the queue say which cycle it is in; the history keeps both.
    const status = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: `status ${id}` })).json);
    expect(status).toContain('Cycle 2');
    expect(status).toContain('in the business review (failed: Launch readiness)');
    const queue = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'queue' })).json);
    expect(queue).toContain('(cycle 2)');

    // Cycle 2 runs its own course, and its rejection is counted beside cycle 1's.
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text(DENIAL),
    });
    expect(await row(id)).toMatchObject({ cycle: 2, status: 'rejected' });
    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats 30' })).json);
    expect(stats).toContain('*Rejected*\\n2 (Stage 1: 2');

    // The export keeps every cycle: one row each, with its number.
    await h.slack.command({ user: USERS.admin, text: 'export 30' });
    await expect.poll(() => h.emulator.state.callsTo('files.completeUploadExternal').length).toBe(1);
    const csv =
      [...h.emulator.state.files.values()].find((f) => f.filename.includes('applications'))?.content?.toString('utf8') ?? '';
    const lines = csv.split('\r\n').filter((l) => l.startsWith(`${id},`));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/,"closed","rejected",.*,"business",1$/);
    expect(lines[1]).toMatch(/,"closed","rejected",.*,"business",2$/);
  });

  it('fast-tracks a cycle to the stage where the last one ended, with a recorded reason; earlier gaps do not leak in', async () => {
    const { id, body } = await rejectedAtStage2();
    const [oldGap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(oldGap?.resolvedAt).toBeNull();
    await h.intake({ ...body, useCase: 'Now with a written incident response plan.' });
    await h.settle();
    expect(await row(id)).toMatchObject({ cycle: 2, stage: 'business', status: 'new' });
    expect(r.buttons(id)).toContain('card.fast_track');

    // Only reviewers and admins: an architect or someone without a role is refused before any form.
    await r.click(USERS.architect, id, 'card.fast_track');
    await expect.poll(() => r.ephemeralsFor(USERS.architect).join('\n')).toContain('Only a reviewer or an admin can do this.');
    await r.click(USERS.outsider, id, 'card.fast_track');
    await expect.poll(() => r.ephemeralsFor(USERS.outsider).join('\n')).toContain('Only a reviewer or an admin can do this.');

    // A reason is required: a field error, and nothing changes.
    const viewId = await r.open(USERS.reviewer, id, 'card.fast_track');
    const before = await row(id);
    const missing = await r.submit(USERS.reviewer, { reason: input.text('  ') }, viewId);
    expect(missing.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    expect(await row(id)).toMatchObject({ stage: 'business', status: 'new', version: before?.version });

    const REASON = 'Stage 1 passed in cycle 1 and nothing it judged has changed.';
    await r.submit(USERS.reviewer, { reason: input.text(REASON) }, viewId);
    await h.settle();
    expect(await row(id)).toMatchObject({ cycle: 2, stage: 'security', status: 'in_review', assigneeId: USERS.reviewer });
    const [cycle2] = await database.db
      .select()
      .from(reviewCycles)
      .where(and(eq(reviewCycles.applicationId, id), eq(reviewCycles.number, 2)));
    expect(cycle2).toMatchObject({ fastTrackedTo: 'security', fastTrackReason: REASON, fastTrackedBy: USERS.reviewer });
    expect(r.threadOf(id).at(-1)).toContain('fast-tracked cycle 2 to Stage 2 · Security questions, where cycle 1 ended');
    expect(everythingPosted()).not.toContain(REASON);
    const [fastTracked] = await database.db
      .select()
      .from(events)
      .where(and(eq(events.applicationId, id), eq(events.type, 'cycle.fast_tracked')));
    expect(JSON.stringify(fastTracked?.payload)).not.toContain(REASON);
    // Cycle 1's open gap is history, not this cycle's: the questionnaire can go out at once.
    expect(r.buttons(id)).toContain('card.send_questionnaire');
    expect(cardText(id)).toContain('None open');
    // No second fast-track in the same cycle.
    expect(r.buttons(id)).not.toContain('card.fast_track');
    // Earlier cycles shows cycle 1's internal reason to the team, never to the channel.
    await r.open(USERS.reviewer, id, 'card.earlier_cycles');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('shared spreadsheet');
    expect(everythingPosted()).not.toContain('shared spreadsheet');

    // Withdrawn, and purged RETENTION_DAYS later: the reason goes with the other private texts.
    await r.decide(USERS.admin, id, 'admin:withdraw', { reason: input.text('Withdrawn by the developer.') });
    const later = new Date(clock.now().getTime() + 200 * 86_400_000);
    expect(await purgeExpired({ db: database.db, logger: createLogger('silent') }, later, 180)).toEqual([id]);
    const cycles = await database.db.select().from(reviewCycles).where(eq(reviewCycles.applicationId, id));
    expect(JSON.stringify(cycles)).not.toContain(REASON);
    expect(cycles.find((c) => c.number === 2)?.fastTrackedTo).toBe('security');
  });

  it('purges an earlier cycle’s private texts RETENTION_DAYS after it ended, while a later cycle is under review', async () => {
    const { id, body } = await rejectedAtStage2();
    await h.intake({ ...body, useCase: 'Now with a written incident response plan.' });
    await h.settle();
    expect(
      await purgeExpired({ db: database.db, logger: createLogger('silent') }, new Date('2026-06-01T00:00:00Z'), 180),
    ).toEqual([]);
    const later = new Date('2026-09-15T00:00:00Z');
    expect(await purgeExpired({ db: database.db, logger: createLogger('silent') }, later, 180)).toEqual([]);
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(gap).toMatchObject({ cycle: 1, area: 'incident_response', description: '(deleted under the retention policy)' });
    const [reason] = await database.db.select().from(denialReasons).where(eq(denialReasons.applicationId, id));
    expect(reason).toMatchObject({ area: 'incident_response', note: null });
    // The current cycle's submission is untouched: it is under review.
    expect(JSON.stringify((await row(id))?.submission)).toContain('written incident response plan');
    expect(await purgeExpired({ db: database.db, logger: createLogger('silent') }, later, 180, { dryRun: true })).toEqual([]);
  });

  it('Reopen names the stage a Stage 2 denial goes back to, and it goes back there', async () => {
    const { id } = await rejectedAtStage2();
    await r.adminOption(USERS.admin, id, 'reopen');
    await expect.poll(() => r.modal(USERS.admin).view.callback_id).toBe('reopen');
    const said = JSON.stringify(r.modal(USERS.admin).view);
    expect(said).toContain('It goes back to Stage 2 · Security questions, in review.');
    expect(said).not.toContain('business review');
    await r.submit(USERS.admin, { reason: input.text('The incident plan was in the attachment after all.') });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'security', status: 'in_review' });
  });

  it('a withdrawn application resubmitted opens a new cycle', async () => {
    const body = applicationBody();
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await r.decide(USERS.admin, id, 'admin:withdraw', { reason: input.text('The developer paused the integration.') });
    expect(await row(id)).toMatchObject({ stage: 'closed', status: 'withdrawn' });
    const resubmitted = await h.intake({ ...body, launchReadiness: 'beta' });
    expect(resubmitted.json).toMatchObject({ outcome: 'resubmitted', cycle: 2 });
    await h.settle();
    expect(await row(id)).toMatchObject({ cycle: 2, stage: 'business', status: 'new' });
    expect(cardText(id)).toContain('cycle 1 withdrawn at Stage 2 · Security questions');
    // It ended in Stage 2: the team may fast-track there.
    expect(r.buttons(id)).toContain('card.fast_track');
    const cycles = await database.db.select().from(reviewCycles).where(eq(reviewCycles.applicationId, id));
    expect(cycles.map((c) => [c.number, c.outcome, c.endedAtStage])).toEqual([
      [1, 'withdrawn', 'security'],
      [2, null, null],
    ]);
  });
});

describe('Added roles', () => {
  it('reviews an added Tax Remittance while Direct-to-Consumer Shipping stays approved; approving makes both approved', async () => {
    const { id, body } = await approved();
    const approvedAt = (await row(id))?.approvedAt;
    clock.set('2026-03-05T09:00:00Z');
    await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-04') });
    const answer = await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    expect(answer.json).toMatchObject({ outcome: 'updated', stage: 'business', status: 'new' });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'business', status: 'new', approvedAt });
    expect((await row(id))?.productionSince?.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    const card = cardText(id);
    expect(card).toContain('*Approved roles*\\nDirect-to-Consumer Shipping');
    expect(card).toContain('*Roles under review*\\nTax Remittance');
    expect(card).toContain('(role review)');
    expect(card).toContain('Live since');
    // The production life goes on: restricted calls and audits are still recorded.
    expect(r.buttons(id)).toEqual(
      expect.arrayContaining(['card.business_review', 'card.record_restricted_call', 'card.ask_role_meeting']),
    );
    expect(r.threadOf(id).join('\n')).toContain('added the restricted role Tax Remittance: a *role review* starts at Stage 1');
    // The integration may still report the go-live through intake during the role review.
    const live = await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'], productionSince: '2026-03-05T00:00:00Z' });
    expect(live.json).toMatchObject({ outcome: 'updated', changedFields: ['productionSince'], stage: 'business' });
    expect((await row(id))?.productionSince?.toISOString()).toBe('2026-03-05T00:00:00.000Z');
    const status = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: `status ${id}` })).json);
    expect(status).toContain('(role review)');
    expect(status).toContain('*Roles under review*\\nTax Remittance');
    const queue = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'queue' })).json);
    expect(queue).toContain('(role review)');
    await r.decide(USERS.reviewer, id, 'card.record_restricted_call', {
      at: inputMore.dateTime(new Date('2026-03-05T08:00:00Z')),
      operation: input.text('getOrderAddress'),
    });
    expect((await row(id))?.lastRestrictedCallAt).toBeInstanceOf(Date);

    await r.open(USERS.reviewer, id, 'card.business_review');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('Approve the added roles');
    await r.submit(USERS.reviewer, { ...ALL_PASS, decision: input.radio('advance') });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', approvedAt, roleReviewSince: null });
    const roles = await database.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(Object.fromEntries(roles.map((x) => [x.role, x.status]))).toEqual({
      'Direct-to-Consumer Shipping': 'approved',
      'Tax Remittance': 'approved',
    });
    expect(roles.find((x) => x.role === 'Tax Remittance')).toMatchObject({ decidedBy: USERS.reviewer });
    expect(cardText(id)).toContain('*Approved roles*\\nDirect-to-Consumer Shipping, Tax Remittance');
    expect(cardText(id)).not.toContain('Roles under review');
    expect(r.threadOf(id).at(-1)).toContain('*approved* the role review: Tax Remittance now approved');
    // A role approval is not a second approval of the application.
    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats 30' })).json);
    expect(stats).toContain('*Approved*\\n1');
  });

  it('a denied role review denies only the added role: the application stays approved with its earlier roles', async () => {
    const { id, body } = await approved();
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text(DENIAL),
    });
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });
    const roles = await database.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(Object.fromEntries(roles.map((x) => [x.role, x.status]))).toEqual({
      'Direct-to-Consumer Shipping': 'approved',
      'Tax Remittance': 'denied',
    });
    expect(cardText(id)).toContain('*Approved roles*\\nDirect-to-Consumer Shipping');
    expect(cardText(id)).toContain('Tax Remittance (denied)');
    const line = r.threadOf(id).at(-1) ?? '';
    expect(line).toContain('*denied* the role review: Tax Remittance denied');
    expect(line).toContain(DENIAL);
    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats 30' })).json);
    expect(stats).toContain('*Rejected*\\n0');
  });

  it('a role review denied while its questions are open leaves them behind: the card drops them, the next role review is approved without them', async () => {
    const { id, body } = await approved();
    const toRoleMeeting = async (startsAt: Date) => {
      await r.decide(USERS.reviewer, id, 'card.ask_role_meeting', { reason: input.text('Tax data flows to a new processor.') });
      await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
      await r.decide(USERS.reviewer, id, 'card.schedule_review', {
        architect: input.user(USERS.architect),
        starts_at: inputMore.dateTime(startsAt),
        duration: input.select('60'),
        agenda: input.text('Walk through the tax data flows.'),
      });
    };
    clock.set('2026-03-04T09:00:00Z');
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    // 10:00 in Los Angeles on Thursday 2026-03-05.
    await toRoleMeeting(new Date('2026-03-05T18:00:00Z'));
    clock.set('2026-03-05T19:00:00Z');
    await r.decide(USERS.architect, id, 'card.record_outcome', {
      outcome: input.radio('clarification'),
      questions: input.text('Show the tax processor’s data processing agreement.\nWhere are invoices stored?'),
    });
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'waiting_on_developer' });
    expect(cardText(id)).toContain('*Open questions*\\n*2* waiting on the developer');
    await r.decide(USERS.architect, id, 'card.deny_architecture', {
      denial_text: input.text(DENIAL),
      reason_area: input.select('third_parties'),
      reason_note: input.text(NOTE),
    });
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });
    // The role review is over: its questions wait on nobody.
    expect(cardText(id)).not.toContain('Open questions');

    // The next role review has its own Stage 3: nothing of the denied one's is open in it.
    clock.set('2026-03-09T09:00:00Z');
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance', 'Tax Invoicing'] });
    await h.settle();
    // 10:00 in Los Angeles (daylight time since 2026-03-08) on Tuesday 2026-03-10.
    await toRoleMeeting(new Date('2026-03-10T17:00:00Z'));
    expect(cardText(id)).not.toContain('Open questions');
    expect(r.buttons(id)).not.toContain('card.mark_answered');
    clock.set('2026-03-10T18:00:00Z');
    const answer = await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved') });
    expect(answer.json).toBeUndefined();
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });
    const roles = await database.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(Object.fromEntries(roles.map((x) => [x.role, x.status]))).toEqual({
      'Direct-to-Consumer Shipping': 'approved',
      'Tax Remittance': 'denied',
      'Tax Invoicing': 'approved',
    });
    // The denied review's questions stay as they were recorded: nobody had to tick them off.
    const questions = await database.db.select().from(clarificationQuestions).where(eq(clarificationQuestions.applicationId, id));
    expect(questions.map((q) => q.answeredAt)).toEqual([null, null]);
  });

  it('access revoked during a role review ends it: the added role is not granted, and no stage decision is left open', async () => {
    const { id, body } = await approved();
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'business', status: 'new' });
    await r.decide(USERS.admin, id, 'admin:revoke_access', { note: input.text('Repeated incidents.') });
    await h.settle();
    expect(await row(id)).toMatchObject({
      stage: 'approved',
      status: 'approved',
      accessStatus: 'revoked',
      roleReviewSince: null,
      roleReviewStages: null,
    });
    const roles = await database.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(Object.fromEntries(roles.map((x) => [x.role, x.status]))).toEqual({
      'Direct-to-Consumer Shipping': 'approved',
      'Tax Remittance': 'removed',
    });
    const [revoked] = await database.db
      .select()
      .from(events)
      .where(and(eq(events.applicationId, id), eq(events.type, 'access.revoked')));
    expect(revoked?.payload).toMatchObject({ to: 'revoked', roleReviewEnded: ['Tax Remittance'] });
    expect(r.threadOf(id).at(-1)).toContain('The role review under way ends with it: Tax Remittance not granted.');
    expect(cardText(id)).not.toContain('Roles under review');
    expect(cardText(id)).toContain('Tax Remittance (removed)');
    expect(r.buttons(id)).not.toContain('card.business_review');
    // The developer resubmits: a new cycle, which reviews every role afresh.
    const again = await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'], launchReadiness: 'beta' });
    expect(again.json).toMatchObject({ outcome: 'resubmitted', cycle: 2, stage: 'business', status: 'new' });
  });

  it('records a removed role without review, and asks for a Stage 3 meeting only when a reviewer wants one', async () => {
    const { id, body } = await approved(['Direct-to-Consumer Shipping', 'Tax Invoicing']);
    await h.intake({ ...body, roles: ['Direct-to-Consumer Shipping'] });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved' });
    const removed = await database.db
      .select()
      .from(applicationRoles)
      .where(and(eq(applicationRoles.applicationId, id), eq(applicationRoles.role, 'Tax Invoicing')));
    expect(removed[0]).toMatchObject({ status: 'removed', decidedBy: 'intake' });
    expect(r.threadOf(id).at(-1)).toContain('removed Tax Invoicing from the application: recorded, no review needed');
    const [event] = await database.db
      .select()
      .from(events)
      .where(and(eq(events.applicationId, id), eq(events.type, 'roles.removed')));
    expect(event?.payload).toMatchObject({ roles: ['Tax Invoicing'] });

    await h.intake({ ...body, roles: ['Direct-to-Consumer Shipping', 'Tax Remittance'] });
    await h.settle();
    // Asking for a meeting is a reviewer's, with a reason.
    await r.click(USERS.outsider, id, 'card.ask_role_meeting');
    await expect.poll(() => r.ephemeralsFor(USERS.outsider).join('\n')).toContain('Only a reviewer or an admin can do this.');
    const empty = await r.decide(USERS.reviewer, id, 'card.ask_role_meeting', { reason: input.text(' ') });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    await r.decide(USERS.reviewer, id, 'card.ask_role_meeting', { reason: input.text('Tax data flows to a new processor.') });
    expect((await row(id))?.roleReviewStages).toEqual(['business', 'architecture']);
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'new' });
    // The meeting of the first review does not count: this one is scheduled anew, and the card says so.
    expect(r.buttons(id)).toContain('card.schedule_review');
    expect(r.buttons(id)).not.toContain('card.record_outcome');
    expect(cardText(id)).toContain('*Architecture review*\\n_Not scheduled_');
  });

  it('/pii stats counts a role review’s Stage 1 once, as long as it took', async () => {
    // The first review spends 4 days in Stage 1.
    const body = applicationBody({ roles: ['Direct-to-Consumer Shipping'] });
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    clock.set('2026-03-06T09:00:00Z');
    await fromStage1ToStage3(h, r, id, body);
    // 11:00 in Los Angeles on Monday 2026-03-09.
    await approveInStage3(r, clock, id, new Date('2026-03-09T18:00:00Z'));
    // The role review spends 2 days in Stage 1.
    clock.set('2026-03-10T09:00:00Z');
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    clock.set('2026-03-12T09:00:00Z');
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });

    const stats = mrkdwnTexts((await h.slack.command({ user: USERS.reviewer, text: 'stats 30' })).json).join('\n');
    expect(stats).toContain('*Stage 1 · Business criteria*\nmedian 3 days · 90th percentile 4 days · 2 stays');
    expect(stats).toContain('*Approved*\n1');
  });

  it('a role review ended by intake dropping its role, or by access revoked, is no approval in /pii stats', async () => {
    const dropping = await approved();
    clock.set('2026-03-02T09:00:00Z');
    const revoking = await approved();
    clock.set('2026-03-10T09:00:00Z');
    for (const { body } of [dropping, revoking]) await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    clock.set('2026-03-12T09:00:00Z');
    const dropped = await h.intake(dropping.body);
    expect(dropped.json).toMatchObject({ outcome: 'updated', stage: 'approved', status: 'approved' });
    await r.decide(USERS.admin, revoking.id, 'admin:revoke_access', { note: input.text('Repeated incidents.') });
    expect(await row(revoking.id)).toMatchObject({ stage: 'approved', accessStatus: 'revoked', roleReviewSince: null });
    // The last 5 days hold the role reviews, not the approvals (2026-03-03).
    const stats = mrkdwnTexts((await h.slack.command({ user: USERS.reviewer, text: 'stats 5' })).json).join('\n');
    expect(stats).toContain('*Received*\n0');
    expect(stats).toContain('*Approved*\n0');
    expect(stats).toContain('*Stage 1 · Business criteria*\nmedian 2 days · 90th percentile 2 days · 2 stays');
  });

  it('a role review ended by intake dropping its role cancels the meeting ahead: the attendees are told, and no reminder comes', async () => {
    const { id, body } = await approved();
    clock.set('2026-03-04T09:00:00Z');
    await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.ask_role_meeting', { reason: input.text('Tax data flows to a new processor.') });
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    // 10:00 in Los Angeles on Thursday 2026-03-05.
    await r.decide(USERS.reviewer, id, 'card.schedule_review', {
      architect: input.user(USERS.architect),
      starts_at: inputMore.dateTime(new Date('2026-03-05T18:00:00Z')),
      duration: input.select('60'),
      agenda: input.text('Walk through the tax data flows.'),
    });
    const sweepAt = (iso: string, dryRun = false) =>
      sweepReminders({ db: database.db, policy: loadConfig({}).policy, clock }, new Date(iso), { dryRun });
    const meetingReminders = async (iso: string, dryRun = false) =>
      (await sweepAt(iso, dryRun)).due.filter((d) => d.kind === 'meeting');
    // 24 hours before, the meeting would be reminded (dry run: nothing claimed).
    expect(await meetingReminders('2026-03-04T18:30:00Z', true)).toHaveLength(1);

    const dropped = await h.intake(body);
    expect(dropped.json).toMatchObject({ outcome: 'updated', stage: 'approved', status: 'approved' });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });
    const roleMeeting = (await database.db.select().from(meetings).where(eq(meetings.applicationId, id)).orderBy(meetings.id)).at(
      -1,
    );
    expect(roleMeeting).toMatchObject({ status: 'cancelled', sequence: 1 });
    // The thread got the role meeting's invite, then its cancellation (same UID, higher SEQUENCE).
    const invites = [...h.emulator.state.files.values()]
      .map((f) => f.content?.toString('utf8') ?? '')
      .filter((c) => c.includes(`UID:arch-review-${roleMeeting?.id}@pii-review`))
      .map((c) => [c.match(/METHOD:(\w+)/)?.[1], Number(c.match(/SEQUENCE:(\d+)/)?.[1])]);
    expect(invites).toEqual([
      ['REQUEST', 0],
      ['CANCEL', 1],
    ]);
    expect(await meetingReminders('2026-03-04T18:30:00Z')).toEqual([]);
    expect(await meetingReminders('2026-03-05T17:30:00Z')).toEqual([]);
    expect(cardText(id)).toContain('Cancelled; not rescheduled');
  });
});

describe('Added roles, as the developer side reads them', () => {
  it('tells which role was denied, each role’s status and access; the role is asked for again by dropping it, then listing it', async () => {
    const { id, body } = await approved();
    const withTax = { ...body, roles: [...body.roles, 'Tax Remittance'] };
    await h.intake(withTax);
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text(DENIAL),
    });
    const state = (await h.get(`/api/applications/${id}`)).json;
    expect(state.roleStatuses).toEqual([
      { role: 'Direct-to-Consumer Shipping', status: 'approved' },
      { role: 'Tax Remittance', status: 'denied' },
    ]);
    expect(state.access).toEqual({ status: 'active', since: expect.any(String) });
    const denied = state.history.find((e: { type: string }) => e.type === 'role_review.denied');
    expect(denied.roles).toEqual(['Tax Remittance']);

    // Listed again as it stands, the denied role is not reviewed again; dropped, then listed, it is.
    expect((await h.intake({ ...withTax, useCase: 'Addressed the reason for the denial.' })).json.stage).toBe('approved');
    expect((await h.intake({ ...body, useCase: 'Addressed the reason for the denial.' })).json.stage).toBe('approved');
    const again = await h.intake({ ...withTax, useCase: 'Addressed the reason for the denial.' });
    expect(again.json).toMatchObject({ outcome: 'updated', stage: 'business', status: 'new' });

    const sent = (await relayedWebhooks(database.db, clock)).map(
      (b) => JSON.parse(b) as { type: string; roles?: string[]; text?: string },
    );
    expect(sent.filter((e) => e.type.startsWith('role_review.')).map((e) => [e.type, e.roles])).toEqual([
      ['role_review.started', ['Tax Remittance']],
      ['role_review.denied', ['Tax Remittance']],
      ['role_review.started', ['Tax Remittance']],
    ]);
    expect(sent.find((e) => e.type === 'role_review.denied')?.text).toBe(DENIAL);
  });
});

describe('Added roles, with Stage 2 in role reviews', () => {
  let database2: TestDatabase;
  let h2: Harness;
  let r2: ReturnType<typeof reviewer>;
  beforeAll(async () => {
    database2 = await createTestDatabase();
    h2 = await startHarness(database2, { clock, policy: loadConfig({ ROLE_REVIEW_STAGES: 'business,security' }).policy });
    r2 = reviewer(h2);
  });
  afterAll(async () => {
    await h2?.stop();
    await database2?.close();
  });

  it('a role review denied with a gap open leaves it behind: the next role review passes Stage 2 without it', async () => {
    const { id, body } = await toStage3(h2, r2, { roles: ['Direct-to-Consumer Shipping'] });
    await approveInStage3(r2, clock, id, MEETING);
    const row2 = async () => (await database2.db.select().from(applications).where(eq(applications.id, id)))[0];
    const card2 = () => JSON.stringify(r2.card(id).blocks);

    clock.set('2026-03-04T09:00:00Z');
    await h2.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    await h2.settle();
    await r2.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    expect(await row2()).toMatchObject({ stage: 'security' });
    await r2.decide(USERS.reviewer, id, 'card.record_gap', {
      area: input.select('third_parties'),
      severity: input.select('high'),
      description: input.text('The tax processor was never assessed.'),
    });
    await r2.decide(USERS.reviewer, id, 'card.deny_security', {
      denial_text: input.text(DENIAL),
      reason_area: input.select('third_parties'),
      reason_note: input.text(NOTE),
    });
    expect(await row2()).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });

    clock.set('2026-03-09T09:00:00Z');
    await h2.intake({ ...body, roles: [...body.roles, 'Tax Remittance', 'Tax Invoicing'] });
    await h2.settle();
    await r2.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    expect(await row2()).toMatchObject({ stage: 'security' });
    // The denied review's gap is not this one's: none is open here, and Stage 2 can be passed.
    expect(card2()).toContain('*Gaps*\\nNone open');
    await r2.click(USERS.reviewer, id, 'card.pass_security');
    await h2.settle();
    expect(await row2()).toMatchObject({ stage: 'approved', status: 'approved', roleReviewSince: null });
    const roles = await database2.db.select().from(applicationRoles).where(eq(applicationRoles.applicationId, id));
    expect(Object.fromEntries(roles.map((x) => [x.role, x.status]))).toEqual({
      'Direct-to-Consumer Shipping': 'approved',
      'Tax Remittance': 'denied',
      'Tax Invoicing': 'approved',
    });
    // Nobody had to resolve the old gap to get there: it stays as it was recorded.
    const [oldGap] = await database2.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(oldGap).toMatchObject({ area: 'third_parties', resolvedAt: null });
  });
});
