import { hasProductionLife } from '../../../src/workflow/late.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import { type Command, decide, gapAnswers, pendingAnswers, type WorkflowState } from '../../../src/workflow/rules.ts';
import { stateAfterResubmission } from '../../../src/workflow/states.ts';
import { trackFor } from '../../../src/workflow/tracks.ts';

/**
 * A small model of the application's rows, so the pure rules can be walked like the real
 * thing: each command's effect on the state the rules read (gaps, answers, meeting…), as
 * src/reviews/effects writes it. Two questions and at most one open gap keep it finite.
 */
export const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 24 * 3600_000;
export const QUESTIONS = ['q1', 'q2'] as const;

/** The team as it works day to day: a reviewer who is also the application's architect, never an admin. */
export const TEAM = { id: 'U_TEAM', roles: new Set<Role>(['reviewer', 'architect']) };
const ENV = { now: NOW, rolesOf: () => new Set<Role>(['reviewer', 'architect']) };

export const initialStates = (): WorkflowState[] =>
  (['public', 'private'] as const).map((type) => ({
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
    approvedAt: null,
    access: null,
    track: trackFor(type),
    questionnaireSkipped: false,
    cycle: { number: 1, lastEndedAtStage: null, fastTracked: false },
    roleReview: null,
  }));

/** The commands worth trying in a state: one valid sample per kind of outcome. */
export function candidateCommands(s: WorkflowState): Command[] {
  const pending = pendingAnswers(s);
  const judgedGap = gapAnswers(s);
  const gap = s.openGaps[0];
  const meeting = { architectId: TEAM.id, startsAt: new Date(NOW.getTime() + DAY), durationMinutes: 60, agenda: 'a' };
  const denial = { denialText: 'We cannot grant the roles.', reason: { note: 'internal' } };
  const all: Command[] = [
    { type: 'claim' },
    {
      type: 'business_review',
      criteria: Object.fromEntries(s.track?.criteria.map((c) => [c, { pass: true }]) ?? []),
      decision: 'advance',
    } as Command,
    { type: 'reopen', reason: 'r' },
    { type: 'withdraw', reason: 'r' },
    ...(s.openGaps.length === 0
      ? [{ type: 'record_gap', area: 'network_protection', severity: 'high', description: 'd' } as Command]
      : []),
    ...(gap ? [{ type: 'resolve_gap', gapId: gap.id, resolution: 'r' } as Command] : []),
    { type: 'request_information', message: 'm' },
    { type: 'send_questionnaire', version: 'v1', questionIds: [...QUESTIONS] },
    // A reviewer pastes answers that came by e-mail: only those not given yet (a same answer changes nothing).
    ...(s.questionnaire && s.answers.length < QUESTIONS.length
      ? [
          {
            type: 'record_answers',
            answers: QUESTIONS.filter((q) => !s.answers.some((a) => a.questionId === q)).map((questionId) => ({
              questionId,
              answer: 'a',
            })),
          } as Command,
        ]
      : []),
    ...(pending.length + judgedGap.length > 0
      ? [
          {
            type: 'review_answers',
            reviews: [...pending, ...judgedGap].map((questionId) => ({ questionId, verdict: 'accept', resolveGap: true })),
          } as Command,
          ...(pending[0] && s.openGaps.length === 0
            ? [
                {
                  type: 'review_answers',
                  reviews: [
                    { questionId: pending[0], verdict: 'gap', area: 'network_protection', severity: 'high', description: 'd' },
                  ],
                } as Command,
              ]
            : []),
        ]
      : []),
    { type: 'pass_security' },
    { type: 'developer_replied', summary: 's', addresses: [] },
    { type: 'deny_security', ...denial },
    { type: 'skip_questionnaire', reason: 'r' },
    { type: 'schedule_review', ...meeting, outsideHoursConfirmed: true },
    { type: 'reschedule_review', ...meeting, outsideHoursConfirmed: true },
    { type: 'cancel_review', reason: 'r' },
    { type: 'record_outcome', outcome: 'approved', heldEarly: true },
    ...(s.openQuestions.length === 0
      ? [{ type: 'record_outcome', outcome: 'clarification', questions: ['q'], heldEarly: true } as Command]
      : []),
    { type: 'mark_answered', questionIds: [...s.openQuestions] },
    { type: 'record_go_live', productionSince: new Date(NOW.getTime() - DAY) },
    { type: 'record_restricted_call', at: NOW, operation: 'getOrderAddress' },
    { type: 'schedule_audit', auditor: 'Deloitte', scheduledFor: NOW },
    { type: 'record_audit_outcome', outcome: 'passed' },
    { type: 'record_audit_outcome', outcome: 'failed' },
    { type: 'suspend_access', reason: 'audit_failed', note: '' },
    { type: 'reinstate_access', note: '' },
    { type: 'revoke_access', note: 'n' },
    { type: 'record_audit_outcome', outcome: 'remediation', items: [{ text: 't', dueOn: NOW }] },
    ...s.openRemediation.map((itemId) => ({ type: 'close_remediation', itemId }) as Command),
    { type: 'deny_architecture', ...denial },
    { type: 'fast_track', reason: 'Stages passed in the last cycle.' },
    { type: 'ask_role_meeting', reason: 'A new data flow.' },
  ];
  return all;
}

