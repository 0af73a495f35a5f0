import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applications,
  denialReasons,
  developerMessages,
  developerReplies,
  events,
  gaps,
  meetings,
  questionnaireAnswers,
} from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { toStage3 } from '../support/journeys.ts';
import { openModal } from '../support/open-modal.ts';
import { ALL_PASS, input, inputMore, reviewer } from '../support/reviewer.ts';

const QUESTION_IDS = loadQuestionnaire().questions.map((q) => q.id);

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
// Monday 2026-03-02 09:00 UTC; Ada (the architect) is in America/Los_Angeles.
const clock = new FakeClock('2026-03-02T09:00:00Z');
/** 10:00 in Los Angeles on Tuesday 2026-03-03. */
const MEETING = new Date('2026-03-03T18:00:00Z');
const AFTER_MEETING = '2026-03-03T19:00:00Z';

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
/** Everything the bot ever posted or updated in Slack: the channel, threads, ephemerals. */
const everythingPosted = () =>
  JSON.stringify([h.emulator.state.messages, h.emulator.state.ephemerals, h.emulator.state.callsTo('chat.update')]);

async function inStage2(overrides: Record<string, unknown> = {}) {
  const body = applicationBody(overrides);
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  return { id, body };
}

async function recordGap(id: number, description = 'No 24 h notification commitment.') {
  await r.decide(USERS.reviewer, id, 'card.record_gap', {
    area: input.select('incident_response'),
    severity: input.select('high'),
    description: input.text(description),
  });
  return (await database.db.select().from(gaps).where(eq(gaps.applicationId, id))).at(-1);
}

async function scheduled() {
  const { id, body } = await toStage3(h, r);
  await r.decide(USERS.reviewer, id, 'card.schedule_review', {
    architect: input.user(USERS.architect),
    starts_at: inputMore.dateTime(MEETING),
    duration: input.select('60'),
    agenda: input.text('Walk through the PII data flows.'),
  });
  return { id, body };
}

describe('Developer replied', () => {
  const SUMMARY = 'Dana wrote back: incident plan now promises notice to Amazon within 24 hours.';
  const EVIDENCE = 'https://docs.northwind.example.com/ir-plan-v3.pdf';

  it('brings an application waiting on the developer back to review and closes the round, keeping the reply private', async () => {
    const { id } = await inStage2();
    const gap = await recordGap(id);
    await r.decide(USERS.reviewer, id, 'card.request_information', { message: input.text('Please commit to 24 h notice.') });
    expect(await row(id)).toMatchObject({ status: 'waiting_on_developer', infoRounds: 1 });
    expect(r.buttons(id)).toContain('card.developer_replied');
    // In Stage 2 the reply is a reviewer's to record: an architect is told so before any form opens.
    const views = h.emulator.state.views.size;
    await r.click(USERS.architect, id, 'card.developer_replied');
    await expect
      .poll(() => r.ephemeralsFor(USERS.architect).at(-1))
      .toContain('Only a reviewer or an admin records a reply in Stage 2.');
    expect(h.emulator.state.views.size).toBe(views);

    const viewId = await r.open(USERS.reviewer, id, 'card.developer_replied');
    const bad = await r.submit(USERS.reviewer, { summary: input.text(SUMMARY), evidence_url: input.text('docs/ir.pdf') }, viewId);
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { evidence_url: expect.stringContaining('https://') } });
    expect(await row(id)).toMatchObject({ status: 'waiting_on_developer' });

    await r.submit(
      USERS.reviewer,
      {
        summary: input.text(SUMMARY),
        evidence_url: input.text(EVIDENCE),
        addresses: inputMore.multi([String(gap?.id)]),
      },
      viewId,
    );
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'security', status: 'in_review', infoRounds: 1 });
    const [reply] = await database.db.select().from(developerReplies).where(eq(developerReplies.applicationId, id));
    expect(reply).toMatchObject({
      stage: 'security',
      summary: SUMMARY,
      evidenceUrl: EVIDENCE,
      addresses: [gap?.id],
      recordedBy: USERS.reviewer,
    });
    const line = r.threadOf(id).at(-1) ?? '';
    expect(line).toContain("recorded the developer's reply");
    expect(line).toContain('It addresses 1 open gap.');
    expect(line).toContain('Stage 2 · Security questions, in review');
    expect(everythingPosted()).not.toContain('notice to Amazon within 24 hours');
    expect(everythingPosted()).not.toContain('ir-plan-v3');
    // The round is closed: the reviewer can ask again.
    expect(r.buttons(id)).toContain('card.request_information');
    expect(r.buttons(id)).not.toContain('card.developer_replied');
  });

  it('serves Stage 3 clarification alongside Mark questions answered', async () => {
    const { id } = await scheduled();
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', {
      outcome: input.radio('clarification'),
      questions: input.text('Show the KMS key policy.'),
    });
    expect(r.buttons(id)).toEqual(expect.arrayContaining(['card.developer_replied', 'card.mark_answered']));
    await r.decide(USERS.architect, id, 'card.developer_replied', { summary: input.text('Sent the key policy by e-mail.') });
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'in_review' });
    // The question stays open until someone marks it answered.
    expect(r.buttons(id)).toContain('card.mark_answered');
  });

  it('is refused when nothing waits on the developer', async () => {
    const { id } = await inStage2();
    const version = (await row(id))?.version;
    await h.slack.messageAction({
      user: USERS.reviewer,
      channel: r.card(id).channel,
      ts: r.card(id).ts,
      action: { actionId: 'card.developer_replied', value: `${id}:${version}` },
    });
    await expect
      .poll(() => r.ephemeralsFor(USERS.reviewer).at(-1))
      .toContain('A reply is recorded while the application waits on the developer');
  });
});

