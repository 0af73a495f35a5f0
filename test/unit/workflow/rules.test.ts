import { describe, expect, it } from 'vitest';
import { BUSINESS_CRITERIA, type CriterionId } from '../../../src/workflow/controls.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import {
  ALLOWED_ROLES,
  type AnswerReview,
  availableCommands,
  type Command,
  type CommandType,
  type CriterionResult,
  decide,
  pendingAnswers,
  type RuleEnv,
  roleAllows,
  stageRoleAllows,
  stateAllows,
  unacceptedQuestions,
  type WorkflowState,
} from '../../../src/workflow/rules.ts';
import type { Stage, Status } from '../../../src/workflow/states.ts';
import { trackFor } from '../../../src/workflow/tracks.ts';

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
const admin = actor('U_ADMIN', 'admin');
const nobody = actor('U_NOBODY');
const reviewerArchitect = actor('U_BOTH', 'reviewer', 'architect');
/** The intake API's token holder (INTEGRATION_ACTOR): it reports facts, never decides. */
const integration = actor('intake', 'integration');

/**
 * The time and the role book the late commands (Stage 3 and after) are judged against.
 * Monday 2026-03-02 10:00 in Berlin; Stage 1–2 commands ignore it.
 */
const NOW = new Date('2026-03-02T09:00:00Z');
const ENV: RuleEnv = {
  now: NOW,
  rolesOf: (id) => new Set<Role>(id === 'U_ARCH' ? ['architect'] : id === 'U_OTHER' ? ['reviewer'] : []),
  architectTimeZone: 'Europe/Berlin',
};
const stage3 = (overrides: Partial<WorkflowState> = {}) => state({ stage: 'architecture', status: 'in_review', ...overrides });
const APPROVED_ON = new Date('2025-09-01T00:00:00Z');
const approvedApp = (overrides: Partial<WorkflowState> = {}) =>
  state({ stage: 'approved', status: 'approved', approvedAt: APPROVED_ON, ...overrides });
const LIVE_SINCE = new Date('2025-10-01T00:00:00Z');

const QUESTIONNAIRE = { version: 'v1', questionIds: ['q1', 'q2', 'q3'] } as const;
const PRIVATE = trackFor('private');
const gap = (id: number) => ({ id, area: 'network_protection', severity: 'high' }) as const;
const answered = (review: AnswerReview, ...ids: string[]) => ids.map((questionId) => ({ questionId, review }));

const stage2 = (overrides: Partial<WorkflowState> = {}) =>
  state({ stage: 'security', status: 'in_review', assigneeId: 'U_REV', ...overrides });
const stage2Waiting = (overrides: Partial<WorkflowState> = {}) => stage2({ status: 'waiting_on_developer', ...overrides });
const stage2AllAccepted = () => stage2({ questionnaire: QUESTIONNAIRE, answers: answered('accepted', 'q1', 'q2', 'q3') });

const allPass = (): Record<CriterionId, CriterionResult> =>
  Object.fromEntries(BUSINESS_CRITERIA.map((c) => [c.id, { pass: true }])) as Record<CriterionId, CriterionResult>;
const failing = (...ids: CriterionId[]) => {
  const criteria = allPass();
  for (const id of ids) criteria[id] = { pass: false, note: `${id} not met` };
  return criteria;
};

/**
 * One valid command per type and a state in which an admin may issue it. Typed as a
 * Record so a new command type without a sample does not compile.
 */
