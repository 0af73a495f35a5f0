import { describe, expect, it } from 'vitest';
import { isLate, LATE_ROLES, lateStateAllows } from '../../../src/workflow/late.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import {
  ALLOWED_ROLES,
  type Command,
  decide,
  type RuleEnv,
  stateAllows,
  type WorkflowState,
} from '../../../src/workflow/rules.ts';
import { localTime, MIN_LEAD_MINUTES, meetingTimeProblem, WORKING_HOURS } from '../../../src/workflow/scheduling.ts';

// ---------------------------------------------------------------------------
// Builders and fixtures
// ---------------------------------------------------------------------------

const state = (overrides: Partial<WorkflowState> = {}): WorkflowState => ({
  stage: 'business',
  status: 'new',
  assigneeId: null,
  openGaps: [],
  questionnaire: null,
  answers: [],
  architectId: null,
  meeting: null,
  openQuestions: [],
  productionSince: null,
  audit: null,
  openRemediation: [],
  // An approved application always carries when it was approved (its production life starts then).
  ...(overrides.stage === 'approved' ? { approvedAt: new Date('2025-09-01T00:00:00Z') } : {}),
  ...overrides,
});

const actor = (id: string, ...roles: Role[]) => ({ id, roles: new Set<Role>(roles) });
const reviewer = actor('U_REV', 'reviewer');
const architect = actor('U_ARCH', 'architect');
const otherArchitect = actor('U_ARCH2', 'architect');
const admin = actor('U_ADMIN', 'admin');
const integration = actor('intake', 'integration');

/** Who holds which role, as the use case reads it from configuration. */
const ROLE_BOOK: Record<string, Role[]> = {
  U_REV: ['reviewer'],
  U_ARCH: ['architect'],
  U_ARCH2: ['architect'],
  U_BOTH: ['reviewer', 'architect'],
  U_ADMIN: ['admin'],
};

/** Monday 2026-03-02, 10:00 in Berlin (CET, UTC+1). */
const NOW = new Date('2026-03-02T09:00:00Z');
const env = (overrides: Partial<RuleEnv> = {}): RuleEnv => ({
  now: NOW,
  rolesOf: (id) => new Set<Role>(ROLE_BOOK[id] ?? []),
  architectTimeZone: 'Europe/Berlin',
  ...overrides,
});
const BERLIN = env();
const minutesFromNow = (m: number) => new Date(NOW.getTime() + m * 60_000);
const at = (iso: string) => new Date(iso);

const PAST_MEETING = at('2026-02-27T09:00:00Z');
const NEXT_MEETING = at('2026-03-03T09:00:00Z');
const scheduledMeeting = (startsAt = NEXT_MEETING) => ({ status: 'scheduled', startsAt }) as const;
const heldMeeting = { status: 'held', startsAt: PAST_MEETING } as const;
const cancelledMeeting = { status: 'cancelled', startsAt: NEXT_MEETING } as const;

const stage3 = (overrides: Partial<WorkflowState> = {}) =>
  state({ stage: 'architecture', status: 'in_review', assigneeId: 'U_REV', architectId: 'U_ARCH', ...overrides });
const stage3New = (overrides: Partial<WorkflowState> = {}) => stage3({ status: 'new', architectId: null, ...overrides });
const stage3Waiting = (overrides: Partial<WorkflowState> = {}) =>
  stage3({ status: 'waiting_on_developer', meeting: heldMeeting, openQuestions: [11, 12], ...overrides });

const LIVE_SINCE = at('2025-10-01T00:00:00Z');
const approved = (overrides: Partial<WorkflowState> = {}) =>
  state({ stage: 'approved', status: 'approved', approvedAt: new Date('2025-09-01T00:00:00Z'), ...overrides });
const live = (overrides: Partial<WorkflowState> = {}) => approved({ productionSince: LIVE_SINCE, ...overrides });

const gap = (id: number) => ({ id, area: 'network_protection', severity: 'high' }) as const;

type Meeting = {
  architectId?: string;
  startsAt?: Date;
  durationMinutes?: number;
  outsideHoursConfirmed?: boolean;
};
type ScheduleCommand = Extract<Command, { type: 'schedule_review' }>;
/** A valid meeting: Tuesday 10:00–11:00 in Berlin with U_ARCH. */
const schedule = (m: Meeting = {}): ScheduleCommand => ({
  type: 'schedule_review',
  architectId: m.architectId ?? 'U_ARCH',
  startsAt: m.startsAt ?? NEXT_MEETING,
  durationMinutes: m.durationMinutes ?? 60,
  agenda: 'Data flows and PII controls',
  outsideHoursConfirmed: m.outsideHoursConfirmed ?? false,
});
const reschedule = (m: Meeting = {}): Command => ({ ...schedule(m), type: 'reschedule_review' as const });

const STAY_IN_REVIEW = { ok: true, next: { stage: 'architecture', status: 'in_review' } } as const;
const STAY_APPROVED = { ok: true, next: { stage: 'approved', status: 'approved' } } as const;
const guard = (message: string, field?: string) => ({ ok: false, kind: 'guard', message, ...(field ? { field } : {}) });
const stateRefusal = (message: string) => ({ ok: false, kind: 'state', message });

/** The warning text the scheduler sees when a time is outside the architect's day. */
const outsideHours = (from: string, to: string, zone: string) =>
  `That is ${from}–${to} for the architect (${zone}), outside their working hours (08:00–18:00). Tick “Outside working hours is fine” to schedule it anyway.`;

