import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { fastTrackTarget, nextInRoleReview, roleChanges } from '../../../src/workflow/cycles.ts';
import { hasProductionLife } from '../../../src/workflow/late.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import { availableCommands, decide, type WorkflowState } from '../../../src/workflow/rules.ts';

const APPROVED_AT = new Date('2026-01-10T12:00:00Z');
const NOW = new Date('2026-03-02T09:00:00Z');
const ENV = { now: NOW, rolesOf: () => new Set<Role>(['reviewer']) };
const reviewer = { id: 'U_REV', roles: new Set<Role>(['reviewer']) };
const architect = { id: 'U_ARCH', roles: new Set<Role>(['architect']) };

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
  ...overrides,
});
const cycle2 = (lastEndedAtStage: WorkflowState['stage'] | null, fastTracked = false) =>
  state({ cycle: { number: 2, lastEndedAtStage, fastTracked } });
const inRoleReview = (overrides: Partial<WorkflowState> = {}) =>
  state({ approvedAt: APPROVED_AT, productionSince: APPROVED_AT, roleReview: { stages: ['business'] }, ...overrides });
const ALL_PASS = {
  use_case: { pass: true },
  launch_readiness: { pass: true },
  public_website: { pass: true },
  geographies: { pass: true },
  differentiation: { pass: true },
} as const;

describe('review cycles', () => {
  it.each([
    ['security', { stage: 'security', status: 'in_review' }],
    ['architecture', { stage: 'architecture', status: 'new' }],
  ] as const)('fast-tracks a new cycle to %s, where the last one ended, with a reason', (to, next) => {
    const s = cycle2(to);
    expect(fastTrackTarget(s)).toBe(to);
    expect(availableCommands(s)).toContain('fast_track');
    expect(decide(s, { type: 'fast_track', reason: 'Nothing Stage 1 judged has changed.' }, reviewer, ENV)).toEqual({
      ok: true,
      next,
      assigneeId: 'U_REV',
    });
  });

  it('refuses a fast-track without a reason, under the reason field', () => {
    expect(decide(cycle2('security'), { type: 'fast_track', reason: '  ' }, reviewer, ENV)).toEqual({
      ok: false,
      kind: 'guard',
      message: 'Say why this cycle skips the stages already passed.',
      field: 'reason',
    });
  });

  it('refuses a fast-track to an architect, with the role named', () => {
    const refusal = decide(cycle2('security'), { type: 'fast_track', reason: 'r' }, architect, ENV);
    expect(refusal).toMatchObject({ ok: false, kind: 'role', message: expect.stringContaining('Only a reviewer or an admin') });
  });

  it.each([
    ['cycle 1', state()],
    ['a cycle whose last one ended in Stage 1', cycle2('business')],
    ['a cycle already fast-tracked', cycle2('security', true)],
    ['a cycle past Stage 1', { ...cycle2('architecture'), stage: 'security', status: 'in_review' } as WorkflowState],
    ['a role review', { ...cycle2('security'), approvedAt: APPROVED_AT, roleReview: { stages: ['business'] } } as WorkflowState],
  ])('offers no fast-track in %s', (_name, s) => {
    expect(availableCommands(s)).not.toContain('fast_track');
    expect(decide(s, { type: 'fast_track', reason: 'r' }, reviewer, ENV)).toMatchObject({ ok: false, kind: 'state' });
  });
});

