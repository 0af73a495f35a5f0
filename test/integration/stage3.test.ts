import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, audits, clarificationQuestions, gaps, meetings, restrictedCalls } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { relayedWebhooks } from '../support/instances.ts';
import { toStage3 } from '../support/journeys.ts';
import { input, inputMore, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
// Monday 2026-03-02 09:00 UTC; Ada (the architect) is in America/Los_Angeles (UTC-8 until 2026-03-08).
const clock = new FakeClock('2026-03-02T09:00:00Z');

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
/** 10:00 in Los Angeles on Tuesday 2026-03-03 = 18:00Z. */
const INSIDE_HOURS = new Date('2026-03-03T18:00:00Z');
/** The hour after that meeting: its outcome can be recorded. */
const AFTER_MEETING = '2026-03-03T19:00:00Z';
const meetingFields = (at: Date, extra: Record<string, unknown> = {}) => ({
  architect: input.user(USERS.architect),
  starts_at: inputMore.dateTime(at),
  duration: input.select('60'),
  agenda: input.text('Walk through the PII data flows.'),
  ...extra,
});

function parseInvite(content: string) {
  const component = new ICAL.Component(ICAL.parse(content));
  const event = new ICAL.Event(component.getFirstSubcomponent('vevent') ?? undefined);
  return {
    method: component.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    attendees: event.attendees.map((a) => String(a.getFirstValue())),
  };
}
const invites = () => [...h.emulator.state.files.values()].filter((f) => f.filename.endsWith('.ics'));

describe('Stage 3: scheduling the architecture review', () => {
  it('schedules with an agenda prefilled from gaps and questionnaire topics; the thread gets a date token and an .ics invite', async () => {
    const { id } = await toStage3(h, r);
    await r.click(USERS.reviewer, id, 'card.schedule_review');
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe('schedule_review');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('Questionnaire topics to walk through: Network protection');
    await r.submit(USERS.reviewer, meetingFields(INSIDE_HOURS));
    await h.settle();

    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'in_review', architectId: USERS.architect });
    const unix = INSIDE_HOURS.getTime() / 1000;
    expect(r.threadOf(id).some((line) => line.includes(`<!date^${unix}^`) && line.includes(`<@${USERS.architect}>`))).toBe(true);
    expect(JSON.stringify(r.card(id).blocks)).toContain(`<!date^${unix}^`);
    const [file] = invites();
    const invite = parseInvite(file?.content?.toString('utf8') ?? '');
    expect(invite).toMatchObject({ method: 'REQUEST', sequence: 0, start: INSIDE_HOURS, end: new Date('2026-03-03T19:00:00Z') });
    expect(invite.attendees).toContain('mailto:ada@sandbox.example.com');
    expect(file?.threadTs).toBe(r.card(id).ts);
  });

  it('keeps gap descriptions out of the prefilled agenda, which the invite posted in the channel carries', async () => {
    const { id } = await toStage3(h, r);
    const secret = 'Backups sit unencrypted on a shared drive at the reseller.';
    await database.db.insert(gaps).values({
      applicationId: id,
      area: 'encryption_at_rest',
      severity: 'high',
      description: secret,
      raisedBy: USERS.reviewer,
      raisedAt: clock.now(),
      resolvedBy: USERS.reviewer,
      resolvedAt: clock.now(),
      resolution: 'Fixed.',
    });
    await r.click(USERS.reviewer, id, 'card.schedule_review');
    await expect.poll(() => r.modal(USERS.reviewer).view.callback_id).toBe('schedule_review');
    const view = JSON.stringify(r.modal(USERS.reviewer).view);
    expect(view).toContain('Encryption at rest, high (resolved)');
    expect(view).not.toContain('unencrypted');
    const prefilled = /"block_id":"agenda".*?"initial_value":"((?:[^"\\]|\\.)*)"/.exec(view)?.[1];
    expect(prefilled).toBeDefined();
    await r.submit(USERS.reviewer, meetingFields(INSIDE_HOURS, { agenda: input.text(JSON.parse(`"${prefilled}"`)) }));
    await h.settle();
    const content = invites()[0]?.content?.toString('utf8') ?? '';
    expect(content).toContain('Encryption at rest');
    expect(content).not.toContain('unencrypted');
  });

  it.each([
    ['a time in the past', new Date('2026-03-02T08:00:00Z'), 'starts_at', 'in the past'],
    ['less than an hour ahead', new Date('2026-03-02T09:30:00Z'), 'starts_at', 'at least 60 minutes ahead'],
    [
      'outside the architect’s working hours (19:00 in Los Angeles)',
      new Date('2026-03-04T03:00:00Z'),
      'starts_at',
      'outside their working hours',
    ],
  ])('refuses %s with a field error', async (_name, at, block, message) => {
    const { id } = await toStage3(h, r);
    const viewId = await r.open(USERS.reviewer, id, 'card.schedule_review');
    const answer = await r.submit(USERS.reviewer, meetingFields(at), viewId);
    expect(answer.json).toMatchObject({ response_action: 'errors', errors: { [block]: expect.stringContaining(message) } });
    expect(await database.db.select().from(meetings)).toEqual([]);
  });

  it('acknowledges the scheduling within Slack’s 3 s when Slack is slow to tell the architect’s time zone', async () => {
    const { id } = await toStage3(h, r);
    for (let i = 0; i < 5; i++) h.emulator.state.faults.push({ method: 'users.info', fault: { delayMs: 4_000 } });
    const viewId = await r.open(USERS.reviewer, id, 'card.schedule_review');
    const answer = await r.submit(USERS.reviewer, meetingFields(INSIDE_HOURS), viewId);
    expect(answer.status).toBe(200);
    expect(h.emulator.state.slowAcks).toEqual([]);
    expect(await database.db.select().from(meetings)).toHaveLength(1);
  });

  it('schedules outside working hours once the scheduler confirms', async () => {
    const { id } = await toStage3(h, r);
    const viewId = await r.open(USERS.reviewer, id, 'card.schedule_review');
    await r.submit(
      USERS.reviewer,
      meetingFields(new Date('2026-03-04T03:00:00Z'), { confirm_hours: inputMore.checkboxes(['outside_hours_ok']) }),
      viewId,
    );
    await h.settle();
    expect(await database.db.select().from(meetings)).toHaveLength(1);
  });

  it('refuses an architect who does not hold the architect role', async () => {
    const { id } = await toStage3(h, r);
    const viewId = await r.open(USERS.reviewer, id, 'card.schedule_review');
    const answer = await r.submit(
      USERS.reviewer,
      meetingFields(INSIDE_HOURS, { architect: input.user(USERS.reviewer2) }),
      viewId,
    );
    expect(answer.json).toMatchObject({
      response_action: 'errors',
      errors: { architect: expect.stringContaining('solution architect') },
    });
  });

  it("tells the developer's side when the meeting is: in GET and in the webhooks of its scheduling, move and cancellation", async () => {
    const { id } = await toStage3(h, r);
    const meetingNow = async () => (await h.get(`/api/applications/${id}`)).json.meeting;
    expect(await meetingNow()).toBeNull();
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    expect(await meetingNow()).toEqual({ startsAt: '2026-03-03T18:00:00.000Z', durationMinutes: 60, status: 'scheduled' });
    const later = new Date('2026-03-04T18:00:00Z');
    await r.decide(USERS.architect, id, 'card.reschedule_review', meetingFields(later, { duration: input.select('90') }));
    expect(await meetingNow()).toEqual({ startsAt: '2026-03-04T18:00:00.000Z', durationMinutes: 90, status: 'scheduled' });
    await r.decide(USERS.architect, id, 'card.cancel_review', { reason: input.text('Developer asked for next week.') });
    expect(await meetingNow()).toEqual({ startsAt: '2026-03-04T18:00:00.000Z', durationMinutes: 90, status: 'cancelled' });

    const bodies = await relayedWebhooks(database.db, clock);
    const sent = bodies.map((b) => JSON.parse(b) as { type: string; meeting?: unknown });
    expect(sent.filter((e) => e.type.startsWith('review.')).map((e) => [e.type, e.meeting])).toEqual([
      ['review.scheduled', { startsAt: '2026-03-03T18:00:00.000Z', durationMinutes: 60, status: 'scheduled' }],
      [
        'review.rescheduled',
        {
          startsAt: '2026-03-04T18:00:00.000Z',
          durationMinutes: 90,
          status: 'scheduled',
          movedFrom: '2026-03-03T18:00:00.000Z',
        },
      ],
      ['review.cancelled', { startsAt: '2026-03-04T18:00:00.000Z', durationMinutes: 90, status: 'cancelled' }],
    ]);
    // The agenda and the reason stay with the team.
    expect(bodies.join('')).not.toContain('PII data flows');
    expect(bodies.join('')).not.toContain('next week');
  });

  it('reschedules the same event (same UID, higher SEQUENCE) and cancels it, keeping the history', async () => {
    const { id } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    const later = new Date('2026-03-05T17:00:00Z');
    await r.decide(USERS.architect, id, 'card.reschedule_review', meetingFields(later));
    await r.decide(USERS.architect, id, 'card.cancel_review', { reason: input.text('Developer asked for next week.') });
    const parsed = invites().map((f) => parseInvite(f.content?.toString('utf8') ?? ''));
    expect(parsed.map((p) => [p.method, p.sequence])).toEqual([
      ['REQUEST', 0],
      ['REQUEST', 1],
      ['CANCEL', 2],
    ]);
    expect(new Set(parsed.map((p) => p.uid)).size).toBe(1);
    expect(parsed[1]?.start).toEqual(later);
    expect(await row(id)).toMatchObject({ stage: 'architecture', status: 'new' });
    const lines = r.threadOf(id).join('\n');
    expect(lines).toContain('moved the architecture review');
    expect(lines).toContain('cancelled the architecture review');
    expect(r.buttons(id)).toContain('card.schedule_review');
  });
});