describe('Answers can be re-judged', () => {
  it('accepts a gap-verdict answer after its gap is resolved, and Stage 2 passes', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    await h.intake({
      ...body,
      questionnaireAnswers: QUESTION_IDS.map((questionId) => ({ questionId, answer: `A ${questionId}` })),
    });
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.review_answers', {
      ...Object.fromEntries(QUESTION_IDS.map((q) => [`verdict.${q}`, input.select(q === 'Q02' ? 'gap:high' : 'accept')])),
      'note.Q02': input.text('Shared admin account.'),
    });
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    await r.decide(USERS.reviewer, id, 'card.resolve_gap', {
      gap: input.select(String(gap?.id)),
      resolution: input.text('Confirmed on a call: named accounts only.'),
    });
    // The dead end of old: no gap open, no answer pending, Q02 still "gap".
    expect(r.buttons(id)).not.toContain('card.pass_security');
    expect(r.buttons(id)).toContain('card.review_answers');

    const viewId = await r.open(USERS.reviewer, id, 'card.review_answers');
    const view = JSON.stringify(r.modal(USERS.reviewer).view);
    expect(view).toContain('judged a gap');
    expect(view).toContain('Accept and resolve its gap');
    await r.submit(USERS.reviewer, { 'verdict.Q02': input.select('accept') }, viewId);
    await h.settle();
    const q02 = (await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id))).find(
      (a) => a.questionId === 'Q02',
    );
    expect(q02?.review).toBe('accepted');
    expect(r.buttons(id)).toContain('card.pass_security');
    await r.click(USERS.reviewer, id, 'card.pass_security');
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'new' });
  });

  it('accepting a gap-verdict answer offers to resolve the gap it raised', async () => {
    const { id, body } = await inStage2();
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    await h.intake({ ...body, questionnaireAnswers: [{ questionId: 'Q05', answer: 'Disk encryption.' }] });
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.review_answers', {
      'verdict.Q05': input.select('gap:medium'),
      'note.Q05': input.text('No KMS named.'),
    });
    await r.decide(USERS.reviewer, id, 'card.review_answers', { 'verdict.Q05': input.select('accept_resolve') });
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(gap).toMatchObject({ questionId: 'Q05', resolvedBy: USERS.reviewer });
    expect(gap?.resolvedAt).toBeInstanceOf(Date);
    expect(r.threadOf(id).at(-1)).toContain('resolved the 1 gap they had raised');
  });
});