const SAMPLES: Record<CommandType, { command: Command; ready: WorkflowState; next: { stage: Stage; status: Status } }> = {
  claim: { command: { type: 'claim' }, ready: state(), next: { stage: 'business', status: 'in_review' } },
  fast_track: {
    command: { type: 'fast_track', reason: 'Stage 1 was passed in cycle 1; only the security answers changed.' },
    ready: state({ cycle: { number: 2, lastEndedAtStage: 'security', fastTracked: false } }),
    next: { stage: 'security', status: 'in_review' },
  },
  ask_role_meeting: {
    command: { type: 'ask_role_meeting', reason: 'Tax Remittance adds a new data flow.' },
    ready: state({ status: 'in_review', approvedAt: LIVE_SINCE, roleReview: { stages: ['business'] } }),
    next: { stage: 'business', status: 'in_review' },
  },
  assign: { command: { type: 'assign', assigneeId: 'U_OTHER' }, ready: state(), next: { stage: 'business', status: 'new' } },
  business_review: {
    command: { type: 'business_review', criteria: allPass(), decision: 'advance' },
    ready: state({ status: 'in_review', assigneeId: 'U_REV' }),
    next: { stage: 'security', status: 'in_review' },
  },
  reopen: {
    command: { type: 'reopen', reason: 'Developer appealed with a public website' },
    ready: state({ stage: 'closed', status: 'rejected' }),
    next: { stage: 'business', status: 'in_review' },
  },
  withdraw: {
    command: { type: 'withdraw', reason: 'Developer asked to withdraw' },
    ready: state(),
    next: { stage: 'closed', status: 'withdrawn' },
  },
  record_gap: {
    command: { type: 'record_gap', area: 'network_protection', severity: 'high', description: 'No intrusion detection' },
    ready: stage2(),
    next: { stage: 'security', status: 'in_review' },
  },
  resolve_gap: {
    command: { type: 'resolve_gap', gapId: 7, resolution: 'IDS deployed, evidence attached' },
    ready: stage2({ openGaps: [gap(7)] }),
    next: { stage: 'security', status: 'in_review' },
  },
  request_information: {
    command: { type: 'request_information', message: 'Describe your intrusion detection.' },
    ready: stage2(),
    next: { stage: 'security', status: 'waiting_on_developer' },
  },
  send_questionnaire: {
    command: { type: 'send_questionnaire', ...QUESTIONNAIRE },
    ready: stage2(),
    next: { stage: 'security', status: 'waiting_on_developer' },
  },
  record_answers: {
    command: { type: 'record_answers', answers: [{ questionId: 'q1', answer: 'TLS 1.3 everywhere' }] },
    ready: stage2Waiting({ questionnaire: QUESTIONNAIRE }),
    next: { stage: 'security', status: 'in_review' },
  },
  review_answers: {
    command: { type: 'review_answers', reviews: [{ questionId: 'q1', verdict: 'accept' }] },
    ready: stage2({ questionnaire: QUESTIONNAIRE, answers: answered('pending', 'q1') }),
    next: { stage: 'security', status: 'in_review' },
  },
  pass_security: {
    command: { type: 'pass_security' },
    ready: stage2AllAccepted(),
    next: { stage: 'architecture', status: 'new' },
  },
  schedule_review: {
    // Tuesday 10:00–11:00 in Berlin: inside the architect's working hours, a day ahead.
    command: {
      type: 'schedule_review',
      architectId: 'U_ARCH',
      startsAt: new Date('2026-03-03T09:00:00Z'),
      durationMinutes: 60,
      agenda: 'Data flows and PII controls',
      outsideHoursConfirmed: false,
    },
    ready: stage3({ status: 'new' }),
    next: { stage: 'architecture', status: 'in_review' },
  },
  reschedule_review: {
    command: {
      type: 'reschedule_review',
      architectId: 'U_ARCH',
      startsAt: new Date('2026-03-04T09:00:00Z'),
      durationMinutes: 90,
      agenda: 'Data flows and PII controls',
      outsideHoursConfirmed: false,
    },
    ready: stage3({ architectId: 'U_ARCH', meeting: { status: 'scheduled', startsAt: new Date('2026-03-03T09:00:00Z') } }),
    next: { stage: 'architecture', status: 'in_review' },
  },
  cancel_review: {
    command: { type: 'cancel_review', reason: 'Developer not ready to demo' },
    ready: stage3({ architectId: 'U_ARCH', meeting: { status: 'scheduled', startsAt: new Date('2026-03-03T09:00:00Z') } }),
    next: { stage: 'architecture', status: 'new' },
  },
  record_outcome: {
    command: { type: 'record_outcome', outcome: 'approved' },
    ready: stage3({ architectId: 'U_ARCH', meeting: { status: 'held', startsAt: new Date('2026-02-27T09:00:00Z') } }),
    next: { stage: 'approved', status: 'approved' },
  },
  mark_answered: {
    command: { type: 'mark_answered', questionIds: [11, 12] },
    ready: stage3({
      status: 'waiting_on_developer',
      architectId: 'U_ARCH',
      meeting: { status: 'held', startsAt: new Date('2026-02-27T09:00:00Z') },
      openQuestions: [11, 12],
    }),
    next: { stage: 'architecture', status: 'in_review' },
  },
  record_go_live: {
    command: { type: 'record_go_live', productionSince: LIVE_SINCE },
    ready: approvedApp(),
    next: { stage: 'approved', status: 'approved' },
  },
  record_restricted_call: {
    command: { type: 'record_restricted_call', at: new Date('2026-03-01T12:00:00Z'), operation: 'getOrderAddress' },
    ready: approvedApp({ productionSince: LIVE_SINCE }),
    next: { stage: 'approved', status: 'approved' },
  },
  schedule_audit: {
    command: { type: 'schedule_audit', auditor: 'Deloitte', scheduledFor: new Date('2026-04-15T00:00:00Z') },
    ready: approvedApp({ productionSince: LIVE_SINCE }),
    next: { stage: 'approved', status: 'approved' },
  },
  record_audit_outcome: {
    command: { type: 'record_audit_outcome', outcome: 'passed' },
    ready: approvedApp({ productionSince: LIVE_SINCE, audit: { status: 'scheduled' } }),
    next: { stage: 'approved', status: 'approved' },
  },
  close_remediation: {
    command: { type: 'close_remediation', itemId: 31 },
    ready: approvedApp({ productionSince: LIVE_SINCE, audit: { status: 'remediation' }, openRemediation: [31, 32] }),
    next: { stage: 'approved', status: 'approved' },
  },
  suspend_access: {
    command: { type: 'suspend_access', reason: 'incident_reported', note: '' },
    ready: approvedApp({ productionSince: LIVE_SINCE }),
    next: { stage: 'approved', status: 'approved' },
  },
  reinstate_access: {
    command: { type: 'reinstate_access', note: '' },
    ready: approvedApp({ access: 'suspended' }),
    next: { stage: 'approved', status: 'approved' },
  },
  revoke_access: {
    command: { type: 'revoke_access', note: 'Breach confirmed by the developer.' },
    ready: approvedApp(),
    next: { stage: 'approved', status: 'approved' },
  },
  developer_replied: {
    command: { type: 'developer_replied', summary: 'Answered question 1 by e-mail.', addresses: [11] },
    ready: stage3({ status: 'waiting_on_developer', architectId: 'U_ARCH', openQuestions: [11] }),
    next: { stage: 'architecture', status: 'in_review' },
  },
  deny_security: {
    command: { type: 'deny_security', denialText: 'We cannot grant the roles.', reason: { area: 'incident_response' } },
    ready: stage2(),
    next: { stage: 'closed', status: 'rejected' },
  },
  deny_architecture: {
    command: {
      type: 'deny_architecture',
      denialText: 'We cannot grant the roles.',
      reason: { note: 'Demo showed PII in logs.' },
    },
    ready: stage3({ architectId: 'U_ARCH' }),
    next: { stage: 'closed', status: 'rejected' },
  },
  skip_questionnaire: {
    command: { type: 'skip_questionnaire', reason: 'Internal tool, answers covered by the information round.' },
    ready: stage2({ track: PRIVATE }),
    next: { stage: 'security', status: 'in_review' },
  },
};

const COMMAND_TYPES = Object.keys(ALLOWED_ROLES) as CommandType[];

// ---------------------------------------------------------------------------
// Role matrix
// ---------------------------------------------------------------------------

/**
 * Who may issue each command:
 * - reviewer: a reviewer (or an admin);
 * - admin: an admin only;
 * - reviewer_or_architect: a reviewer, a solution architect or an admin;
 * - own_architect: the application's own solution architect (state.architectId) or an admin;
 * - reviewer_or_integration: a reviewer, an admin, or the intake integration reporting a fact.
 */
type Policy = 'reviewer' | 'admin' | 'reviewer_or_architect' | 'own_architect' | 'reviewer_or_integration';

/**
 * Written out independently of ALLOWED_ROLES: the test is the second opinion. Rows are
 * generated from ALLOWED_ROLES' keys, so a command added there without a row here fails.
 */
const POLICY: Record<CommandType, Policy> = {
  claim: 'reviewer',
  assign: 'admin',
  business_review: 'reviewer',
  reopen: 'admin',
  withdraw: 'admin',
  record_gap: 'reviewer',
  resolve_gap: 'reviewer',
  request_information: 'reviewer',
  send_questionnaire: 'reviewer',
  record_answers: 'reviewer',
  review_answers: 'reviewer',
  pass_security: 'reviewer',
  schedule_review: 'reviewer_or_architect',
  reschedule_review: 'reviewer_or_architect',
  cancel_review: 'reviewer_or_architect',
  record_outcome: 'own_architect',
  mark_answered: 'reviewer_or_architect',
  record_go_live: 'reviewer_or_integration',
  record_restricted_call: 'reviewer_or_integration',
  schedule_audit: 'reviewer',
  record_audit_outcome: 'reviewer',
  close_remediation: 'reviewer',
  developer_replied: 'reviewer_or_architect',
  deny_security: 'reviewer',
  deny_architecture: 'own_architect',
  skip_questionnaire: 'reviewer',
  fast_track: 'reviewer',
  ask_role_meeting: 'reviewer',
  suspend_access: 'admin',
  reinstate_access: 'admin',
  revoke_access: 'admin',
};

/** The role refusal each policy gives someone who lacks every allowed role. */
const ROLE_REFUSAL: Record<Policy, string> = {
  reviewer: 'Only a reviewer or an admin can do this. Ask an admin to give you the reviewer role.',
  admin: 'Only an admin can do this. Ask an admin to give you the admin role.',
  reviewer_or_architect:
    'Only a reviewer or a solution architect or an admin can do this. Ask an admin to give you the reviewer role.',
  reviewer_or_integration: 'Only a reviewer or an admin can do this. Ask an admin to give you the reviewer role.',
  // Which role to name is pinned separately below ("names the solution architect role ...").
  own_architect: 'Only a solution architect or an admin can do this.',
};