describe('Stage 3: a review that ends before its meeting', () => {
  const sweepAt = (iso: string, dryRun = false) =>
    sweepReminders({ db: database.db, policy: loadConfig({}).policy, clock }, new Date(iso), { dryRun });
  const meetingReminders = (sweep: Awaited<ReturnType<typeof sweepAt>>) => sweep.due.filter((d) => d.kind === 'meeting');

  it('a withdrawal cancels the meeting ahead: the attendees get the cancellation, and no reminder comes', async () => {
    const { id } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    // 24 hours before, the meeting would be reminded (dry run: nothing claimed).
    const dueBefore = await sweepAt('2026-03-02T18:30:00Z', true);
    expect(meetingReminders(dueBefore)).toHaveLength(1);

    await r.decide(USERS.admin, id, 'admin:withdraw', { reason: input.text('The developer paused the integration.') });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'closed', status: 'withdrawn' });
    const [meeting] = await database.db.select().from(meetings).where(eq(meetings.applicationId, id));
    expect(meeting).toMatchObject({ status: 'cancelled', sequence: 1 });
    const parsed = invites().map((f) => parseInvite(f.content?.toString('utf8') ?? ''));
    expect(parsed.map((p) => [p.method, p.sequence])).toEqual([
      ['REQUEST', 0],
      ['CANCEL', 1],
    ]);
    expect(meetingReminders(await sweepAt('2026-03-02T18:30:00Z'))).toEqual([]);
    expect(meetingReminders(await sweepAt('2026-03-03T17:30:00Z'))).toEqual([]);
  });
});