describe('Deny at Stage 2 and Stage 3', () => {
  const DENIAL = 'Thank you for your application. We cannot grant the requested roles at this time.';
  const NOTE = 'Kept PII in plaintext logs for a year; refused to change it.';

  it('denies at Stage 2 and at Stage 3, with the denial text in each thread, counted as rejected by /pii stats', async () => {
    const two = await inStage2();
    const refusal = await r.decide(USERS.reviewer, two.id, 'card.deny_security', {
      denial_text: input.text(DENIAL),
    });
    expect(refusal.json).toMatchObject({ response_action: 'errors', errors: { reason_note: expect.any(String) } });
    expect(await row(two.id)).toMatchObject({ stage: 'security', status: 'in_review' });
    const viewId = await r.open(USERS.reviewer, two.id, 'card.deny_security');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('"block_id":"reason_area"');
    await r.submit(
      USERS.reviewer,
      { denial_text: input.text(DENIAL), reason_area: input.select('logging_monitoring'), reason_note: input.text(NOTE) },
      viewId,
    );
    await h.settle();
    expect(await row(two.id)).toMatchObject({ stage: 'closed', status: 'rejected' });
    expect(r.threadOf(two.id).at(-1)).toContain('*rejected* the application at Stage 2');
    expect(r.threadOf(two.id).at(-1)).toContain(DENIAL);

    const three = await scheduled();
    // Stage 3 denials belong to the application's architect or an admin, not a reviewer.
    await r.click(USERS.reviewer, three.id, 'card.deny_architecture');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('Only a solution architect or an admin');
    const uploads = () => h.emulator.state.callsTo('files.completeUploadExternal').length;
    const invitesBefore = uploads();
    await r.decide(USERS.architect, three.id, 'card.deny_architecture', {
      denial_text: input.text(DENIAL),
      reason_note: input.text(NOTE),
    });
    expect(await row(three.id)).toMatchObject({ stage: 'closed', status: 'rejected' });
    expect(r.threadOf(three.id).join('\n')).toContain('*rejected* the application at Stage 3');
    expect(r.threadOf(three.id).join('\n')).toContain(DENIAL);
    // The meeting that was ahead is off: cancelled (so no reminder comes) with a cancellation sent.
    const [meeting] = await database.db.select().from(meetings).where(eq(meetings.applicationId, three.id));
    expect(meeting).toMatchObject({ status: 'cancelled', sequence: 1 });
    expect(uploads()).toBe(invitesBefore + 1);

    const sent = await database.db.select().from(developerMessages).where(eq(developerMessages.kind, 'denial'));
    expect(sent.map((m) => [m.applicationId, m.body])).toEqual([
      [two.id, DENIAL],
      [three.id, DENIAL],
    ]);
    const reasons = await database.db.select().from(denialReasons);
    expect(reasons.map((d) => [d.applicationId, d.stage, d.area, d.note])).toEqual([
      [two.id, 'security', 'logging_monitoring', NOTE],
      [three.id, 'architecture', null, NOTE],
    ]);
    const rejections = await database.db
      .select()
      .from(events)
      .where(and(eq(events.applicationId, three.id), eq(events.type, 'review.rejected')));
    expect(JSON.stringify(rejections)).not.toContain('plaintext logs');
    expect(everythingPosted()).not.toContain('plaintext logs');

    const stats = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: 'stats 30' })).json);
    expect(stats).toContain('*Rejected*\\n2 (Stage 2: 1, Stage 3: 1)');
    // A rejection can still be reopened: not the end.
    expect(r.buttons(three.id)).toContain('admin:reopen');
    await r.decide(USERS.admin, three.id, 'admin:reopen', { reason: input.text('Appeal upheld.') });
    expect(await row(three.id)).toMatchObject({ stage: 'architecture', status: 'in_review' });
  });
});