describe('late command catalogue', () => {
  it('knows exactly the Stage 3 and post-approval commands, each in ALLOWED_ROLES with the same roles', () => {
    expect(Object.keys(LATE_ROLES).sort()).toEqual(
      [
        'cancel_review',
        'close_remediation',
        'mark_answered',
        'record_audit_outcome',
        'record_go_live',
        'record_outcome',
        'record_restricted_call',
        'reschedule_review',
        'schedule_audit',
        'schedule_review',
        'deny_architecture',
        'suspend_access',
        'reinstate_access',
        'revoke_access',
      ].sort(),
    );
    for (const [type, roles] of Object.entries(LATE_ROLES)) expect(ALLOWED_ROLES[type as keyof typeof LATE_ROLES]).toBe(roles);
    expect(isLate('pass_security')).toBe(false);
    expect(isLate('schedule_review')).toBe(true);
  });

  it('lets only record_go_live and record_restricted_call be done by the integration', () => {
    const byIntegration = Object.entries(ALLOWED_ROLES)
      .filter(([, roles]) => roles.includes('integration'))
      .map(([type]) => type);
    expect(byIntegration).toEqual(['record_go_live', 'record_restricted_call']);
  });
});

// ---------------------------------------------------------------------------
// Stage 3: the architecture review meeting
// ---------------------------------------------------------------------------