// SAMPLES.record_outcome belongs to U_ARCH: the architect below is its own, U_BOTH is another one.
const ACTORS: readonly { who: string; actor: ReturnType<typeof actor>; may: readonly Policy[] }[] = [
  { who: 'reviewer only', actor: reviewer, may: ['reviewer', 'reviewer_or_architect', 'reviewer_or_integration'] },
  { who: "the application's architect only", actor: architect, may: ['reviewer_or_architect', 'own_architect'] },
  {
    who: 'admin only',
    actor: admin,
    may: ['reviewer', 'admin', 'reviewer_or_architect', 'own_architect', 'reviewer_or_integration'],
  },
  { who: 'no roles', actor: nobody, may: [] },
  {
    who: 'reviewer + another architect',
    actor: reviewerArchitect,
    may: ['reviewer', 'reviewer_or_architect', 'reviewer_or_integration'],
  },
  { who: 'the intake integration', actor: integration, may: ['reviewer_or_integration'] },
];

describe('role matrix', () => {
  it('has a role row and a sample for exactly the commands ALLOWED_ROLES knows', () => {
    expect(Object.keys(POLICY).sort()).toEqual([...COMMAND_TYPES].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  const rows = COMMAND_TYPES.flatMap((type) =>
    ACTORS.map(({ who, actor, may }) => ({ type, who, actor, policy: POLICY[type] as Policy | undefined, may })),
  );

  it.each(rows)('$type by $who', ({ type, actor, policy, may }) => {
    expect(policy).toBeDefined();
    const { command, ready, next } = SAMPLES[type];
    const result = decide(ready, command, actor, ENV);
    if (policy && may.includes(policy)) {
      expect(result).toMatchObject({ ok: true, next });
      expect(roleAllows(actor.roles, type)).toBeUndefined();
      return;
    }
    expect(result).toMatchObject({ ok: false, kind: 'role' });
    expect(result).not.toHaveProperty('field');
    if (result.ok) return;
    if (policy === 'own_architect' && actor.roles.has('architect')) {
      // An architect, but not this application's one: refused by the rules, which name the right one.
      expect(roleAllows(actor.roles, type)).toBeUndefined();
      expect(result.message).toBe(
        `Only the application's solution architect (<@U_ARCH>) or an admin can ${type === 'record_outcome' ? 'record the outcome' : 'deny at Stage 3'}.`,
      );
      return;
    }
    expect(roleAllows(actor.roles, type)).toStrictEqual(result);
    // The message has to tell the user whom to ask for which setting.
    if (policy === 'own_architect') expect(result.message.startsWith(ROLE_REFUSAL.own_architect)).toBe(true);
    else expect(result.message).toBe(ROLE_REFUSAL[policy ?? 'admin']);
  });

  it('words the admin-only refusal in correct English ("an admin", not "a admin")', () => {
    expect(roleAllows(reviewer.roles, 'assign')).toStrictEqual({
      ok: false,
      kind: 'role',
      message: 'Only an admin can do this. Ask an admin to give you the admin role.',
    });
  });

  it('checks the role before the state, so an outsider learns nothing about the application', () => {
    const withdrawn = state({ stage: 'closed', status: 'withdrawn' });
    expect(decide(withdrawn, SAMPLES.claim.command, architect)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(withdrawn, SAMPLES.withdraw.command, reviewer)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(withdrawn, SAMPLES.record_outcome.command, reviewer, ENV)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(withdrawn, SAMPLES.schedule_audit.command, integration, ENV)).toMatchObject({ ok: false, kind: 'role' });
  });

  // The integration may report facts of production, nothing else; its label never shows to a person.
  it('leaves the integration out of the roles a refused person is told about', () => {
    expect(roleAllows(architect.roles, 'record_go_live')).toStrictEqual({
      ok: false,
      kind: 'role',
      message: 'Only a reviewer or an admin can do this. Ask an admin to give you the reviewer role.',
    });
  });

  // The hint names the role the command needs, in product words (never a setting), not admin by default.
  it('names the solution architect role, not admin, to someone refused record_outcome', () => {
    expect(JSON.stringify(roleAllows(reviewer.roles, 'record_outcome'))).not.toMatch(/_IDS/);
    expect(roleAllows(reviewer.roles, 'record_outcome')).toStrictEqual({
      ok: false,
      kind: 'role',
      message: 'Only a solution architect or an admin can do this. Ask an admin to give you the solution architect role.',
    });
  });
});

// ---------------------------------------------------------------------------
// Stage/status refusals, every command against every reachable state
// ---------------------------------------------------------------------------

/**
 * Every stage/status pair, bare: no meeting, question, go-live or audit (late.test.ts covers
 * those preconditions). `where` is how Stage 1–2 refusals name the state; `lateWhere` is how
 * the late commands' refusals do (they differ for final states: see late.test.ts).
 */
const CATALOGUE = {
  'business/new': { s: state(), where: 'in business stage, new', lateWhere: 'in business stage, new' },
  'business/in_review': {
    s: state({ status: 'in_review', assigneeId: 'U_REV' }),
    where: 'in business stage, in review',
    lateWhere: 'in business stage, in review',
  },
  'security/in_review': { s: stage2(), where: 'in security stage, in review', lateWhere: 'in security stage, in review' },
  'security/waiting_on_developer': {
    s: stage2Waiting(),
    where: 'in security stage, waiting on developer',
    lateWhere: 'in security stage, waiting on developer',
  },
  'architecture/new': {
    s: state({ stage: 'architecture', status: 'new' }),
    where: 'in architecture stage, new',
    lateWhere: 'in architecture stage, new',
  },
  'architecture/in_review': {
    s: state({ stage: 'architecture', status: 'in_review' }),
    where: 'in architecture stage, in review',
    lateWhere: 'in architecture stage, in review',
  },
  'architecture/waiting_on_developer': {
    s: state({ stage: 'architecture', status: 'waiting_on_developer' }),
    where: 'in architecture stage, waiting on developer',
    lateWhere: 'in architecture stage, waiting on developer',
  },
  'approved/approved': {
    s: state({ stage: 'approved', status: 'approved', approvedAt: new Date('2025-09-01T00:00:00Z') }),
    where: 'approved',
    lateWhere: 'approved',
  },
  'closed/rejected': {
    s: state({ stage: 'closed', status: 'rejected' }),
    where: 'rejected',
    lateWhere: 'rejected',
  },
  'closed/withdrawn': {
    s: state({ stage: 'closed', status: 'withdrawn' }),
    where: 'withdrawn',
    lateWhere: 'withdrawn',
  },
} as const;
type StateName = keyof typeof CATALOGUE;
const STATE_NAMES = Object.keys(CATALOGUE) as StateName[];

const OPEN: StateName[] = STATE_NAMES.filter((n) => !['approved/approved', 'closed/rejected', 'closed/withdrawn'].includes(n));
const STAGE1: StateName[] = ['business/new', 'business/in_review'];
const STAGE2: StateName[] = ['security/in_review', 'security/waiting_on_developer'];
const STAGE2_IN_REVIEW: StateName[] = ['security/in_review'];
const APPROVED: StateName[] = ['approved/approved'];

/**
 * Where each command may be issued at all, and the refusal elsewhere: by default the start of
 * a message that goes on with `: the application is <where>.`; `late` the same with the late
 * wording; `exact` a whole message that names no state. Commands whose precondition no bare
 * state meets (a scheduled meeting, an open question, an audit) are refused everywhere here.
 */
const WHERE_ALLOWED: Record<CommandType, { allowedIn: StateName[]; refusal: string; wording?: 'late' | 'exact' }> = {
  claim: { allowedIn: OPEN, refusal: 'Nobody can be assigned' },
  assign: { allowedIn: OPEN, refusal: 'Nobody can be assigned' },
  business_review: { allowedIn: STAGE1, refusal: 'The business review is over' },
  reopen: { allowedIn: ['closed/rejected'], refusal: 'Only a rejected application can be reopened' },
  withdraw: { allowedIn: OPEN, refusal: 'It cannot be withdrawn' },
  record_gap: { allowedIn: STAGE2, refusal: 'Security gaps are handled in Stage 2' },
  resolve_gap: { allowedIn: STAGE2, refusal: 'Security gaps are handled in Stage 2' },
  request_information: { allowedIn: STAGE2_IN_REVIEW, refusal: 'Information can be requested in Stage 2 while in review' },
  send_questionnaire: { allowedIn: STAGE2_IN_REVIEW, refusal: 'The questionnaire is sent in Stage 2 while in review' },
  record_answers: { allowedIn: STAGE2, refusal: 'Answers are recorded in Stage 2' },
  review_answers: { allowedIn: STAGE2_IN_REVIEW, refusal: 'Answers are reviewed in Stage 2 while in review' },
  pass_security: { allowedIn: STAGE2_IN_REVIEW, refusal: 'Stage 2 can be passed only while in review' },
  schedule_review: {
    allowedIn: ['architecture/new', 'architecture/in_review'],
    refusal: 'The architecture review is scheduled in Stage 3',
    wording: 'late',
  },
  reschedule_review: { allowedIn: [], refusal: 'No architecture review meeting is scheduled.', wording: 'exact' },
  cancel_review: { allowedIn: [], refusal: 'No architecture review meeting is scheduled.', wording: 'exact' },
  record_outcome: {
    allowedIn: ['architecture/in_review'],
    refusal: 'The outcome is recorded in Stage 3 while in review',
    wording: 'late',
  },
  mark_answered: { allowedIn: [], refusal: 'No clarification question is open.', wording: 'exact' },
  record_go_live: { allowedIn: APPROVED, refusal: 'Only an approved application has a production life', wording: 'late' },
  record_restricted_call: {
    allowedIn: APPROVED,
    refusal: 'Only an approved application has a production life',
    wording: 'late',
  },
  schedule_audit: { allowedIn: APPROVED, refusal: 'Only an approved application has a production life', wording: 'late' },
  suspend_access: { allowedIn: APPROVED, refusal: 'Only an approved application has a production life', wording: 'late' },
  revoke_access: { allowedIn: APPROVED, refusal: 'Only an approved application has a production life', wording: 'late' },
  reinstate_access: { allowedIn: [], refusal: 'Only suspended access can be reinstated.', wording: 'exact' },
  record_audit_outcome: { allowedIn: [], refusal: 'No audit is scheduled.', wording: 'exact' },
  close_remediation: { allowedIn: [], refusal: 'No remediation item is open.', wording: 'exact' },
  developer_replied: {
    allowedIn: ['security/waiting_on_developer', 'architecture/waiting_on_developer'],
    refusal: 'A reply is recorded while the application waits on the developer in Stage 2 or 3',
  },
  deny_security: { allowedIn: STAGE2, refusal: 'This denial is for Stage 2' },
  deny_architecture: {
    allowedIn: ['architecture/new', 'architecture/in_review', 'architecture/waiting_on_developer'],
    refusal: 'This denial is for Stage 3',
    wording: 'late',
  },
  skip_questionnaire: { allowedIn: STAGE2_IN_REVIEW, refusal: 'The questionnaire is skipped in Stage 2 while in review' },
  fast_track: { allowedIn: [], refusal: 'Only a new cycle (after a resubmission) can be fast-tracked.', wording: 'exact' },
  ask_role_meeting: { allowedIn: [], refusal: 'A Stage 3 meeting is asked for only in a role review.', wording: 'exact' },
};

const expectedRefusal = (type: CommandType, name: StateName): string => {
  const { refusal, wording } = WHERE_ALLOWED[type];
  if (wording === 'exact') return refusal;
  return `${refusal}: the application is ${wording === 'late' ? CATALOGUE[name].lateWhere : CATALOGUE[name].where}.`;
};

describe('stage and status refusals', () => {
  const rows = COMMAND_TYPES.flatMap((type) => STATE_NAMES.map((name) => ({ type, name })));

  it.each(rows.filter(({ type, name }) => !WHERE_ALLOWED[type].allowedIn.includes(name)))(
    '$type is refused in $name',
    ({ type, name }) => {
      const expected = { ok: false, kind: 'state', message: expectedRefusal(type, name) };
      const { s } = CATALOGUE[name];
      expect(stateAllows(s, type)).toStrictEqual(expected);
      // An admin holds every role, so what is left is the state's verdict.
      expect(decide(s, SAMPLES[type].command, admin, ENV)).toStrictEqual(expected);
    },
  );

  // The other half: where the stage fits, any refusal is about a precondition, not the stage.
  it.each(rows.filter(({ type, name }) => WHERE_ALLOWED[type].allowedIn.includes(name)))(
    '$type is not refused for the stage in $name',
    ({ type, name }) => {
      const refusal = stateAllows(CATALOGUE[name].s, type);
      expect(refusal?.message ?? '').not.toContain(WHERE_ALLOWED[type].refusal);
    },
  );

  // Each sample's ready state is one where the command is allowed, so the table above is not vacuous.
  it.each(COMMAND_TYPES)('%s is allowed in its sample state', (type) => {
    expect(stateAllows(SAMPLES[type].ready, type)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// Command by command
// ---------------------------------------------------------------------------

describe('claim', () => {
  it('makes the actor the assignee and starts the business review of a new application', () => {
    expect(decide(state(), { type: 'claim' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'business', status: 'in_review' },
      assigneeId: 'U_REV',
    });
  });

  it('starts the business review even when an admin assigned the new application beforehand', () => {
    expect(decide(state({ assigneeId: 'U_REV' }), { type: 'claim' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'business', status: 'in_review' },
      assigneeId: 'U_REV',
    });
  });

  // Only the very first claim moves the status; later it just names the owner.
  it.each(OPEN.filter((n) => n !== 'business/new'))('leaves the status alone in %s', (name) => {
    const s = CATALOGUE[name].s;
    expect(decide({ ...s, assigneeId: null }, { type: 'claim' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: s.stage, status: s.status },
      assigneeId: 'U_REV',
    });
  });

  it('lets the current assignee claim again (a no-op)', () => {
    expect(decide(state({ status: 'in_review', assigneeId: 'U_REV' }), { type: 'claim' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'business', status: 'in_review' },
      assigneeId: 'U_REV',
    });
  });

  it.each([
    { who: 'a reviewer', actor: reviewer },
    { who: 'a reviewer who is also an architect', actor: reviewerArchitect },
  ])('refuses $who to take over an application someone else claimed', ({ actor }) => {
    expect(decide(state({ status: 'in_review', assigneeId: 'U_OTHER' }), { type: 'claim' }, actor)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: '<@U_OTHER> has already claimed it; an admin can reassign it.',
    });
  });

  it('lets an admin take over an application someone else claimed', () => {
    expect(decide(stage2({ assigneeId: 'U_OTHER' }), { type: 'claim' }, admin)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
      assigneeId: 'U_ADMIN',
    });
  });

  it.each(['approved/approved', 'closed/rejected', 'closed/withdrawn'] as const)(
    'is refused on a final application (%s)',
    (name) => {
      const result = decide(CATALOGUE[name].s, { type: 'claim' }, admin);
      expect(result).toMatchObject({ ok: false, kind: 'state' });
      if (!result.ok) expect(result.message).toBe(`Nobody can be assigned: the application is ${CATALOGUE[name].where}.`);
    },
  );
});

describe('assign', () => {
  it.each(OPEN)('sets the assignee and keeps the state in %s', (name) => {
    const s = { ...CATALOGUE[name].s, assigneeId: 'U_REV' };
    expect(decide(s, { type: 'assign', assigneeId: 'U_OTHER' }, admin, ENV)).toStrictEqual({
      ok: true,
      next: { stage: s.stage, status: s.status },
      assigneeId: 'U_OTHER',
    });
  });

  it.each([
    ['an architect', 'U_ARCH'],
    ['someone without a role', 'U_NOBODY'],
  ])('refuses %s as the assignee, under the input', (_who, assigneeId) => {
    expect(decide(state(), { type: 'assign', assigneeId }, admin, ENV)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Choose a reviewer or an admin: this person holds neither role.',
      field: 'assignee',
    });
  });
});

describe('business_review', () => {
  const inReview = state({ status: 'in_review', assigneeId: 'U_REV' });
  const review = (
    criteria: Record<CriterionId, CriterionResult>,
    decision: 'advance' | 'reject',
    denialText?: string,
  ): Command => ({
    type: 'business_review',
    criteria,
    decision,
    ...(denialText === undefined ? {} : { denialText }),
  });

  it('advances to Stage 2 in review, keeping the assignee', () => {
    expect(decide(inReview, review(allPass(), 'advance'), admin)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
      assigneeId: 'U_REV',
    });
  });

  it('makes the reviewer who advances an unclaimed application its assignee, so Stage 2 has an owner', () => {
    expect(decide(state(), review(allPass(), 'advance'), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
      assigneeId: 'U_REV',
    });
  });

  it('rejects into closed/rejected with a failed criterion and a denial text', () => {
    expect(
      decide(inReview, review(failing('launch_readiness'), 'reject', 'We cannot approve your request.'), reviewer),
    ).toStrictEqual({
      ok: true,
      next: { stage: 'closed', status: 'rejected' },
    });
  });

  it('refuses to advance with a failed criterion, naming the failed ones', () => {
    expect(decide(inReview, review(failing('launch_readiness', 'geographies'), 'advance'), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Advance needs every criterion to pass; failed: Launch readiness, Supported geographies.',
      field: 'decision',
    });
  });

  it('refuses a rejection with no failed criterion', () => {
    expect(decide(inReview, review(allPass(), 'reject', 'We cannot approve your request.'), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'A rejection needs at least one failed criterion.',
      field: 'decision',
    });
  });

  it.each([
    { label: 'missing', text: undefined },
    { label: 'empty', text: '' },
    { label: 'whitespace', text: '  \n\t ' },
  ])('refuses a rejection with a $label denial text', ({ text }) => {
    expect(decide(inReview, review(failing('use_case'), 'reject', text), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Write the denial text sent to the developer.',
      field: 'denial_text',
    });
  });

  it.each(BUSINESS_CRITERIA.map((c) => c.id))('refuses when criterion %s is left unanswered', (id) => {
    const criteria = allPass();
    delete (criteria as Partial<Record<CriterionId, CriterionResult>>)[id];
    expect(decide(inReview, review(criteria, 'advance'), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Choose pass or fail.',
      field: `criterion.${id}`,
    });
  });

  // The modal can show one error per input: the first unanswered one, ahead of the decision.
  it('points at the first unanswered criterion before judging the decision', () => {
    const criteria = { geographies: { pass: false }, differentiation: { pass: false } } as unknown as Record<
      CriterionId,
      CriterionResult
    >;
    expect(decide(inReview, review(criteria, 'advance'), reviewer)).toMatchObject({
      ok: false,
      kind: 'guard',
      field: 'criterion.use_case',
    });
  });
});

describe('reopen', () => {
  const rejected = CATALOGUE['closed/rejected'].s;

  it('puts a rejected application back into the business review', () => {
    expect(decide(rejected, { type: 'reopen', reason: 'Website is live now' }, admin)).toStrictEqual({
      ok: true,
      next: { stage: 'business', status: 'in_review' },
    });
  });

  it.each(['security', 'architecture'] as const)('puts an application denied in the %s stage back where it ended', (stage) => {
    expect(decide({ ...rejected, rejectedAtStage: stage }, { type: 'reopen', reason: 'Appeal upheld' }, admin)).toStrictEqual({
      ok: true,
      next: { stage, status: 'in_review' },
    });
  });

  it.each(['', '   '])('refuses without a reason (%j)', (reason) => {
    expect(decide(rejected, { type: 'reopen', reason }, admin)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Say why it is reopened.',
      field: 'reason',
    });
  });
  it('refuses once its submission was deleted under the retention policy: the developer sends it again instead', () => {
    expect(decide({ ...rejected, purged: true }, { type: 'reopen', reason: 'Appeal upheld' }, admin)).toMatchObject({
      ok: false,
      kind: 'state',
      message: expect.stringContaining('deleted under the retention policy'),
    });
  });
});

describe('withdraw', () => {
  it.each(OPEN)('closes the application as withdrawn from %s', (name) => {
    expect(decide(CATALOGUE[name].s, { type: 'withdraw', reason: 'Developer asked' }, admin)).toStrictEqual({
      ok: true,
      next: { stage: 'closed', status: 'withdrawn' },
    });
  });

  it.each(['', ' \n '])('refuses without a reason (%j)', (reason) => {
    expect(decide(state(), { type: 'withdraw', reason }, admin)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Say why it is withdrawn.',
      field: 'reason',
    });
  });
});

describe('record_gap', () => {
  const command = (description: string): Command => ({
    type: 'record_gap',
    area: 'access_management',
    severity: 'medium',
    description,
  });

  it.each([
    { name: 'in review', s: stage2() },
    { name: 'waiting on the developer', s: stage2Waiting() },
  ])('records a gap $name without moving the application', ({ s }) => {
    expect(decide(s, command('Leavers are removed after a week'), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: s.status },
    });
  });

  it.each(['', '   '])('refuses a blank description (%j)', (description) => {
    expect(decide(stage2(), command(description), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Describe the gap.',
      field: 'description',
    });
  });
});

describe('resolve_gap', () => {
  const withGap = stage2({ openGaps: [gap(7), gap(8)] });

  it.each([
    { name: 'in review', s: withGap },
    { name: 'waiting on the developer', s: { ...withGap, status: 'waiting_on_developer' as const } },
  ])('resolves an open gap $name without moving the application', ({ s }) => {
    expect(decide(s, { type: 'resolve_gap', gapId: 8, resolution: 'MFA enforced' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: s.status },
    });
  });

  it('refuses a gap that is not open', () => {
    expect(decide(withGap, { type: 'resolve_gap', gapId: 99, resolution: 'MFA enforced' }, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'That gap is not open.',
      field: 'gap',
    });
  });

  it.each(['', '\t'])('refuses a blank resolution (%j)', (resolution) => {
    expect(decide(withGap, { type: 'resolve_gap', gapId: 7, resolution }, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Say how the gap was resolved.',
      field: 'resolution',
    });
  });

  it.each([
    { name: 'in review', s: stage2() },
    { name: 'waiting on the developer', s: stage2Waiting() },
  ])('is unavailable $name when no gap is open', ({ s }) => {
    expect(decide(s, { type: 'resolve_gap', gapId: 7, resolution: 'MFA enforced' }, reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: 'There is no open gap to resolve.',
    });
  });
});

describe('request_information', () => {
  it.each([
    { name: 'no gap', s: stage2() },
    { name: 'open gaps', s: stage2({ openGaps: [gap(1)] }) },
  ])('hands the ball to the developer (with $name)', ({ s }) => {
    expect(decide(s, { type: 'request_information', message: 'How do you rotate keys?' }, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'waiting_on_developer' },
    });
  });

  it.each(['', '  \n'])('refuses a blank message (%j)', (message) => {
    expect(decide(stage2(), { type: 'request_information', message }, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Write the message to the developer.',
      field: 'message',
    });
  });

  it('is refused while already waiting on the developer', () => {
    expect(decide(stage2Waiting(), { type: 'request_information', message: 'More?' }, reviewer)).toMatchObject({
      ok: false,
      kind: 'state',
    });
  });
});