describe('Dates that cannot be true', () => {
  it('refuses an outcome before the meeting, unless it was held early (recorded as such)', async () => {
    const { id } = await scheduled();
    const viewId = await r.open(USERS.architect, id, 'card.record_outcome');
    const form = JSON.stringify(r.modal(USERS.architect).view);
    expect(form).toContain('"block_id":"held_early"');
    // The start in mrkdwn, as a Slack date each reader sees in their own zone; never a UTC clock time in plain text.
    const startsAt = Date.parse('2026-03-03T18:00:00Z') / 1000;
    expect(form).toContain(`The meeting is scheduled for <!date^${startsAt}^{date_short_pretty} at {time}|`);
    expect(form.replace(/<!date[^>]*>/g, '')).not.toContain('UTC');
    const early = await r.submit(USERS.architect, { outcome: input.radio('approved') }, viewId);
    expect(early.json).toMatchObject({
      response_action: 'errors',
      errors: {
        outcome: 'The meeting starts in 1 day: an outcome cannot come before it. If it was held early, tick the box below.',
      },
    });
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'in_review' });
    await r.submit(
      USERS.architect,
      { outcome: input.radio('approved'), held_early: inputMore.checkboxes(['held_early']) },
      viewId,
    );
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved' });
    const [approved] = await database.db
      .select()
      .from(events)
      .where(and(eq(events.applicationId, id), eq(events.type, 'review.approved')));
    expect(approved?.payload).toMatchObject({ heldEarly: true });
    expect(r.threadOf(id).at(-1)).toContain('The meeting was held early.');
  });

  it('refuses a go-live before approval or in the future, a restricted call before approval, an audit outcome before its date', async () => {
    const { id } = await scheduled();
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved') });

    const beforeApproval = await r.decide(USERS.reviewer, id, 'card.record_go_live', {
      production_since: inputMore.date('2026-03-01'),
    });
    expect(beforeApproval.json).toMatchObject({
      response_action: 'errors',
      errors: { production_since: 'Go-live cannot be before the approval (2026-03-03): restricted access starts then.' },
    });
    const future = await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-09') });
    expect(future.json).toMatchObject({ errors: { production_since: 'Go-live cannot be in the future.' } });
    expect((await row(id))?.productionSince).toBeNull();

    const call = await r.decide(USERS.reviewer, id, 'card.record_restricted_call', {
      at: inputMore.dateTime(new Date('2026-03-03T10:00:00Z')),
      operation: input.text('getOrderAddress'),
    });
    // A form's error is plain text: the approval's time in the reviewer's own zone (Riley: Berlin), never bare UTC.
    expect(call.json).toMatchObject({
      errors: {
        at: 'The call cannot be before the approval (Mar 3, 2026, 8:00 PM GMT+1): there was no restricted access yet.',
      },
    });

    clock.set('2026-03-05T09:00:00Z');
    await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-04') });
    // Opened again, the modal shows the current value; changing it says old → new.
    await r.open(USERS.reviewer, id, 'card.record_go_live');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('"initial_date":"2026-03-04"');
    await r.submit(USERS.reviewer, { production_since: inputMore.date('2026-03-05') });
    await h.settle();
    expect(r.threadOf(id).at(-1)).toContain('changed the production go-live: Mar 4, 2026 → Mar 5, 2026.');

    await r.decide(USERS.reviewer, id, 'card.schedule_audit', {
      auditor: input.select('PwC'),
      scheduled_for: inputMore.date('2026-06-10'),
    });
    const audit = await r.decide(USERS.reviewer, id, 'card.record_audit_outcome', { outcome: input.radio('passed') });
    expect(audit.json).toMatchObject({
      errors: { outcome: 'The audit is dated 2026-06-10: its outcome cannot come before. Reschedule it if it moved.' },
    });
    await r.open(USERS.reviewer, id, 'card.schedule_audit');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('"initial_date":"2026-06-10"');
    clock.set('2026-06-10T15:00:00Z');
    const passed = await r.decide(USERS.reviewer, id, 'card.record_audit_outcome', { outcome: input.radio('passed') });
    expect(passed.json ?? {}).not.toHaveProperty('errors');
    expect((await row(id))?.auditStatus).toBe('passed');
  });
});

describe('The private track', () => {
  it('shows the track, leaves out the Appstore criterion, and lets a reviewer skip the questionnaire with a reason', async () => {
    const body = applicationBody({ developerType: 'private' });
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    expect(JSON.stringify(r.card(id).blocks)).toContain('Private track (streamlined)');
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const modal = JSON.stringify(r.modal(USERS.reviewer).view);
    expect(modal).not.toContain('criterion.differentiation');
    expect(modal).toContain('criterion.use_case');
    const { 'criterion.differentiation': _, ...privatePass } = ALL_PASS;
    await r.submit(USERS.reviewer, { ...privatePass, decision: input.radio('advance') }, viewId);
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'security', status: 'in_review' });

    expect(r.buttons(id)).toContain('card.skip_questionnaire');
    const empty = await r.decide(USERS.reviewer, id, 'card.skip_questionnaire', { reason: input.text(' ') });
    expect(empty.json).toMatchObject({ errors: { reason: 'This is required.' } });
    await r.decide(USERS.reviewer, id, 'card.skip_questionnaire', {
      reason: input.text('In-house tool; the controls were covered in the information round.'),
    });
    expect((await row(id))?.questionnaireSkipReason).toContain('In-house tool');
    expect(r.threadOf(id).at(-1)).toContain('skipped the security questionnaire (private track)');
    // The reason is about the applicant: in View submission, never in the channel.
    expect(r.threadOf(id).join('\n')).not.toContain('In-house tool');
    const submission = await openModal(h, r, { action: 'card.submission' }, USERS.reviewer, id);
    expect(JSON.stringify(submission?.view)).toContain('In-house tool');
    expect(r.buttons(id)).not.toContain('card.send_questionnaire');
    await r.click(USERS.reviewer, id, 'card.pass_security');
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'new' });
  });

  it('keeps the complete review for public developers', async () => {
    const { id } = await inStage2();
    expect(JSON.stringify(r.card(id).blocks)).toContain('Public track (complete review)');
    expect(r.buttons(id)).not.toContain('card.skip_questionnaire');
  });
});