describe('Stage 3: the outcome', () => {
  it('lets only the application’s architect or an admin record it', async () => {
    const { id } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    await r.click(USERS.reviewer, id, 'card.record_outcome');
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('Only a solution architect or an admin');
  });

  it('refuses another architect when Record outcome, Deny or Developer replied is opened, before anything is filled in', async () => {
    const { id } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', {
      outcome: input.radio('clarification'),
      questions: input.text('Show the KMS key policy.'),
    });
    // The application is another architect's (the sandbox has one persona holding the role).
    const OTHER_ARCHITECT = 'U0OTHERARCH';
    await database.db.update(applications).set({ architectId: OTHER_ARCHITECT }).where(eq(applications.id, id));
    let views = h.emulator.state.views.size;
    const ownOnly = `Only the application's solution architect (<@${OTHER_ARCHITECT}>) or an admin can`;

    await r.click(USERS.architect, id, 'card.developer_replied');
    await expect
      .poll(() => r.ephemeralsFor(USERS.architect).join('\n'))
      .toContain(`${ownOnly} record the developer's reply in Stage 3.`);
    await r.click(USERS.architect, id, 'card.deny_architecture');
    await expect.poll(() => r.ephemeralsFor(USERS.architect).join('\n')).toContain(`${ownOnly} deny at Stage 3.`);
    expect(h.emulator.state.views.size).toBe(views);

    // Back in review with its meeting held: Record outcome is refused at open as well.
    await r.decide(USERS.reviewer, id, 'card.developer_replied', { summary: input.text('Sent the KMS key policy.') });
    views = h.emulator.state.views.size;
    await r.click(USERS.architect, id, 'card.record_outcome');
    await expect.poll(() => r.ephemeralsFor(USERS.architect).join('\n')).toContain(`${ownOnly} record the outcome.`);
    expect(h.emulator.state.views.size).toBe(views);
  });

  it('goes to clarification required with tracked questions, back on the developer’s update, and then approved', async () => {
    const { id, body } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', {
      outcome: input.radio('clarification'),
      questions: input.text('Show the KMS key policy.\nWhere are shipping labels stored after printing?'),
    });
    expect(await row(id)).toMatchObject({ status: 'waiting_on_developer' });
    const questions = await database.db.select().from(clarificationQuestions).where(eq(clarificationQuestions.applicationId, id));
    expect(questions.map((q) => q.text)).toEqual([
      'Show the KMS key policy.',
      'Where are shipping labels stored after printing?',
    ]);
    expect(r.buttons(id)).not.toContain('card.record_outcome');

    expect(JSON.stringify(r.card(id).blocks)).toContain('*Open questions*\\n*2* waiting on the developer');
    await h.intake({ ...body, useCase: `${body.useCase} Labels are deleted after 30 days.` });
    await h.settle();
    expect(await row(id)).toMatchObject({ status: 'in_review' });
    // Back in review, the card no longer says the questions wait on the developer: it says what to do.
    const card = JSON.stringify(r.card(id).blocks);
    expect(card).not.toContain('waiting on the developer');
    expect(card).toContain('*2* open: the developer has replied. Tick off the answered ones with *Mark questions answered*.');
    expect(r.buttons(id)).toContain('card.mark_answered');

    // Approval is refused while a question is open, under the outcome input.
    const viewId = await r.open(USERS.architect, id, 'card.record_outcome');
    const refused = await r.submit(USERS.architect, { outcome: input.radio('approved') }, viewId);
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: {
        outcome:
          '2 clarification questions are still open. Once the developer has answered, tick them off with “Mark questions answered” on the card, then record the outcome.',
      },
    });

    await r.decide(USERS.reviewer, id, 'card.mark_answered', { questions: inputMore.multi(questions.map((q) => String(q.id))) });
    await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved') });
    expect(await row(id)).toMatchObject({ stage: 'approved', status: 'approved' });
    expect(r.threadOf(id).at(-1)).toContain('*approved* for restricted access');
  });

  it('a denial after clarification ends the questions with the review: the closed card no longer waits on the developer', async () => {
    const { id } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', {
      outcome: input.radio('clarification'),
      questions: input.text('Show the KMS key policy.\nWhere are shipping labels stored after printing?'),
    });
    await h.settle();
    const card = () => JSON.stringify(r.card(id).blocks);
    expect(card()).toContain('*Open questions*\\n*2* waiting on the developer');

    await r.decide(USERS.architect, id, 'card.deny_architecture', {
      denial_text: input.text('Thank you for your application. We cannot grant the requested roles at this time.'),
      reason_area: input.select('encryption_at_rest'),
      reason_note: input.text('No key policy shown.'),
    });
    await h.settle();
    expect(await row(id)).toMatchObject({ stage: 'closed', status: 'rejected' });
    expect(card()).not.toContain('Open questions');
    expect(card()).not.toContain('waiting on the developer');
  });
});