describe('schedule_review: transitions', () => {
  it.each([
    { name: 'from architecture/new', s: stage3New() },
    { name: 'from architecture/new after a cancelled meeting', s: stage3New({ meeting: cancelledMeeting }) },
    { name: 'a second meeting after a held one, in review', s: stage3({ meeting: heldMeeting }) },
  ])('puts the application in review ($name)', ({ s }) => {
    expect(decide(s, schedule(), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  it.each([
    { who: 'an architect', by: architect },
    { who: 'another architect', by: otherArchitect },
    { who: 'an admin', by: admin },
  ])('may be done by $who', ({ by }) => {
    expect(decide(stage3New(), schedule(), by, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  it('accepts an architect who is also a reviewer', () => {
    expect(decide(stage3New(), schedule({ architectId: 'U_BOTH' }), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });
});

describe('schedule_review: state refusals', () => {
  it.each([
    { s: state(), where: 'in business stage, new' },
    { s: state({ stage: 'security', status: 'in_review' }), where: 'in security stage, in review' },
    { s: stage3Waiting(), where: 'in architecture stage, waiting on developer' },
    { s: approved(), where: 'approved' },
  ])('is refused $where', ({ s, where }) => {
    expect(decide(s, schedule(), reviewer, BERLIN)).toStrictEqual(
      stateRefusal(`The architecture review is scheduled in Stage 3: the application is ${where}.`),
    );
  });

  it.each([
    { name: 'in review', s: stage3({ meeting: scheduledMeeting() }) },
    { name: 'new (inconsistent, still refused)', s: stage3New({ meeting: scheduledMeeting() }) },
  ])('is refused when a meeting is already scheduled ($name)', ({ s }) => {
    expect(decide(s, schedule(), reviewer, BERLIN)).toStrictEqual(
      stateRefusal('A meeting is already scheduled; reschedule it instead.'),
    );
  });
});

describe('schedule_review: guards', () => {
  const s = stage3New();

  it.each([
    { name: 'a reviewer', id: 'U_REV' },
    { name: 'an admin', id: 'U_ADMIN' },
    { name: 'an unknown user', id: 'U_STRANGER' },
  ])('refuses $name as the architect', ({ id }) => {
    expect(decide(s, schedule({ architectId: id }), reviewer, BERLIN)).toStrictEqual(
      guard('Choose a solution architect: this person does not hold that role.', 'architect'),
    );
  });

  it.each([0, 14, 241, 600, 30.5, Number.NaN, -60])('refuses a duration of %s minutes', (durationMinutes) => {
    expect(decide(s, schedule({ durationMinutes }), reviewer, BERLIN)).toStrictEqual(
      guard('A meeting lasts 15 to 240 minutes.', 'duration'),
    );
  });

  // 08:00 local start, so even 240 minutes end by 12:00.
  it.each([15, 240])('accepts a duration of %s minutes', (durationMinutes) => {
    expect(decide(s, schedule({ durationMinutes, startsAt: at('2026-03-03T07:00:00Z') }), reviewer, BERLIN)).toStrictEqual(
      STAY_IN_REVIEW,
    );
  });

  it.each([
    { name: 'an hour ago', startsAt: minutesFromNow(-60), message: 'That time is in the past.' },
    { name: 'right now', startsAt: NOW, message: 'That time is in the past.' },
    { name: 'in 1 minute', startsAt: minutesFromNow(1), message: 'Schedule it at least 60 minutes ahead.' },
    { name: 'in 59 minutes', startsAt: minutesFromNow(59), message: 'Schedule it at least 60 minutes ahead.' },
  ])('refuses a start $name, even with outside hours confirmed', ({ startsAt, message }) => {
    for (const outsideHoursConfirmed of [false, true]) {
      expect(decide(s, schedule({ startsAt, outsideHoursConfirmed }), reviewer, BERLIN)).toStrictEqual(
        guard(message, 'starts_at'),
      );
    }
  });

  it('accepts a start exactly 60 minutes ahead (11:00 in Berlin)', () => {
    expect(decide(s, schedule({ startsAt: minutesFromNow(60) }), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  it('checks the architect, then the duration, then the time', () => {
    const allWrong = { architectId: 'U_REV', durationMinutes: 5, startsAt: minutesFromNow(-5) };
    expect(decide(s, schedule(allWrong), reviewer, BERLIN)).toMatchObject({ field: 'architect' });
    expect(decide(s, schedule({ ...allWrong, architectId: 'U_ARCH' }), reviewer, BERLIN)).toMatchObject({ field: 'duration' });
    expect(decide(s, schedule({ ...allWrong, architectId: 'U_ARCH', durationMinutes: 30 }), reviewer, BERLIN)).toMatchObject({
      field: 'starts_at',
    });
  });
});

describe('schedule_review: working hours in the architect’s time zone', () => {
  const s = stage3New();

  it.each([
    { name: '07:30–08:30', startsAt: at('2026-03-03T06:30:00Z'), minutes: 60, from: '07:30', to: '08:30' },
    { name: '07:59–08:29', startsAt: at('2026-03-03T06:59:00Z'), minutes: 30, from: '07:59', to: '08:29' },
    { name: '17:30–18:30', startsAt: at('2026-03-03T16:30:00Z'), minutes: 60, from: '17:30', to: '18:30' },
    { name: '17:00–18:01', startsAt: at('2026-03-03T16:00:00Z'), minutes: 61, from: '17:00', to: '18:01' },
    { name: '20:00–21:00', startsAt: at('2026-03-03T19:00:00Z'), minutes: 60, from: '20:00', to: '21:00' },
  ])('refuses $name Berlin time unless confirmed', ({ startsAt, minutes, from, to }) => {
    const unconfirmed = schedule({ startsAt, durationMinutes: minutes });
    expect(decide(s, unconfirmed, reviewer, BERLIN)).toStrictEqual(guard(outsideHours(from, to, 'Europe/Berlin'), 'starts_at'));
    const confirmed = schedule({ startsAt, durationMinutes: minutes, outsideHoursConfirmed: true });
    expect(decide(s, confirmed, reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  it.each([
    { name: '08:00–09:00', startsAt: at('2026-03-03T07:00:00Z'), minutes: 60 },
    { name: '17:00–18:00', startsAt: at('2026-03-03T16:00:00Z'), minutes: 60 },
    { name: '14:00–18:00', startsAt: at('2026-03-03T13:00:00Z'), minutes: 240 },
  ])('accepts $name Berlin time, touching the edges of the day', ({ startsAt, minutes }) => {
    expect(decide(s, schedule({ startsAt, durationMinutes: minutes }), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  // 22:00 starts after 08:00 and 02:00 ends before 18:00: only the change of day gives it away.
  it('refuses a meeting crossing midnight local time (22:00–02:00)', () => {
    const crossing = schedule({ startsAt: at('2026-03-03T21:00:00Z'), durationMinutes: 240 });
    expect(decide(s, crossing, reviewer, BERLIN)).toStrictEqual(
      guard(outsideHours('22:00', '02:00', 'Europe/Berlin'), 'starts_at'),
    );
    expect(decide(s, { ...crossing, outsideHoursConfirmed: true }, reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  // 2026-03-03T17:00Z is 09:00 on Tuesday in Los Angeles (PST) and 02:00 on Wednesday in Tokyo.
  it('judges the same instant by the architect’s own zone', () => {
    const command = schedule({ startsAt: at('2026-03-03T17:00:00Z') });
    expect(decide(s, command, reviewer, env({ architectTimeZone: 'America/Los_Angeles' }))).toStrictEqual(STAY_IN_REVIEW);
    expect(decide(s, command, reviewer, env({ architectTimeZone: 'Asia/Tokyo' }))).toStrictEqual(
      guard(outsideHours('02:00', '03:00', 'Asia/Tokyo'), 'starts_at'),
    );
    expect(decide(s, command, reviewer, BERLIN)).toStrictEqual(
      guard(outsideHours('18:00', '19:00', 'Europe/Berlin'), 'starts_at'),
    );
  });

  // Berlin moves from CET (UTC+1) to CEST (UTC+2) on Sunday 2026-03-29: the same local time
  // is a different UTC hour on Friday the 27th and Monday the 30th.
  describe('across the daylight-saving change in Berlin', () => {
    it.each([
      { name: 'Friday 27th 08:30 CET', startsAt: at('2026-03-27T07:30:00Z') },
      { name: 'Monday 30th 08:30 CEST', startsAt: at('2026-03-30T06:30:00Z') },
      { name: 'Monday 30th 17:00–18:00 CEST', startsAt: at('2026-03-30T15:00:00Z') },
    ])('accepts $name', ({ startsAt }) => {
      expect(decide(s, schedule({ startsAt }), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
    });

    it.each([
      { name: 'Friday 27th 07:30 CET', startsAt: at('2026-03-27T06:30:00Z'), from: '07:30', to: '08:30' },
      { name: 'Monday 30th 07:30 CEST', startsAt: at('2026-03-30T05:30:00Z'), from: '07:30', to: '08:30' },
      { name: 'Friday 27th 17:30 CET', startsAt: at('2026-03-27T16:30:00Z'), from: '17:30', to: '18:30' },
      // 16:30Z is inside the day in winter (17:30) but 18:30 after the switch.
      { name: 'Monday 30th 18:30 CEST', startsAt: at('2026-03-30T16:30:00Z'), from: '18:30', to: '19:30' },
    ])('refuses $name', ({ startsAt, from, to }) => {
      expect(decide(s, schedule({ startsAt }), reviewer, BERLIN)).toStrictEqual(
        guard(outsideHours(from, to, 'Europe/Berlin'), 'starts_at'),
      );
    });
  });

  it('skips the working-hours check when the architect’s zone is unknown, but not the lead time', () => {
    const zoneless = env({ architectTimeZone: undefined });
    expect(decide(s, schedule({ startsAt: at('2026-03-03T02:00:00Z') }), reviewer, zoneless)).toStrictEqual(STAY_IN_REVIEW);
    expect(decide(s, schedule({ startsAt: minutesFromNow(30) }), reviewer, zoneless)).toStrictEqual(
      guard('Schedule it at least 60 minutes ahead.', 'starts_at'),
    );
  });
});

describe('reschedule_review', () => {
  const s = stage3({ meeting: scheduledMeeting() });

  it('keeps the application in review with the new time', () => {
    expect(
      decide(s, reschedule({ startsAt: at('2026-03-05T13:00:00Z'), architectId: 'U_ARCH2' }), architect, BERLIN),
    ).toStrictEqual(STAY_IN_REVIEW);
  });

  it.each([
    { name: 'no meeting', s: stage3New() },
    { name: 'a held meeting', s: stage3({ meeting: heldMeeting }) },
    { name: 'a cancelled meeting', s: stage3New({ meeting: cancelledMeeting }) },
    { name: 'a scheduled meeting outside Stage 3', s: approved({ meeting: scheduledMeeting() }) },
  ])('is refused with $name', ({ s }) => {
    expect(decide(s, reschedule(), reviewer, BERLIN)).toStrictEqual(stateRefusal('No architecture review meeting is scheduled.'));
  });

  it('applies the same checks as scheduling', () => {
    expect(decide(s, reschedule({ architectId: 'U_REV' }), reviewer, BERLIN)).toStrictEqual(
      guard('Choose a solution architect: this person does not hold that role.', 'architect'),
    );
    expect(decide(s, reschedule({ durationMinutes: 241 }), reviewer, BERLIN)).toStrictEqual(
      guard('A meeting lasts 15 to 240 minutes.', 'duration'),
    );
    expect(decide(s, reschedule({ startsAt: minutesFromNow(-1), outsideHoursConfirmed: true }), reviewer, BERLIN)).toStrictEqual(
      guard('That time is in the past.', 'starts_at'),
    );
    expect(decide(s, reschedule({ startsAt: at('2026-03-03T05:00:00Z') }), reviewer, BERLIN)).toStrictEqual(
      guard(outsideHours('06:00', '07:00', 'Europe/Berlin'), 'starts_at'),
    );
  });
});

describe('cancel_review', () => {
  it('puts the application back to architecture/new', () => {
    expect(
      decide(stage3({ meeting: scheduledMeeting() }), { type: 'cancel_review', reason: 'Demo env down' }, architect, BERLIN),
    ).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'new' },
    });
  });

  it.each(['', '  \n'])('refuses a blank reason (%j)', (reason) => {
    expect(decide(stage3({ meeting: scheduledMeeting() }), { type: 'cancel_review', reason }, reviewer, BERLIN)).toStrictEqual(
      guard('Say why it is cancelled.', 'reason'),
    );
  });

  it.each([
    { name: 'no meeting', s: stage3New() },
    { name: 'a held meeting', s: stage3({ meeting: heldMeeting }) },
    { name: 'a cancelled meeting', s: stage3New({ meeting: cancelledMeeting }) },
  ])('is refused with $name', ({ s }) => {
    expect(decide(s, { type: 'cancel_review', reason: 'x' }, reviewer, BERLIN)).toStrictEqual(
      stateRefusal('No architecture review meeting is scheduled.'),
    );
  });
});

// ---------------------------------------------------------------------------
// Stage 3: the outcome and the clarification questions
// ---------------------------------------------------------------------------

describe('record_outcome', () => {
  const afterMeeting = stage3({ meeting: heldMeeting });
  const approve: Command = { type: 'record_outcome', outcome: 'approved' };
  const clarify = (...questions: string[]): Command => ({ type: 'record_outcome', outcome: 'clarification', questions });

  it.each([
    { name: 'after the meeting was held', s: afterMeeting },
    {
      name: 'with the meeting still marked scheduled but already started',
      s: stage3({ meeting: scheduledMeeting(minutesFromNow(-30)) }),
    },
  ])('approves $name with no open gap or question', ({ s }) => {
    expect(decide(s, approve, architect, BERLIN)).toStrictEqual({ ok: true, next: { stage: 'approved', status: 'approved' } });
  });

  it('lets an admin record it for any architect', () => {
    expect(decide(afterMeeting, approve, admin, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
  });

  it('hands the ball to the developer with clarification questions', () => {
    expect(decide(afterMeeting, clarify('Show the KMS key policy', ''), architect, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'waiting_on_developer' },
    });
  });

  it.each([[[]], [['']], [['  ', '\n']]])('refuses a clarification with no question (%j)', (questions) => {
    expect(decide(afterMeeting, clarify(...questions), architect, BERLIN)).toStrictEqual(
      guard('List at least one open question.', 'questions'),
    );
  });

  it('refuses approval with open gaps, counting them', () => {
    expect(decide(stage3({ meeting: heldMeeting, openGaps: [gap(1), gap(2)] }), approve, architect, BERLIN)).toStrictEqual(
      guard('2 gap(s) are still open.', 'outcome'),
    );
  });

  it('refuses approval with open clarification questions, counting them', () => {
    expect(decide(stage3({ meeting: heldMeeting, openQuestions: [11] }), approve, architect, BERLIN)).toStrictEqual(
      guard(
        '1 clarification question is still open. Once the developer has answered, tick it off with “Mark questions answered” on the card, then record the outcome.',
        'outcome',
      ),
    );
  });

  it('names the gaps first when both gaps and questions are open', () => {
    expect(
      decide(stage3({ meeting: heldMeeting, openGaps: [gap(1)], openQuestions: [11, 12] }), approve, architect, BERLIN),
    ).toStrictEqual(guard('1 gap(s) are still open.', 'outcome'));
  });

  it('allows a clarification even with open gaps and questions', () => {
    expect(
      decide(
        stage3({ meeting: heldMeeting, openGaps: [gap(1)], openQuestions: [11] }),
        clarify('Evidence of IDS'),
        architect,
        BERLIN,
      ),
    ).toMatchObject({ ok: true, next: { stage: 'architecture', status: 'waiting_on_developer' } });
  });

  it.each([
    { name: 'no meeting', s: stage3({ meeting: null }) },
    { name: 'a cancelled meeting', s: stage3({ meeting: cancelledMeeting }) },
  ])('is refused with $name', ({ s }) => {
    expect(decide(s, approve, architect, BERLIN)).toStrictEqual(stateRefusal('Schedule the architecture review first.'));
  });

  it.each([
    { s: stage3New({ architectId: 'U_ARCH' }), where: 'in architecture stage, new' },
    { s: stage3Waiting(), where: 'in architecture stage, waiting on developer' },
    { s: approved({ architectId: 'U_ARCH', meeting: heldMeeting }), where: 'approved' },
    { s: state({ stage: 'security', status: 'in_review', architectId: 'U_ARCH' }), where: 'in security stage, in review' },
  ])('is refused $where', ({ s, where }) => {
    expect(decide(s, approve, architect, BERLIN)).toStrictEqual(
      stateRefusal(`The outcome is recorded in Stage 3 while in review: the application is ${where}.`),
    );
  });

  it.each([
    { name: 'approval', command: approve },
    { name: 'clarification', command: clarify('Why?') },
  ])('refuses $name by an architect who is not the application’s, naming the right one', ({ command }) => {
    expect(decide(afterMeeting, command, otherArchitect, BERLIN)).toStrictEqual({
      ok: false,
      kind: 'role',
      message: "Only the application's solution architect (<@U_ARCH>) or an admin can record the outcome.",
    });
  });

  it('refuses every architect when the application has none yet', () => {
    expect(decide(stage3({ architectId: null, meeting: heldMeeting }), approve, architect, BERLIN)).toStrictEqual({
      ok: false,
      kind: 'role',
      message: "Only the application's solution architect or an admin can record the outcome.",
    });
  });

  it('refuses a reviewer by role before anything else', () => {
    expect(decide(afterMeeting, approve, reviewer, BERLIN)).toMatchObject({ ok: false, kind: 'role' });
  });

  // An outcome before the meeting's start is true only if it was held early (a rescheduled call
  // that never made it into the bot): the architect says so, and it is recorded as such.
  it('refuses an outcome before the planned start, under the outcome, unless it was held early', () => {
    const beforeMeeting = stage3({ meeting: scheduledMeeting(at('2026-03-03T09:00:00Z')) });
    expect(decide(beforeMeeting, approve, architect, BERLIN)).toStrictEqual(
      guard(
        'The meeting starts in 1 day: an outcome cannot come before it. If it was held early, tick the box below.',
        'outcome',
      ),
    );
    const clarification: Command = { type: 'record_outcome', outcome: 'clarification', questions: ['Show key rotation.'] };
    expect(decide(beforeMeeting, clarification, architect, BERLIN)).toMatchObject({ ok: false, field: 'outcome' });
    expect(decide(beforeMeeting, { ...approve, heldEarly: true } as Command, architect, BERLIN)).toMatchObject({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
  });

  it('accepts an outcome from the meeting\u2019s start on', () => {
    const started = stage3({ meeting: scheduledMeeting(NOW) });
    expect(decide(started, approve, architect, BERLIN)).toMatchObject({ ok: true });
  });

  // Role before state: an architect who is not the application's own learns nothing about it.
  it('refuses another architect by role whatever the state', () => {
    for (const s of [state({ architectId: 'U_ARCH' }), stage3Waiting(), stage3({ meeting: null })]) {
      expect(decide(s, approve, otherArchitect, BERLIN)).toStrictEqual({
        ok: false,
        kind: 'role',
        message: "Only the application's solution architect (<@U_ARCH>) or an admin can record the outcome.",
      });
    }
  });
});

describe('mark_answered', () => {
  const waiting = stage3Waiting({ openQuestions: [11, 12] });
  const mark = (...questionIds: number[]): Command => ({ type: 'mark_answered', questionIds });

  it.each([[[11, 12]], [[12, 11]]])('puts the application back in review when every open question is answered (%j)', (ids) => {
    expect(decide(waiting, mark(...ids), reviewer, BERLIN)).toStrictEqual(STAY_IN_REVIEW);
  });

  it('keeps waiting on the developer while a question stays open', () => {
    expect(decide(waiting, mark(12), architect, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'waiting_on_developer' },
    });
  });

  it('leaves an application in review in review', () => {
    expect(decide(stage3({ meeting: heldMeeting, openQuestions: [11] }), mark(11), reviewer, BERLIN)).toStrictEqual(
      STAY_IN_REVIEW,
    );
  });

  it('leaves architecture/new alone when its last question is answered', () => {
    expect(decide(stage3New({ openQuestions: [11] }), mark(11), reviewer, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'new' },
    });
  });

  it.each([
    { name: 'an unknown id', ids: [13] },
    { name: 'an open and an unknown id', ids: [11, 13] },
  ])('refuses $name', ({ ids }) => {
    expect(decide(waiting, mark(...ids), reviewer, BERLIN)).toStrictEqual(
      guard('Only open questions can be marked answered.', 'questions'),
    );
  });

  it('refuses an empty selection', () => {
    expect(decide(waiting, mark(), reviewer, BERLIN)).toStrictEqual(guard('Tick the questions that were answered.', 'questions'));
  });

  it.each([
    { name: 'in Stage 3 with no open question', s: stage3Waiting({ openQuestions: [] }) },
    { name: 'outside Stage 3, even with open questions', s: approved({ openQuestions: [11] }) },
  ])('is refused $name', ({ s }) => {
    expect(decide(s, mark(11), reviewer, BERLIN)).toStrictEqual(stateRefusal('No clarification question is open.'));
  });

  // A repeated id must not count twice towards "every question answered".
  it('keeps waiting when the same question is ticked twice and another stays open', () => {
    expect(decide(waiting, mark(11, 11), reviewer, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'waiting_on_developer' },
    });
  });
});

// ---------------------------------------------------------------------------
// After approval
// ---------------------------------------------------------------------------

describe('record_go_live', () => {
  const goLive = (productionSince: Date): Command => ({ type: 'record_go_live', productionSince });

  it.each([
    { name: 'in the past', when: LIVE_SINCE },
    { name: 'right now', when: NOW },
  ])('records a go-live $name without moving the application', ({ when }) => {
    expect(decide(approved(), goLive(when), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('may be reported by the integration', () => {
    expect(decide(approved(), goLive(LIVE_SINCE), integration, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('refuses a go-live on a day that has begun nowhere yet (a calendar day: today anywhere is not the future)', () => {
    expect(decide(approved(), goLive(new Date(NOW.getTime() + 1)), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
    expect(decide(approved(), goLive(new Date(NOW.getTime() + 2 * 86_400_000)), reviewer, BERLIN)).toStrictEqual(
      guard('Go-live cannot be in the future.', 'production_since'),
    );
  });

  it.each([
    { s: stage3({ meeting: heldMeeting }), where: 'in architecture stage, in review' },
    { s: state({ stage: 'closed', status: 'withdrawn' }), where: 'withdrawn' },
  ])('is refused $where', ({ s, where }) => {
    expect(decide(s, goLive(LIVE_SINCE), admin, BERLIN)).toStrictEqual(
      stateRefusal(`Only an approved application has a production life: the application is ${where}.`),
    );
  });
});

describe('record_restricted_call', () => {
  const call = (when: Date, operation = 'getOrderAddress'): Command => ({ type: 'record_restricted_call', at: when, operation });

  it('records a call without moving the application', () => {
    expect(decide(live(), call(at('2026-03-01T12:00:00Z')), integration, BERLIN)).toStrictEqual(STAY_APPROVED);
    expect(decide(approved(), call(NOW), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('refuses a call in the future', () => {
    expect(decide(live(), call(minutesFromNow(1)), integration, BERLIN)).toStrictEqual(
      guard('The call cannot be in the future.', 'at'),
    );
  });

  it.each(['', '   '])('refuses a blank operation (%j)', (operation) => {
    expect(decide(live(), call(NOW, operation), integration, BERLIN)).toStrictEqual(
      guard('Name the operation called.', 'operation'),
    );
  });

  it('points at the time before the operation when both are wrong', () => {
    expect(decide(live(), call(minutesFromNow(1), ''), integration, BERLIN)).toMatchObject({ field: 'at' });
  });

  it('is refused before approval', () => {
    expect(decide(stage3Waiting(), call(NOW), integration, BERLIN)).toStrictEqual(
      stateRefusal(
        'Only an approved application has a production life: the application is in architecture stage, waiting on developer.',
      ),
    );
  });
});

describe('schedule_audit', () => {
  const audit = (auditor = 'Deloitte', scheduledFor = at('2026-04-15T00:00:00Z')): Command => ({
    type: 'schedule_audit',
    auditor,
    scheduledFor,
  });

  it.each([
    { name: 'in production', s: live() },
    { name: 'with an audit already scheduled (moving it)', s: live({ audit: { status: 'scheduled' } }) },
  ])('schedules an audit $name without moving the application', ({ s }) => {
    expect(decide(s, audit(), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('is a guard, not a state, before go-live: the button stays hidden until then', () => {
    expect(decide(approved(), audit(), reviewer, BERLIN)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Record the production go-live first: an audit may come 90+ days into production.',
    });
  });

  // Audits may repeat: once one has an outcome, another may be scheduled (kept beside it).
  it.each(['passed', 'failed'] as const)('schedules a new audit once the last one is %s', (status) => {
    expect(decide(live({ audit: { status } }), audit(), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it("is refused while the last audit's remediation is open", () => {
    expect(decide(live({ audit: { status: 'remediation' } }), audit(), reviewer, BERLIN)).toStrictEqual(
      stateRefusal('The last audit asked for remediation: close its items before another audit.'),
    );
  });

  it.each(['', '  '])('refuses a blank auditor (%j)', (auditor) => {
    expect(decide(live(), audit(auditor), reviewer, BERLIN)).toStrictEqual(guard('Name the auditor.', 'auditor'));
  });

  it('is refused before approval', () => {
    expect(decide(stage3({ meeting: heldMeeting, productionSince: LIVE_SINCE }), audit(), admin, BERLIN)).toStrictEqual(
      stateRefusal('Only an approved application has a production life: the application is in architecture stage, in review.'),
    );
  });

  // The audit reviews the implementation in production (DOMAIN.md), so it cannot predate go-live.
  it('refuses an audit dated before the go-live', () => {
    expect(decide(live(), audit('PwC', at('2025-09-01T00:00:00Z')), reviewer, BERLIN)).toMatchObject({
      ok: false,
      kind: 'guard',
    });
  });
});

describe('record_audit_outcome', () => {
  const scheduledAudit = live({ audit: { status: 'scheduled' } });
  const remediation = (...texts: string[]): Command => ({
    type: 'record_audit_outcome',
    outcome: 'remediation',
    items: texts.map((text) => ({ text, dueOn: at('2026-06-01T00:00:00Z') })),
  });

  it('records a passed audit without moving the application', () => {
    expect(decide(scheduledAudit, { type: 'record_audit_outcome', outcome: 'passed' }, reviewer, BERLIN)).toStrictEqual(
      STAY_APPROVED,
    );
  });

  it('records a remediation plan', () => {
    expect(decide(scheduledAudit, remediation('Rotate LWA secrets', ''), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it.each([[[]], [['']], [[' ', '\t']]])('refuses a remediation with no item (%j)', (texts) => {
    expect(decide(scheduledAudit, remediation(...texts), reviewer, BERLIN)).toStrictEqual(
      guard('List at least one remediation item.', 'items'),
    );
  });

  it.each([
    { name: 'no audit', s: live() },
    { name: 'a passed audit', s: live({ audit: { status: 'passed' } }) },
    { name: 'an audit in remediation', s: live({ audit: { status: 'remediation' }, openRemediation: [31] }) },
    { name: 'a scheduled audit but not approved', s: stage3({ audit: { status: 'scheduled' } }) },
  ])('is refused with $name', ({ s }) => {
    expect(decide(s, { type: 'record_audit_outcome', outcome: 'passed' }, reviewer, BERLIN)).toStrictEqual(
      stateRefusal('No audit is scheduled.'),
    );
  });
});

describe('close_remediation', () => {
  const inRemediation = live({ audit: { status: 'remediation' }, openRemediation: [31, 32] });
  const close = (itemId: number): Command => ({ type: 'close_remediation', itemId });

  it.each([31, 32])('closes open item %i without moving the application', (itemId) => {
    expect(decide(inRemediation, close(itemId), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('refuses an item that is not open', () => {
    expect(decide(inRemediation, close(33), reviewer, BERLIN)).toStrictEqual(guard('That item is not open.', 'item'));
  });

  it.each([
    { name: 'no open item', s: live({ audit: { status: 'remediation' }, openRemediation: [] }) },
    { name: 'the audit not in remediation', s: live({ audit: { status: 'passed' }, openRemediation: [31] }) },
    { name: 'no audit', s: live({ openRemediation: [31] }) },
  ])('is refused with $name', ({ s }) => {
    expect(decide(s, close(31), reviewer, BERLIN)).toStrictEqual(stateRefusal('No remediation item is open.'));
  });
});

// ---------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------

describe('late refusals', () => {
  it('come from stateAllows exactly as from lateStateAllows', () => {
    const s = state({ stage: 'closed', status: 'rejected' });
    expect(stateAllows(s, 'schedule_review')).toStrictEqual(lateStateAllows(s, 'schedule_review'));
  });

  // Both halves of the rule book word final states alike ("the application is rejected").
  it('name final states the way the Stage 1–2 refusals do', () => {
    expect(stateAllows(state({ stage: 'closed', status: 'rejected' }), 'schedule_review')?.message).toBe(
      'The architecture review is scheduled in Stage 3: the application is rejected.',
    );
    expect(stateAllows(approved(), 'record_outcome')?.message).toBe(
      'The outcome is recorded in Stage 3 while in review: the application is approved.',
    );
    expect(stateAllows(state({ stage: 'closed', status: 'withdrawn' }), 'record_go_live')?.message).toBe(
      'Only an approved application has a production life: the application is withdrawn.',
    );
  });
});

// ---------------------------------------------------------------------------
// Scheduling helpers
// ---------------------------------------------------------------------------

describe('localTime', () => {
  it.each([
    {
      name: 'Berlin in winter (CET)',
      instant: '2026-03-27T07:30:00Z',
      zone: 'Europe/Berlin',
      expected: { minutes: 510, label: '08:30', day: '2026-03-27' },
    },
    {
      name: 'Berlin in summer (CEST)',
      instant: '2026-03-30T06:30:00Z',
      zone: 'Europe/Berlin',
      expected: { minutes: 510, label: '08:30', day: '2026-03-30' },
    },
    {
      name: 'Berlin, last minute before the switch',
      instant: '2026-03-29T00:59:00Z',
      zone: 'Europe/Berlin',
      expected: { minutes: 119, label: '01:59', day: '2026-03-29' },
    },
    {
      name: 'Berlin, first minute after the switch (02:00 is skipped)',
      instant: '2026-03-29T01:00:00Z',
      zone: 'Europe/Berlin',
      expected: { minutes: 180, label: '03:00', day: '2026-03-29' },
    },
    {
      name: 'midnight as 00:00 of the next day, not 24:00',
      instant: '2026-03-03T23:00:00Z',
      zone: 'Europe/Berlin',
      expected: { minutes: 0, label: '00:00', day: '2026-03-04' },
    },
    {
      name: 'UTC, last minute of the day',
      instant: '2026-03-03T23:59:00Z',
      zone: 'UTC',
      expected: { minutes: 1439, label: '23:59', day: '2026-03-03' },
    },
    {
      name: 'Tokyo, already the next day',
      instant: '2026-03-03T17:00:00Z',
      zone: 'Asia/Tokyo',
      expected: { minutes: 120, label: '02:00', day: '2026-03-04' },
    },
    {
      name: 'Los Angeles, before its own DST switch',
      instant: '2026-03-03T17:00:00Z',
      zone: 'America/Los_Angeles',
      expected: { minutes: 540, label: '09:00', day: '2026-03-03' },
    },
    {
      name: 'Los Angeles, after its DST switch on 2026-03-08',
      instant: '2026-03-10T17:00:00Z',
      zone: 'America/Los_Angeles',
      expected: { minutes: 600, label: '10:00', day: '2026-03-10' },
    },
    {
      name: 'Kolkata, a half-hour zone',
      instant: '2026-03-03T03:00:00Z',
      zone: 'Asia/Kolkata',
      expected: { minutes: 510, label: '08:30', day: '2026-03-03' },
    },
    {
      name: 'Kathmandu, a quarter-hour zone',
      instant: '2026-03-03T02:00:00Z',
      zone: 'Asia/Kathmandu',
      expected: { minutes: 465, label: '07:45', day: '2026-03-03' },
    },
    {
      name: 'Auckland, a different year',
      instant: '2026-12-31T12:00:00Z',
      zone: 'Pacific/Auckland',
      expected: { minutes: 60, label: '01:00', day: '2027-01-01' },
    },
  ])('gives the wall-clock time in $name', ({ instant, zone, expected }) => {
    expect(localTime(at(instant), zone)).toStrictEqual(expected);
  });

  it('throws on a zone Intl does not know', () => {
    expect(() => localTime(NOW, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('meetingTimeProblem', () => {
  it('has an hour of notice and an 08:00–18:00 day', () => {
    expect(MIN_LEAD_MINUTES).toBe(60);
    expect(WORKING_HOURS).toStrictEqual({ start: 8, end: 18 });
  });

  it.each([
    { name: 'a minute ago', m: -1 },
    { name: 'now', m: 0 },
  ])('is an error in the past ($name)', ({ m }) => {
    expect(meetingTimeProblem(minutesFromNow(m), 60, NOW, 'Europe/Berlin')).toStrictEqual({
      kind: 'error',
      message: 'That time is in the past.',
    });
  });

  it.each([1, 30, 59])('is an error %i minutes ahead', (m) => {
    expect(meetingTimeProblem(minutesFromNow(m), 60, NOW)).toStrictEqual({
      kind: 'error',
      message: 'Schedule it at least 60 minutes ahead.',
    });
  });

  it('is fine exactly 60 minutes ahead inside working hours', () => {
    expect(meetingTimeProblem(minutesFromNow(60), 60, NOW, 'Europe/Berlin')).toBeUndefined();
  });

  it('reports the error, not the warning, when a time is both too soon and outside hours', () => {
    // 10:30 in Berlin is 02:30 in Los Angeles.
    expect(meetingTimeProblem(minutesFromNow(30), 60, NOW, 'America/Los_Angeles')).toStrictEqual({
      kind: 'error',
      message: 'Schedule it at least 60 minutes ahead.',
    });
  });

  it('does not judge working hours without a time zone', () => {
    expect(meetingTimeProblem(at('2026-03-04T02:00:00Z'), 240, NOW)).toBeUndefined();
  });

  it.each([
    { name: '08:00–08:15', start: '2026-03-03T07:00:00Z', minutes: 15 },
    { name: '17:45–18:00', start: '2026-03-03T16:45:00Z', minutes: 15 },
    { name: '08:00–12:00', start: '2026-03-03T07:00:00Z', minutes: 240 },
  ])('is fine for $name in Berlin', ({ start, minutes }) => {
    expect(meetingTimeProblem(at(start), minutes, NOW, 'Europe/Berlin')).toBeUndefined();
  });

  it.each([
    { name: 'starting at 07:59', start: '2026-03-03T06:59:00Z', minutes: 15, from: '07:59', to: '08:14' },
    { name: 'ending at 18:01', start: '2026-03-03T16:46:00Z', minutes: 15, from: '17:46', to: '18:01' },
    { name: 'crossing midnight', start: '2026-03-03T21:00:00Z', minutes: 240, from: '22:00', to: '02:00' },
    { name: 'ending at midnight', start: '2026-03-03T22:00:00Z', minutes: 60, from: '23:00', to: '00:00' },
    { name: 'after the DST switch, 07:30 CEST', start: '2026-03-30T05:30:00Z', minutes: 60, from: '07:30', to: '08:30' },
  ])('warns for a meeting $name in Berlin', ({ start, minutes, from, to }) => {
    expect(meetingTimeProblem(at(start), minutes, NOW, 'Europe/Berlin')).toStrictEqual({
      kind: 'warning',
      message: outsideHours(from, to, 'Europe/Berlin'),
    });
  });

  it.each([
    { name: 'before the DST switch, 08:30 CET', start: '2026-03-27T07:30:00Z' },
    { name: 'after the DST switch, 08:30 CEST', start: '2026-03-30T06:30:00Z' },
  ])('is fine $name', ({ start }) => {
    expect(meetingTimeProblem(at(start), 60, NOW, 'Europe/Berlin')).toBeUndefined();
  });

  it('judges one instant differently in Los Angeles and Tokyo', () => {
    const instant = at('2026-03-03T17:00:00Z');
    expect(meetingTimeProblem(instant, 60, NOW, 'America/Los_Angeles')).toBeUndefined();
    expect(meetingTimeProblem(instant, 60, NOW, 'Asia/Tokyo')).toStrictEqual({
      kind: 'warning',
      message: outsideHours('02:00', '03:00', 'Asia/Tokyo'),
    });
  });
});

describe('dates that cannot be true', () => {
  const APPROVED_AT = at('2026-02-20T15:00:00Z');

  it('refuses a go-live before the day of approval, under its field', () => {
    const s = approved({ approvedAt: APPROVED_AT });
    expect(decide(s, { type: 'record_go_live', productionSince: at('2026-02-19T00:00:00Z') }, reviewer, BERLIN)).toStrictEqual(
      guard('Go-live cannot be before the approval (2026-02-20): restricted access starts then.', 'production_since'),
    );
    // The day of approval itself is true: the picker gives days, approval has a time.
    expect(decide(s, { type: 'record_go_live', productionSince: at('2026-02-20T00:00:00Z') }, reviewer, BERLIN)).toStrictEqual(
      STAY_APPROVED,
    );
  });

  it('refuses a go-live in the future, under its field', () => {
    expect(
      decide(
        approved({ approvedAt: APPROVED_AT }),
        { type: 'record_go_live', productionSince: at('2026-03-03T00:00:00Z') },
        reviewer,
        BERLIN,
      ),
    ).toStrictEqual(guard('Go-live cannot be in the future.', 'production_since'));
  });

  it('refuses a restricted call before the approval, under its field', () => {
    const s = approved({ approvedAt: APPROVED_AT });
    const call = (iso: string): Command => ({ type: 'record_restricted_call', at: at(iso), operation: 'getOrderAddress' });
    expect(decide(s, call('2026-02-20T14:59:00Z'), reviewer, BERLIN)).toStrictEqual(
      guard('The call cannot be before the approval (2026-02-20 15:00 UTC): there was no restricted access yet.', 'at'),
    );
    expect(decide(s, call('2026-02-20T15:01:00Z'), reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });

  it('refuses an audit outcome before the audit\u2019s date, under the outcome', () => {
    const s = live({ audit: { status: 'scheduled', scheduledFor: at('2026-03-05T00:00:00Z') } });
    expect(decide(s, { type: 'record_audit_outcome', outcome: 'passed' }, reviewer, BERLIN)).toStrictEqual(
      guard('The audit is dated 2026-03-05: its outcome cannot come before. Reschedule it if it moved.', 'outcome'),
    );
    const due = live({ audit: { status: 'scheduled', scheduledFor: at('2026-03-02T00:00:00Z') } });
    expect(decide(due, { type: 'record_audit_outcome', outcome: 'passed' }, reviewer, BERLIN)).toStrictEqual(STAY_APPROVED);
  });
});

describe('deny_architecture', () => {
  const deny = (reason: { area?: 'incident_response'; note?: string }, denialText = 'We cannot grant the roles.'): Command => ({
    type: 'deny_architecture',
    denialText,
    reason,
  });

  it.each([stage3New({ architectId: 'U_ARCH' }), stage3(), stage3Waiting()])('rejects from Stage 3 (%#)', (s) => {
    expect(decide(s, deny({ area: 'incident_response' }), architect, BERLIN)).toStrictEqual({
      ok: true,
      next: { stage: 'closed', status: 'rejected' },
    });
  });

  it('needs the denial text and an internal reason, each under its field', () => {
    expect(decide(stage3(), deny({ note: 'x' }, '  '), architect, BERLIN)).toMatchObject({ ok: false, field: 'denial_text' });
    expect(decide(stage3(), deny({ note: '  ' }), architect, BERLIN)).toMatchObject({ ok: false, field: 'reason_note' });
  });

  it('is for the application\u2019s own architect or an admin, not a reviewer', () => {
    expect(decide(stage3(), deny({ note: 'PII in logs' }), otherArchitect, BERLIN)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(stage3(), deny({ note: 'PII in logs' }), reviewer, BERLIN)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(stage3(), deny({ note: 'PII in logs' }), admin, BERLIN)).toMatchObject({ ok: true });
  });
});