describe('role reviews', () => {
  it('goes through the configured stages, then approves every role', () => {
    const one = inRoleReview();
    expect(nextInRoleReview(one, 'business')).toEqual({ stage: 'approved', status: 'approved' });
    const all = inRoleReview({ roleReview: { stages: ['business', 'security', 'architecture'] } });
    expect(nextInRoleReview(all, 'business')).toEqual({ stage: 'security', status: 'in_review' });
    expect(nextInRoleReview(all, 'security')).toEqual({ stage: 'architecture', status: 'new' });
    const meeting = inRoleReview({ roleReview: { stages: ['business', 'architecture'] } });
    expect(nextInRoleReview(meeting, 'business')).toEqual({ stage: 'architecture', status: 'new' });
  });

  it('passes Stage 1 of a role review straight to approved by default, and a denial leaves it approved', () => {
    const s = inRoleReview({ status: 'in_review', assigneeId: 'U_REV' });
    expect(decide(s, { type: 'business_review', criteria: ALL_PASS, decision: 'advance' }, reviewer, ENV)).toMatchObject({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
    const denied = decide(
      s,
      {
        type: 'business_review',
        criteria: { ...ALL_PASS, use_case: { pass: false } },
        decision: 'reject',
        denialText: 'We cannot grant the added role.',
      },
      reviewer,
      ENV,
    );
    expect(denied).toMatchObject({ ok: true, next: { stage: 'approved', status: 'approved' } });
  });

  it('denies at Stage 2 or 3 of a role review back to approved, never rejected', () => {
    const denial = { denialText: 'No.', reason: { note: 'internal' } };
    const two = inRoleReview({ stage: 'security', status: 'in_review', roleReview: { stages: ['business', 'security'] } });
    expect(decide(two, { type: 'deny_security', ...denial }, reviewer, ENV)).toMatchObject({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
    const three = inRoleReview({ stage: 'architecture', status: 'in_review', architectId: 'U_ARCH' });
    expect(decide(three, { type: 'deny_architecture', ...denial }, architect, ENV)).toMatchObject({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
  });

  it('keeps the production life going during a role review', () => {
    const s = inRoleReview();
    expect(hasProductionLife(s)).toBe(true);
    expect(availableCommands(s)).toEqual(
      expect.arrayContaining(['record_go_live', 'record_restricted_call', 'schedule_audit', 'ask_role_meeting']),
    );
    expect(hasProductionLife(state({ approvedAt: APPROVED_AT, stage: 'closed', status: 'rejected' }))).toBe(false);
    expect(hasProductionLife(state())).toBe(false);
  });

  it('asks for a Stage 3 meeting once, with a reason', () => {
    const s = inRoleReview({ status: 'in_review' });
    expect(decide(s, { type: 'ask_role_meeting', reason: ' ' }, reviewer, ENV)).toMatchObject({ ok: false, field: 'reason' });
    expect(decide(s, { type: 'ask_role_meeting', reason: 'New data flow.' }, reviewer, ENV)).toMatchObject({ ok: true });
    const asked = inRoleReview({ roleReview: { stages: ['business', 'architecture'] } });
    expect(availableCommands(asked)).not.toContain('ask_role_meeting');
    expect(availableCommands(state())).not.toContain('ask_role_meeting');
  });
});

describe('role changes through intake', () => {
  const base = {
    approved: ['Direct-to-Consumer Shipping'],
    underReview: [] as string[],
    denied: [] as string[],
    previousRoles: ['Direct-to-Consumer Shipping', 'Pricing'],
  };

  it('finds an added restricted role; unrestricted roles need no review', () => {
    expect(
      roleChanges({
        ...base,
        nextRestricted: ['Direct-to-Consumer Shipping', 'Tax Remittance'],
        nextRoles: ['Direct-to-Consumer Shipping', 'Pricing', 'Tax Remittance', 'Brand Analytics'],
      }),
    ).toEqual({ added: ['Tax Remittance'], removed: [] });
  });

  it('records a dropped role as removed, with no review', () => {
    expect(roleChanges({ ...base, nextRestricted: [], nextRoles: ['Pricing'] })).toEqual({
      added: [],
      removed: ['Direct-to-Consumer Shipping'],
    });
  });

  it('does not review a denied role again while it stays listed; dropped and sent again, it is', () => {
    const denied = { ...base, denied: ['Tax Remittance'] };
    const listed = ['Direct-to-Consumer Shipping', 'Tax Remittance'];
    expect(roleChanges({ ...denied, previousRoles: listed, nextRestricted: listed, nextRoles: listed })).toEqual({
      added: [],
      removed: [],
    });
    expect(
      roleChanges({ ...denied, previousRoles: ['Direct-to-Consumer Shipping'], nextRestricted: listed, nextRoles: listed }),
    ).toEqual({ added: ['Tax Remittance'], removed: [] });
  });
});

describe('ROLE_REVIEW_STAGES', () => {
  const env = (value?: string) => ({ ...(value === undefined ? {} : { ROLE_REVIEW_STAGES: value }) });
  it('defaults to Stage 1 only', () => {
    expect(loadConfig(env()).policy.roleReviewStages).toEqual(['business']);
  });
  it('takes stages starting with business', () => {
    expect(loadConfig(env('business, security,architecture')).policy.roleReviewStages).toEqual([
      'business',
      'security',
      'architecture',
    ]);
  });
  it.each(['security', 'business,business', 'business,legal'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig(env(value))).toThrow(/ROLE_REVIEW_STAGES/);
  });
});