describe('send_questionnaire', () => {
  const send: Command = { type: 'send_questionnaire', ...QUESTIONNAIRE };

  it('hands the questionnaire to the developer', () => {
    expect(decide(stage2(), send, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'waiting_on_developer' },
    });
  });

  // DOMAIN.md: the fourteen questions go out only once the free-form answers comply.
  it('is refused while gaps are open, counting them', () => {
    expect(decide(stage2({ openGaps: [gap(1), gap(2)] }), send, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Resolve the 2 open gap(s) before sending the questionnaire.',
    });
  });

  it.each([
    { name: 'without open gaps', openGaps: [] },
    { name: 'even with open gaps', openGaps: [gap(1)] },
  ])('is refused once a questionnaire was sent ($name)', ({ openGaps }) => {
    expect(decide(stage2({ questionnaire: QUESTIONNAIRE, openGaps }), send, reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: 'The questionnaire (version v1) was already sent.',
    });
  });

  it('is refused while waiting on the developer', () => {
    expect(decide(stage2Waiting(), send, reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message:
        'The questionnaire is sent in Stage 2 while in review: the application is in security stage, waiting on developer.',
    });
  });
});

describe('record_answers', () => {
  const sent = stage2Waiting({ questionnaire: QUESTIONNAIRE });
  const record = (...answers: [string, string][]): Command => ({
    type: 'record_answers',
    answers: answers.map(([questionId, answer]) => ({ questionId, answer })),
  });

  it.each([
    { name: 'waiting on the developer', s: sent },
    { name: 'already in review', s: { ...sent, status: 'in_review' as const } },
  ])('puts the application back in review ($name)', ({ s }) => {
    expect(decide(s, record(['q1', 'AES-256 with KMS'], ['q2', '']), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
    });
  });

  it.each([
    { name: 'waiting on the developer', s: stage2Waiting() },
    { name: 'in review', s: stage2() },
  ])('is unavailable before the questionnaire was sent ($name)', ({ s }) => {
    expect(decide(s, record(['q1', 'x']), reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: 'The questionnaire has not been sent yet.',
    });
  });

  it('refuses an answer to a question not in the version sent', () => {
    expect(decide(sent, record(['q1', 'fine'], ['q9', 'stray']), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'q9 is not a question of version v1.',
    });
  });

  it.each([
    {
      name: 'all blank',
      answers: [
        ['q1', ''],
        ['q2', '   '],
      ] as [string, string][],
    },
    { name: 'none', answers: [] as [string, string][] },
  ])('refuses when there is no answer to record ($name)', ({ answers }) => {
    expect(decide(sent, record(...answers), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Paste at least one answer.',
    });
  });
});