let nextId = 100;
const id = () => {
  nextId += 1;
  return nextId;
};

/** What a command's effects write, on the model (src/reviews/effects/*). */
function effects(s: WorkflowState, c: Command): WorkflowState {
  switch (c.type) {
    case 'record_gap':
      return { ...s, openGaps: [...s.openGaps, { id: id(), area: c.area, severity: c.severity }] };
    case 'resolve_gap':
      return { ...s, openGaps: s.openGaps.filter((g) => g.id !== c.gapId) };
    case 'send_questionnaire':
      return { ...s, questionnaire: { version: c.version, questionIds: c.questionIds } };
    case 'skip_questionnaire':
      return { ...s, questionnaireSkipped: true };
    case 'record_answers':
      return {
        ...s,
        answers: answered(
          s,
          c.answers.map((a) => a.questionId),
        ),
      };
    case 'review_answers': {
      let answers = s.answers;
      let openGaps = s.openGaps;
      for (const r of c.reviews) {
        answers = answers.map((a) =>
          a.questionId === r.questionId ? { ...a, review: r.verdict === 'accept' ? 'accepted' : 'gap' } : a,
        );
        // The model's gaps carry no question id: a gap raised by an answer is the open one, resolved with it.
        if (r.verdict === 'gap') openGaps = [...openGaps, { id: id(), area: r.area, severity: r.severity }];
        else if (r.resolveGap) openGaps = [];
      }
      return { ...s, answers, openGaps };
    }
    case 'schedule_review':
    case 'reschedule_review':
      return { ...s, architectId: c.architectId, meeting: { status: 'scheduled', startsAt: c.startsAt } };
    case 'cancel_review':
      return s.meeting ? { ...s, meeting: { ...s.meeting, status: 'cancelled' } } : s;
    case 'record_outcome': {
      const meeting = s.meeting ? { ...s.meeting, status: 'held' as const } : null;
      if (c.outcome === 'approved')
        return { ...s, meeting, approvedAt: new Date(NOW.getTime() - 2 * DAY), access: s.access ?? 'active' };
      return { ...s, meeting, openQuestions: [...s.openQuestions, id()] };
    }
    case 'mark_answered':
      return { ...s, openQuestions: s.openQuestions.filter((q) => !c.questionIds.includes(q)) };
    case 'record_go_live':
      return { ...s, productionSince: c.productionSince };
    case 'schedule_audit':
      return { ...s, audit: { status: 'scheduled', scheduledFor: c.scheduledFor } };
    case 'record_audit_outcome':
      return c.outcome === 'remediation'
        ? { ...s, audit: { status: 'remediation' }, openRemediation: c.items.map(() => id()) }
        : { ...s, audit: { status: c.outcome } };
    case 'fast_track':
      return s.cycle ? { ...s, cycle: { ...s.cycle, fastTracked: true } } : s;
    case 'ask_role_meeting':
      return s.roleReview ? { ...s, roleReview: { stages: [...s.roleReview.stages, 'architecture'] } } : s;
    case 'record_restricted_call':
      return s.access === 'at_risk' ? { ...s, access: 'active' } : s;
    case 'suspend_access':
      return { ...s, access: 'suspended' };
    case 'reinstate_access':
      return { ...s, access: 'active' };
    case 'revoke_access': {
      // An audit under way ends with the access: cancelled, its open items closed.
      const inFlight = s.audit?.status === 'scheduled' || s.audit?.status === 'remediation';
      return { ...s, access: 'revoked', audit: inFlight ? { status: 'cancelled' } : s.audit, openRemediation: [] };
    }
    case 'close_remediation': {
      const openRemediation = s.openRemediation.filter((i) => i !== c.itemId);
      return { ...s, openRemediation, audit: openRemediation.length === 0 ? { status: 'passed' } : s.audit };
    }
    default:
      return s;
  }
}

/** Answers (re)given: new or changed ones wait for review again (storeAnswers). */
function answered(s: WorkflowState, ids: readonly string[]): WorkflowState['answers'] {
  const byId = new Map(s.answers.map((a) => [a.questionId, a]));
  for (const questionId of ids) {
    const before = byId.get(questionId);
    if (before?.review !== 'accepted') byId.set(questionId, { questionId, review: 'pending' });
  }
  return [...byId.values()].sort((x, y) => x.questionId.localeCompare(y.questionId));
}

/** An admin: holds every role, and alone may withdraw, reopen and assign. */
export const ADMIN = { id: 'U_ADMIN', roles: new Set<Role>(['admin']) };