describe('after approval', () => {
  async function approved() {
    const { id, body } = await toStage3(h, r);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields(INSIDE_HOURS));
    clock.set(AFTER_MEETING);
    await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved') });
    return { id, body };
  }

  it('flags access at risk when no restricted call arrives within the grace period, and clears it when one is reported', async () => {
    const { id } = await approved();
    expect(JSON.stringify(r.card(id).blocks)).toContain('no successful call yet; due by');
    clock.advanceBy(31 * 24 * 3600_000);
    const res = await fetch(`${h.baseUrl}/api/applications/${id}/restricted-calls`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-intake-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ at: '2026-04-01T10:00:00Z', operation: 'getOrderAddress' }),
    });
    expect(res.status).toBe(201);
    await h.settle();
    const calls = await database.db.select().from(restrictedCalls).where(eq(restrictedCalls.applicationId, id));
    expect(calls).toEqual([expect.objectContaining({ operation: 'getOrderAddress', recordedBy: 'intake' })]);
    expect(JSON.stringify(r.card(id).blocks)).toContain('last successful call');
  });

  it('shows access at risk on the card once the sweep finds the grace period over', async () => {
    const { id } = await approved();
    clock.advanceBy(31 * 24 * 3600_000);
    await sweepReminders({ db: database.db, policy: loadConfig({}).policy, clock }, clock.now());
    await h.settle();
    expect(JSON.stringify(r.card(id).blocks)).toContain('*At risk*');
  });

  it('refuses a restricted-call report with a bad body, a future time, or for an application not approved', async () => {
    const { id } = await toStage3(h, r);
    const post = (body: unknown) =>
      fetch(`${h.baseUrl}/api/applications/${id}/restricted-calls`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-intake-token-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const missing = await post({ operation: 'x' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).issues[0]).toEqual({ path: 'at', message: 'is required' });
    expect((await post({ at: '2026-03-01T00:00:00Z', operation: 'getOrderAddress' })).status).toBe(409);
    expect(await database.db.select().from(restrictedCalls)).toEqual([]);
  });

  it('records go-live, schedules the audit at go-live + 90 days, and takes it through remediation to passed', async () => {
    const { id } = await approved();
    await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-03') });
    // A day without a time, as text: a date token would show midnight UTC a day early west of UTC.
    expect(JSON.stringify(r.card(id).blocks)).toContain('Eligible for audit from Jun 1, 2026');
    expect(JSON.stringify(r.card(id).blocks)).toContain('Live since Mar 3, 2026');
    const viewId = await r.open(USERS.reviewer, id, 'card.schedule_audit');
    expect(JSON.stringify(r.modal(USERS.reviewer).view)).toContain('"initial_date":"2026-06-01"');
    await r.submit(USERS.reviewer, { auditor: input.select('Deloitte'), scheduled_for: inputMore.date('2026-06-15') }, viewId);
    await h.settle();
    expect((await database.db.select().from(audits))[0]).toMatchObject({ auditor: 'Deloitte', status: 'scheduled' });
    clock.set('2026-06-15T16:00:00Z');

    const outcome = await r.open(USERS.reviewer, id, 'card.record_audit_outcome');
    const noDue = await r.submit(
      USERS.reviewer,
      { outcome: input.radio('remediation'), 'item.1': input.text('Rotate LWA secrets.') },
      outcome,
    );
    expect(noDue.json).toMatchObject({ response_action: 'errors', errors: { 'due.1': 'Each item needs a due date.' } });
    await r.submit(
      USERS.reviewer,
      {
        outcome: input.radio('remediation'),
        'item.1': input.text('Rotate LWA secrets.'),
        'due.1': inputMore.date('2026-07-01'),
        'item.2': input.text('Add IDS to the VPC.'),
        'due.2': inputMore.date('2026-07-15'),
      },
      outcome,
    );
    await h.settle();
    expect(JSON.stringify(r.card(id).blocks)).toContain('Remediation: *2 open*');
    for (let i = 0; i < 2; i += 1) {
      const vid = await r.open(USERS.reviewer, id, 'card.close_remediation');
      const options =
        (r.modal(USERS.reviewer).view.blocks as { block_id?: string; element?: { options?: { value: string }[] } }[]).find(
          (b) => b.block_id === 'item',
        )?.element?.options ?? [];
      await r.submit(USERS.reviewer, { item: input.select(options[0]?.value ?? '') }, vid);
      await h.settle();
    }
    expect((await database.db.select().from(audits))[0]).toMatchObject({ status: 'passed' });
    expect(r.threadOf(id).at(-1)).toContain('the audit is *passed*');
    const status = JSON.stringify((await h.slack.command({ user: USERS.reviewer, text: `status ${id}` })).json);
    for (const line of [
      'scheduled the architecture review',
      'recorded the production go-live',
      'scheduled the audit with Deloitte',
      'remediation required',
      'Passed (Deloitte)',
    ]) {
      expect(status).toContain(line);
    }
  });
});