describe('review_answers', () => {
  const s = stage2({
    questionnaire: QUESTIONNAIRE,
    answers: [...answered('accepted', 'q1'), ...answered('pending', 'q2', 'q3')],
  });
  const review = (...reviews: Extract<Command, { type: 'review_answers' }>['reviews']): Command => ({
    type: 'review_answers',
    reviews,
  });
  const gapVerdict = (questionId: string, description: string) =>
    ({ questionId, verdict: 'gap', area: 'logging_monitoring', severity: 'medium', description }) as const;

  it('accepts and flags answers without moving the application (the gap itself is recorded by the use case)', () => {
    expect(decide(s, review({ questionId: 'q2', verdict: 'accept' }, gapVerdict('q3', 'PII in logs')), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
    });
  });

  it.each(['', '  '])('refuses a gap verdict without a description (%j), pointing at its note', (description) => {
    expect(decide(s, review({ questionId: 'q2', verdict: 'accept' }, gapVerdict('q3', description)), reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Describe the gap this answer leaves.',
      field: 'note.q3',
    });
  });

  it.each([
    { name: 'already accepted', id: 'q1' },
    { name: 'never answered', id: 'q9' },
  ])('refuses a review of a question that is not pending ($name)', ({ id }) => {
    expect(
      decide(s, review({ questionId: 'q2', verdict: 'accept' }, { questionId: id, verdict: 'accept' }), reviewer),
    ).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: `${id} does not wait for review.`,
    });
  });

  it('refuses an empty review', () => {
    expect(decide(s, review(), reviewer)).toStrictEqual({ ok: false, kind: 'guard', message: 'Review at least one answer.' });
  });

  it('is unavailable when no answer is pending', () => {
    expect(decide(stage2AllAccepted(), review({ questionId: 'q1', verdict: 'accept' }), reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: 'No answer waits for review or has a gap verdict.',
    });
  });

  it('is refused while waiting on the developer, even with pending answers', () => {
    expect(
      decide({ ...s, status: 'waiting_on_developer' }, review({ questionId: 'q2', verdict: 'accept' }), reviewer),
    ).toMatchObject({
      ok: false,
      kind: 'state',
    });
  });
});