/** A command applied through the rules (by the team unless said otherwise); undefined when refused. */
export function teamStep(
  s: WorkflowState,
  c: Command,
  actor: { id: string; roles: ReadonlySet<Role> } = TEAM,
): WorkflowState | undefined {
  const outcome = decide(s, c, actor, ENV);
  if (!outcome.ok) return undefined;
  const ends = (outcome.next.status === 'rejected' || outcome.next.status === 'withdrawn') && outcome.next.status !== s.status;
  return {
    ...effects(s, c),
    stage: outcome.next.stage,
    status: outcome.next.status,
    ...(outcome.assigneeId !== undefined ? { assigneeId: outcome.assigneeId } : {}),
    // Where the cycle ended (src/reviews/cycles.ts records it; a reopen goes on from there).
    ...(ends ? { rejectedAtStage: s.stage } : {}),
    // A role review that reaches `approved` (approved, denied or withdrawn) is over (src/reviews/decide.ts).
    ...(s.roleReview && outcome.next.stage === 'approved' ? { roleReview: null } : {}),
  };
}

const revokedAccess = (s: WorkflowState) => Boolean(s.approvedAt) && s.stage !== 'closed' && s.access === 'revoked';

/** A resubmission of a rejected, withdrawn or revoked application: a new cycle at Stage 1, a clean slate (src/reviews/cycles.ts). */
export function newCycle(s: WorkflowState): WorkflowState {
  const [fresh] = initialStates().filter((i) => i.track?.name === (s.track?.name ?? 'public'));
  if (!fresh) throw new Error('no initial state for the track');
  return {
    ...fresh,
    cycle: {
      number: (s.cycle?.number ?? 1) + 1,
      // A revoked cycle ended past every stage: nothing to fast-track to.
      lastEndedAtStage: revokedAccess(s) ? 'approved' : (s.rejectedAtStage ?? 'business'),
      fastTracked: false,
    },
  };
}

/** Intake adds a restricted role to an approved application: a role review at Stage 1, production life untouched. */
export function roleReviewStarted(s: WorkflowState): WorkflowState {
  return { ...s, stage: 'business', status: 'new', roleReview: { stages: ['business'] }, meeting: null };
}

/** What the developer can do on their own: resubmit the profile, and answer the questionnaire through intake. */
export function developerSteps(s: WorkflowState): { label: string; next: WorkflowState }[] {
  const steps: { label: string; next: WorkflowState }[] = [];
  if (s.status === 'rejected' || s.status === 'withdrawn' || revokedAccess(s))
    steps.push({ label: 'intake: resubmitted', next: newCycle(s) });
  else if (s.stage === 'approved' && !s.roleReview) steps.push({ label: 'intake: role added', next: roleReviewStarted(s) });
  const back = stateAfterResubmission(s);
  if (back.status !== s.status) steps.push({ label: 'intake: profile updated', next: { ...s, ...back } });
  if (s.stage === 'security' && s.questionnaire && (s.status === 'in_review' || s.status === 'waiting_on_developer')) {
    const answers = answered(s, s.questionnaire.questionIds);
    if (JSON.stringify(answers) !== JSON.stringify(s.answers))
      steps.push({ label: 'intake: questionnaire answered', next: { ...s, ...back, answers } });
  }
  return steps;
}

/** What time alone does (the reminder sweep): active access whose period ran out falls at risk. */
export function systemSteps(s: WorkflowState): { label: string; next: WorkflowState }[] {
  return hasProductionLife(s) && s.access === 'active'
    ? [{ label: 'sweep: no restricted call in the period', next: { ...s, access: 'at_risk' } }]
    : [];
}

/** A state's identity for the walk: ids and instants renumbered, so equal situations meet. */
export function key(s: WorkflowState): string {
  return JSON.stringify({
    stage: s.stage,
    status: s.status,
    assigned: s.assigneeId !== null,
    gaps: s.openGaps.length,
    questionnaire: s.questionnaire !== null,
    skipped: s.questionnaireSkipped ?? false,
    answers: s.answers.map((a) => `${a.questionId}:${a.review}`),
    architect: s.architectId !== null,
    meeting: s.meeting?.status ?? null,
    questions: s.openQuestions.length,
    live: s.productionSince !== null,
    audit: s.audit?.status ?? null,
    remediation: s.openRemediation.length,
    approved: s.approvedAt !== null && s.approvedAt !== undefined,
    access: s.access ?? null,
    track: s.track?.name ?? 'public',
    later: (s.cycle?.number ?? 1) > 1,
    lastEnded: s.cycle?.lastEndedAtStage ?? null,
    fastTracked: s.cycle?.fastTracked ?? false,
    ended: s.stage === 'closed' ? (s.rejectedAtStage ?? null) : null,
    roleReview: s.roleReview?.stages.join(',') ?? null,
  });
}