describe('pass_security', () => {
  const pass: Command = { type: 'pass_security' };

  it('moves to Stage 3 when every question of the version sent is accepted and no gap is open', () => {
    expect(decide(stage2AllAccepted(), pass, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'new' },
    });
  });

  it('ignores accepted answers to questions outside the version sent', () => {
    const s = stage2({ questionnaire: QUESTIONNAIRE, answers: answered('accepted', 'q1', 'q2', 'q3', 'q_old') });
    expect(decide(s, pass, reviewer)).toMatchObject({ ok: true, next: { stage: 'architecture', status: 'new' } });
  });

  it('is refused before the questionnaire was sent', () => {
    expect(decide(stage2(), pass, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: 'Send the security questionnaire first.',
    });
  });

  it('is refused with an open gap even when every answer is accepted', () => {
    expect(decide({ ...stage2AllAccepted(), openGaps: [gap(3)] }, pass, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: '1 gap(s) are still open.',
    });
  });

  // Pending, flagged and unanswered questions all block, and the message lists them.
  it('is refused while questions are not accepted, listing their ids', () => {
    const s = stage2({ questionnaire: QUESTIONNAIRE, answers: [...answered('accepted', 'q1'), ...answered('gap', 'q2')] });
    expect(decide(s, pass, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: '2 question(s) are not accepted yet: q2, q3.',
    });
    const pending = stage2({
      questionnaire: QUESTIONNAIRE,
      answers: [...answered('accepted', 'q1', 'q3'), ...answered('pending', 'q2')],
    });
    expect(decide(pending, pass, reviewer)).toStrictEqual({
      ok: false,
      kind: 'guard',
      message: '1 question(s) are not accepted yet: q2.',
    });
  });

  it('is refused while waiting on the developer', () => {
    expect(decide({ ...stage2AllAccepted(), status: 'waiting_on_developer' }, pass, reviewer)).toStrictEqual({
      ok: false,
      kind: 'state',
      message: 'Stage 2 can be passed only while in review: the application is in security stage, waiting on developer.',
    });
  });
});

// ---------------------------------------------------------------------------
// Helpers the card uses
// ---------------------------------------------------------------------------

describe('pendingAnswers and unacceptedQuestions', () => {
  const s = stage2({
    questionnaire: QUESTIONNAIRE,
    answers: [...answered('pending', 'q3'), ...answered('accepted', 'q1'), ...answered('gap', 'q2')],
  });

  it('lists pending answers in recorded order', () => {
    expect(pendingAnswers(s)).toEqual(['q3']);
    expect(pendingAnswers(stage2())).toEqual([]);
  });

  it('lists unaccepted questions in questionnaire order', () => {
    expect(unacceptedQuestions(s)).toEqual(['q2', 'q3']);
    expect(unacceptedQuestions(stage2AllAccepted())).toEqual([]);
  });

  it('has nothing unaccepted before a questionnaire was sent', () => {
    expect(unacceptedQuestions(stage2({ answers: answered('pending', 'q1') }))).toEqual([]);
  });
});

describe('availableCommands', () => {
  it.each([
    { name: 'a new application', s: state(), expected: ['claim', 'assign', 'business_review', 'withdraw'] },
    {
      name: 'Stage 2 in review with open gaps',
      s: stage2({ openGaps: [gap(1)] }),
      expected: ['claim', 'assign', 'withdraw', 'record_gap', 'resolve_gap', 'request_information', 'deny_security'],
    },
    {
      name: 'Stage 2 waiting on the developer for the questionnaire',
      s: stage2Waiting({ questionnaire: QUESTIONNAIRE }),
      expected: ['claim', 'assign', 'withdraw', 'record_gap', 'record_answers', 'developer_replied', 'deny_security'],
    },
    {
      name: 'Stage 2 with answers pending review',
      s: stage2({ questionnaire: QUESTIONNAIRE, answers: answered('pending', 'q1', 'q2', 'q3') }),
      expected: [
        'claim',
        'assign',
        'withdraw',
        'record_gap',
        'request_information',
        'record_answers',
        'review_answers',
        'deny_security',
      ],
    },
    {
      name: 'Stage 2 with every answer accepted',
      s: stage2AllAccepted(),
      expected: [
        'claim',
        'assign',
        'withdraw',
        'record_gap',
        'request_information',
        'record_answers',
        'pass_security',
        'deny_security',
      ],
    },
    { name: 'a rejected application', s: CATALOGUE['closed/rejected'].s, expected: ['reopen'] },
    { name: 'a withdrawn application', s: CATALOGUE['closed/withdrawn'].s, expected: [] },
    // Approved: production facts can be reported; the audit waits for the go-live.
    {
      name: 'an approved application before go-live',
      s: CATALOGUE['approved/approved'].s,
      expected: ['record_go_live', 'record_restricted_call', 'suspend_access', 'revoke_access'],
    },
    {
      name: 'an approved application in production',
      s: approvedApp({ productionSince: LIVE_SINCE }),
      expected: ['record_go_live', 'record_restricted_call', 'schedule_audit', 'suspend_access', 'revoke_access'],
    },
    {
      name: 'an approved application with an audit scheduled',
      s: approvedApp({ productionSince: LIVE_SINCE, audit: { status: 'scheduled' } }),
      expected: [
        'record_go_live',
        'record_restricted_call',
        'schedule_audit',
        'record_audit_outcome',
        'suspend_access',
        'revoke_access',
      ],
    },
    {
      name: 'an approved application in remediation',
      s: approvedApp({ productionSince: LIVE_SINCE, audit: { status: 'remediation' }, openRemediation: [31] }),
      expected: ['record_go_live', 'record_restricted_call', 'close_remediation', 'suspend_access', 'revoke_access'],
    },
    {
      // Another audit may come when Amazon asks: scheduling stays at hand.
      name: 'an approved application whose audit passed',
      s: approvedApp({ productionSince: LIVE_SINCE, audit: { status: 'passed' } }),
      expected: ['record_go_live', 'record_restricted_call', 'schedule_audit', 'suspend_access', 'revoke_access'],
    },
    {
      name: 'an approved application whose access is suspended',
      s: approvedApp({ productionSince: LIVE_SINCE, access: 'suspended' }),
      expected: ['record_go_live', 'schedule_audit', 'reinstate_access', 'revoke_access'],
    },
    {
      name: 'an approved application whose access is revoked',
      s: approvedApp({ productionSince: LIVE_SINCE, access: 'revoked' }),
      expected: [],
    },
    {
      name: 'Stage 3 before a meeting',
      s: CATALOGUE['architecture/new'].s,
      expected: ['claim', 'assign', 'withdraw', 'schedule_review', 'deny_architecture'],
    },
    {
      name: 'Stage 3 with a meeting scheduled',
      s: SAMPLES.reschedule_review.ready,
      expected: ['claim', 'assign', 'withdraw', 'reschedule_review', 'cancel_review', 'record_outcome', 'deny_architecture'],
    },
    {
      name: 'Stage 3 after the meeting was held',
      s: SAMPLES.record_outcome.ready,
      expected: ['claim', 'assign', 'withdraw', 'schedule_review', 'record_outcome', 'deny_architecture'],
    },
    {
      name: 'Stage 3 waiting on clarification',
      s: SAMPLES.mark_answered.ready,
      expected: ['claim', 'assign', 'withdraw', 'developer_replied', 'mark_answered', 'deny_architecture'],
    },
  ])('offers exactly the right buttons for $name', ({ s, expected }) => {
    expect(availableCommands(s)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------
// The exits of Stages 2 and 3 (issue 10)
// ---------------------------------------------------------------------------

describe('developer_replied', () => {
  const reply = (extra: Partial<Extract<Command, { type: 'developer_replied' }>> = {}): Command => ({
    type: 'developer_replied',
    summary: 'They commit to 24 h notice; plan attached.',
    addresses: [],
    ...extra,
  });

  it('brings a Stage 2 application waiting on the developer back to review, closing the round', () => {
    expect(decide(stage2Waiting({ openGaps: [gap(4)] }), reply({ addresses: [4] }), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
    });
  });

  it('serves Stage 3 clarification too, leaving the questions open', () => {
    const s = stage3({ status: 'waiting_on_developer', architectId: 'U_ARCH', openQuestions: [11, 12] });
    expect(decide(s, reply({ addresses: [11] }), architect)).toStrictEqual({
      ok: true,
      next: { stage: 'architecture', status: 'in_review' },
    });
  });

  it('is, among architects, only the application’s own in Stage 3', () => {
    const s = stage3({ status: 'waiting_on_developer', architectId: 'U_OTHER_ARCH', openQuestions: [11] });
    expect(decide(s, reply({ addresses: [11] }), architect)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(s, reply({ addresses: [11] }), reviewer)).toMatchObject({ ok: true });
  });

  it('is a reviewer’s in Stage 2: an architect alone is refused by role, before the state', () => {
    expect(decide(stage2Waiting(), reply(), architect)).toStrictEqual({
      ok: false,
      kind: 'role',
      message: 'Only a reviewer or an admin records a reply in Stage 2. Ask an admin to give you the reviewer role.',
    });
    expect(stageRoleAllows(stage2Waiting(), 'developer_replied', architect.roles)).toMatchObject({ kind: 'role' });
    expect(stageRoleAllows(stage2Waiting(), 'developer_replied', reviewerArchitect.roles)).toBeUndefined();
  });

  it.each([
    ['summary', reply({ summary: '  ' })],
    ['evidence_url', reply({ evidenceUrl: 'not a link' })],
    ['evidence_url', reply({ evidenceUrl: 'javascript:alert(1)' })],
    ['addresses', reply({ addresses: [99] })],
  ])('refuses a bad %s under its field', (field, command) => {
    expect(decide(stage2Waiting({ openGaps: [gap(4)] }), command, reviewer)).toMatchObject({ ok: false, kind: 'guard', field });
  });

  it('accepts an https evidence link', () => {
    expect(decide(stage2Waiting(), reply({ evidenceUrl: 'https://example.com/plan.pdf' }), reviewer)).toMatchObject({ ok: true });
  });
});

describe('deny_security', () => {
  const deny = (reason: Extract<Command, { type: 'deny_security' }>['reason'], denialText = 'We cannot grant the roles.') =>
    ({ type: 'deny_security', denialText, reason }) as Command;

  it.each([stage2(), stage2Waiting()])('rejects from Stage 2 (%#)', (s) => {
    expect(decide(s, deny({ area: 'network_protection' }), reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'closed', status: 'rejected' },
    });
  });

  it('needs the denial text and an internal reason, each under its field', () => {
    expect(decide(stage2(), deny({ note: 'x' }, ' '), reviewer)).toMatchObject({ ok: false, field: 'denial_text' });
    expect(decide(stage2(), deny({}), reviewer)).toMatchObject({ ok: false, field: 'reason_note' });
    expect(decide(stage2(), deny({ note: 'No IMPOC at all.' }), reviewer)).toMatchObject({ ok: true });
  });

  it('can be reopened afterwards by an admin', () => {
    expect(stateAllows(state({ stage: 'closed', status: 'rejected' }), 'reopen')).toBeUndefined();
  });
});

describe('review_answers: re-judging a gap verdict', () => {
  const withGapAnswer = (overrides: Partial<WorkflowState> = {}) =>
    stage2({
      questionnaire: QUESTIONNAIRE,
      answers: [...answered('accepted', 'q1', 'q3'), ...answered('gap', 'q2')],
      ...overrides,
    });

  it('offers Review answers while an answer has the gap verdict, even with none pending', () => {
    expect(stateAllows(withGapAnswer(), 'review_answers')).toBeUndefined();
    expect(stateAllows(withGapAnswer(), 'pass_security')).toMatchObject({ message: expect.stringContaining('q2') });
  });

  it('accepts a gap-verdict answer, optionally resolving its gap', () => {
    const review: Command = { type: 'review_answers', reviews: [{ questionId: 'q2', verdict: 'accept', resolveGap: true }] };
    expect(decide(withGapAnswer({ openGaps: [gap(3)] }), review, reviewer)).toStrictEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
    });
  });

  it('refuses a second gap on an answer that already raised one, under its verdict', () => {
    const review: Command = {
      type: 'review_answers',
      reviews: [{ questionId: 'q2', verdict: 'gap', area: 'network_protection', severity: 'high', description: 'Still none.' }],
    };
    expect(decide(withGapAnswer(), review, reviewer)).toMatchObject({ ok: false, field: 'verdict.q2' });
  });

  it('still refuses an accepted answer', () => {
    const review: Command = { type: 'review_answers', reviews: [{ questionId: 'q1', verdict: 'accept' }] };
    expect(decide(withGapAnswer(), review, reviewer)).toMatchObject({ ok: false, message: 'q1 does not wait for review.' });
  });
});

describe('the private track', () => {
  const privateStage2 = (overrides: Partial<WorkflowState> = {}) => stage2({ track: PRIVATE, ...overrides });

  it('leaves the Appstore criterion out of the business review by default', () => {
    const { differentiation: _, ...withoutAppstore } = allPass();
    const command = { type: 'business_review', criteria: withoutAppstore, decision: 'advance' } as Command;
    const s = state({ status: 'in_review', track: PRIVATE });
    expect(decide(s, command, reviewer)).toMatchObject({ ok: true, next: { stage: 'security', status: 'in_review' } });
    // The public track still asks for it.
    expect(decide({ ...s, track: undefined }, command, reviewer)).toMatchObject({
      ok: false,
      field: 'criterion.differentiation',
    });
  });

  it('lets a reviewer skip the questionnaire with a reason, then pass Stage 2 without it', () => {
    const skip: Command = { type: 'skip_questionnaire', reason: 'In-house tool; the information round covered the controls.' };
    expect(decide(privateStage2(), skip, reviewer)).toStrictEqual({ ok: true, next: { stage: 'security', status: 'in_review' } });
    expect(decide(privateStage2(), { type: 'skip_questionnaire', reason: ' ' }, reviewer)).toMatchObject({ field: 'reason' });
    const skipped = privateStage2({ questionnaireSkipped: true });
    expect(stateAllows(skipped, 'pass_security')).toBeUndefined();
    expect(stateAllows(skipped, 'send_questionnaire')).toMatchObject({ kind: 'state' });
    expect(stateAllows(skipped, 'skip_questionnaire')).toMatchObject({ kind: 'state' });
    expect(stateAllows({ ...skipped, openGaps: [gap(1)] }, 'pass_security')).toMatchObject({ kind: 'guard' });
  });

  it('keeps the questionnaire for public developers, and when the setting requires it', () => {
    expect(stateAllows(stage2(), 'skip_questionnaire')).toMatchObject({
      message: 'The public track requires the security questionnaire.',
    });
    const strict = stage2({ track: trackFor('private', { criteria: ['use_case'], questionnaire: 'required' }) });
    expect(stateAllows(strict, 'skip_questionnaire')).toMatchObject({ kind: 'state' });
  });
});
