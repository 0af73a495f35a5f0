import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { accessAtRisk, accessDeadline, accessOf, restrictedCallNotice, riskPeriod } from '../../../src/workflow/access.ts';
import { FINAL_BY_DESIGN } from '../../../src/workflow/book.ts';
import { hasProductionLife } from '../../../src/workflow/late.ts';
import {
  atRiskReminder,
  auditEligibleMarker,
  auditOutcomeReminder,
  remediationReminder,
} from '../../../src/workflow/reminders.ts';
import type { Role } from '../../../src/workflow/roles.ts';
import { availableCommands, decide, type WorkflowState } from '../../../src/workflow/rules.ts';

const policy = loadConfig({}).policy;
const at = (iso: string) => new Date(iso);
const APPROVED = at('2026-03-02T10:00:00Z');
const ENV = { now: at('2026-06-01T10:00:00Z'), rolesOf: () => new Set<Role>() };
const admin = { id: 'U_ADMIN', roles: new Set<Role>(['admin']) };
const reviewer = { id: 'U_REV', roles: new Set<Role>(['reviewer']) };

const live = (overrides: Partial<WorkflowState> = {}): WorkflowState => ({
  stage: 'approved',
  status: 'approved',
  assigneeId: 'U_REV',
  openGaps: [],
  questionnaire: null,
  answers: [],
  architectId: null,
  meeting: null,
  openQuestions: [],
  productionSince: at('2026-03-05T00:00:00Z'),
  audit: null,
  openRemediation: [],
  approvedAt: APPROVED,
  access: 'active',
  ...overrides,
});

describe('what a reported restricted call shows the team', () => {
  const NOW = at('2026-03-20T12:00:00Z');
  const watched = (last: string | null, overrides: Partial<Parameters<typeof restrictedCallNotice>[0]> = {}) => ({
    approvedAt: APPROVED,
    lastRestrictedCallAt: last ? at(last) : null,
    reinstatedAt: null,
    access: 'active' as const,
    ...overrides,
  });
  const notice = (app: Parameters<typeof restrictedCallNotice>[0], call: string) =>
    restrictedCallNotice(app, at(call), NOW, policy).notice;

  it('announces the first call since the approval or a reinstatement, and access back from at risk', () => {
    expect(notice(watched(null), '2026-03-03T00:00:00Z')).toBe('announce');
    const reinstated = watched('2026-03-05T09:00:00Z', { reinstatedAt: at('2026-03-15T00:00:00Z') });
    expect(notice(reinstated, '2026-03-16T00:00:00Z')).toBe('announce');
    // A call before the reinstatement is not the first after it.
    expect(notice(reinstated, '2026-03-14T00:00:00Z')).toBe('card');
    const atRisk = watched(null, { access: 'at_risk' });
    expect(restrictedCallNotice(atRisk, at('2026-03-19T00:00:00Z'), NOW, policy)).toMatchObject({
      notice: 'announce',
      back: true,
    });
  });

  it('redraws the card for a later day, and shows nothing of a call on the same day or no newer', () => {
    const app = watched('2026-03-10T09:00:00Z');
    expect(notice(app, '2026-03-11T00:00:00Z')).toBe('card');
    expect(notice(app, '2026-03-10T23:59:59Z')).toBe('none');
    expect(notice(app, '2026-03-10T09:00:00Z')).toBe('none');
    expect(restrictedCallNotice(app, at('2026-03-09T00:00:00Z'), NOW, policy)).toEqual({
      notice: 'none',
      latest: at('2026-03-10T09:00:00Z'),
      back: false,
    });
  });
});

describe('when access falls at risk', () => {
  it('is RESTRICTED_CALL_GRACE_DAYS after approval without a call, then RESTRICTED_CALL_INACTIVITY_DAYS after the last one', () => {
    expect(policy.restrictedCallInactivityDays).toBe(90);
    expect(accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: null, reinstatedAt: null }, policy)).toEqual({
      at: at('2026-04-01T10:00:00Z'),
      cause: 'no_call_since_approval',
      periodDays: 30,
    });
    expect(
      accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: at('2026-03-10T00:00:00Z'), reinstatedAt: null }, policy),
    ).toEqual({
      at: at('2026-06-08T00:00:00Z'),
      cause: 'inactive',
      periodDays: 90,
    });
    const app = { approvedAt: APPROVED, lastRestrictedCallAt: at('2026-03-10T00:00:00Z'), reinstatedAt: null };
    expect(accessAtRisk(app, at('2026-06-07T23:59:59Z'), policy)).toBe(false);
    expect(accessAtRisk(app, at('2026-06-08T00:00:00Z'), policy)).toBe(true);
  });

  it('counts the grace period again from a reinstatement until the next call', () => {
    const reinstatedAt = at('2026-05-10T08:00:00Z');
    const sinceReinstatement = { at: at('2026-06-09T08:00:00Z'), cause: 'no_call_since_reinstatement', periodDays: 30 };
    // Never called, or last called before the suspension: the time suspended does not count.
    expect(accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: null, reinstatedAt }, policy)).toEqual(
      sinceReinstatement,
    );
    expect(
      accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: at('2026-03-10T00:00:00Z'), reinstatedAt }, policy),
    ).toEqual(sinceReinstatement);
    // A call shortly before the suspension: its inactivity period, longer, stands.
    expect(
      accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: at('2026-05-01T00:00:00Z'), reinstatedAt }, policy),
    ).toEqual({ at: at('2026-07-30T00:00:00Z'), cause: 'inactive', periodDays: 90 });
    // A call since the reinstatement: the inactivity period runs from it, as before.
    expect(
      accessDeadline({ approvedAt: APPROVED, lastRestrictedCallAt: at('2026-05-12T00:00:00Z'), reinstatedAt }, policy),
    ).toEqual({ at: at('2026-08-10T00:00:00Z'), cause: 'inactive', periodDays: 90 });
    const app = { approvedAt: APPROVED, lastRestrictedCallAt: null, reinstatedAt };
    expect(accessAtRisk(app, at('2026-05-10T08:01:00Z'), policy)).toBe(false);
    expect(accessAtRisk(app, at('2026-06-09T07:59:59Z'), policy)).toBe(false);
    expect(accessAtRisk(app, at('2026-06-09T08:00:00Z'), policy)).toBe(true);
  });

  it('counts reminding periods from the deadline', () => {
    const deadline = { at: at('2026-06-08T00:00:00Z'), periodDays: 90 };
    expect(riskPeriod(deadline, at('2026-06-08T00:00:00Z'))).toBe(0);
    expect(riskPeriod(deadline, at('2026-09-05T00:00:00Z'))).toBe(0);
    expect(riskPeriod(deadline, at('2026-09-06T00:00:00Z'))).toBe(1);
  });

  it('reads access approved before it was tracked as active, and nothing before approval', () => {
    expect(accessOf({ accessStatus: null, approvedAt: APPROVED })).toBe('active');
    expect(accessOf({ accessStatus: null, approvedAt: null })).toBeNull();
    expect(accessOf({ accessStatus: 'suspended', approvedAt: APPROVED })).toBe('suspended');
  });
});

describe('reminders of access and audits', () => {
  const app = { id: 7, approvedAt: APPROVED, lastRestrictedCallAt: null, reinstatedAt: null, assigneeId: 'U_REV' };

  it('reminds access at risk once per period: the key holds the deadline and the period', () => {
    expect(atRiskReminder(app, at('2026-04-01T09:59:00Z'), policy)).toBeUndefined();
    const first = atRiskReminder(app, at('2026-04-01T10:00:00Z'), policy);
    expect(first).toMatchObject({ kind: 'access_at_risk', key: 'access_at_risk:7:2026-04-01T10:00:00.000Z:0' });
    expect(atRiskReminder(app, at('2026-04-30T10:00:00Z'), policy)?.key).toBe(first?.key);
    expect(atRiskReminder(app, at('2026-05-01T10:00:00Z'), policy)?.key).toBe('access_at_risk:7:2026-04-01T10:00:00.000Z:1');
  });

  it('reminds reinstated access once its own grace period ran out, saying why', () => {
    const reinstated = { ...app, reinstatedAt: at('2026-05-10T08:00:00Z') };
    expect(atRiskReminder(reinstated, at('2026-05-10T08:01:00Z'), policy)).toBeUndefined();
    expect(atRiskReminder(reinstated, at('2026-06-09T08:00:00Z'), policy)).toMatchObject({
      key: 'access_at_risk:7:2026-06-09T08:00:00.000Z:0',
      data: { cause: 'no_call_since_reinstatement', since: '2026-06-09T08:00:00.000Z' },
    });
  });

  it('marks eligibility once, only in the week it begins', () => {
    const liveApp = { id: 7, productionSince: at('2026-03-03T00:00:00Z') };
    expect(auditEligibleMarker(liveApp, at('2026-05-31T23:00:00Z'), policy)).toBeUndefined();
    expect(auditEligibleMarker(liveApp, at('2026-06-01T08:00:00Z'), policy)).toMatchObject({
      kind: 'audit_eligible',
      key: 'audit_eligible:7:2026-03-03T00:00:00.000Z',
    });
    expect(auditEligibleMarker(liveApp, at('2026-06-08T08:00:00Z'), policy)).toBeUndefined();
  });

  it('reminds an audit once its day is over without an outcome, then weekly', () => {
    const audit = { id: 3, applicationId: 7, scheduledFor: at('2026-06-20T00:00:00Z'), auditor: 'PwC', assigneeId: null };
    expect(auditOutcomeReminder(audit, at('2026-06-19T23:00:00Z'))).toBeUndefined();
    // On the audit's own day it may still be under way: nothing is missing yet.
    expect(auditOutcomeReminder(audit, at('2026-06-20T00:00:00Z'))).toBeUndefined();
    expect(auditOutcomeReminder(audit, at('2026-06-20T23:59:00Z'))).toBeUndefined();
    expect(auditOutcomeReminder(audit, at('2026-06-21T00:00:00Z'))).toMatchObject({
      key: 'audit_outcome:3:2026-06-20T00:00:00.000Z:0',
      dueAt: at('2026-06-21T00:00:00Z'),
    });
    expect(auditOutcomeReminder(audit, at('2026-06-27T10:00:00Z'))?.key).toBe('audit_outcome:3:2026-06-20T00:00:00.000Z:0');
    expect(auditOutcomeReminder(audit, at('2026-06-28T10:00:00Z'))?.key).toBe('audit_outcome:3:2026-06-20T00:00:00.000Z:1');
  });

  it('reminds a remediation item when due and weekly while overdue', () => {
    const item = { id: 4, applicationId: 7, text: 't', dueOn: at('2026-07-01T00:00:00Z'), assigneeId: null };
    expect(remediationReminder(item, at('2026-06-30T00:00:00Z'))).toBeUndefined();
    expect(remediationReminder(item, at('2026-07-01T00:00:00Z'))?.key).toBe('remediation_due:4:2026-07-01T00:00:00.000Z:0');
    expect(remediationReminder(item, at('2026-07-08T00:00:00Z'))?.key).toBe('remediation_due:4:2026-07-01T00:00:00.000Z:1');
  });
});

describe('access commands', () => {
  it('suspends active or at-risk access (admins only), with a note when the reason is Other', () => {
    const suspend = { type: 'suspend_access', reason: 'other', note: '' } as const;
    expect(decide(live(), suspend, reviewer, ENV)).toMatchObject({ ok: false, kind: 'role' });
    expect(decide(live(), suspend, admin, ENV)).toEqual({
      ok: false,
      kind: 'guard',
      message: 'Say why access is suspended (the reason is Other).',
      field: 'note',
    });
    for (const access of ['active', 'at_risk'] as const)
      expect(decide(live({ access }), { ...suspend, note: 'n' }, admin, ENV)).toMatchObject({ ok: true });
    expect(decide(live({ access: 'suspended' }), { ...suspend, note: 'n' }, admin, ENV)).toMatchObject({
      ok: false,
      kind: 'state',
    });
  });

  it('reinstates only suspended access, and keeps stage and status as they are', () => {
    expect(decide(live({ access: 'suspended' }), { type: 'reinstate_access', note: '' }, admin, ENV)).toEqual({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
    expect(decide(live(), { type: 'reinstate_access', note: '' }, admin, ENV)).toMatchObject({
      ok: false,
      message: 'Only suspended access can be reinstated.',
    });
  });

  it('revokes with a note; revoked is final by design, with nothing left to do', () => {
    expect(decide(live(), { type: 'revoke_access', note: ' ' }, admin, ENV)).toMatchObject({ ok: false, field: 'note' });
    const revoked = live({ access: 'revoked' });
    expect(availableCommands(revoked)).toEqual([]);
    expect(FINAL_BY_DESIGN.find((f) => f.name === 'access revoked')?.holds(revoked)).toBe(true);
  });

  it('refuses an audit outcome or a closed remediation item on revoked access, as over for this cycle', () => {
    const over = { ok: false, kind: 'state', message: 'Access is revoked: auditing is over for this cycle.' };
    // Even with an audit left in flight (revoked before revocations ended it), nothing of it is recorded any more.
    const scheduled = live({ access: 'revoked', audit: { status: 'scheduled', scheduledFor: at('2026-05-01T00:00:00Z') } });
    const inRemediation = live({ access: 'revoked', audit: { status: 'remediation' }, openRemediation: [31] });
    expect(decide(scheduled, { type: 'record_audit_outcome', outcome: 'passed' }, reviewer, ENV)).toEqual(over);
    expect(decide(inRemediation, { type: 'close_remediation', itemId: 31 }, admin, ENV)).toEqual(over);
    expect(availableCommands(scheduled)).toEqual([]);
    expect(availableCommands(inRemediation)).toEqual([]);
    // A cancelled audit asks for nothing, in the revoked cycle or once a later one is approved.
    expect(availableCommands(live({ access: 'revoked', audit: { status: 'cancelled' } }))).toEqual([]);
    expect(availableCommands(live({ audit: { status: 'cancelled' } }))).toContain('schedule_audit');
  });

  it('ends a role review under way when access is revoked: back to approved, nothing left to decide', () => {
    const inRoleReview = live({ stage: 'security', status: 'in_review', roleReview: { stages: ['business', 'security'] } });
    expect(decide(inRoleReview, { type: 'revoke_access', note: 'Incidents.' }, admin, ENV)).toEqual({
      ok: true,
      next: { stage: 'approved', status: 'approved' },
    });
    // Suspension is not the end: the role review goes on while access is suspended.
    expect(decide(inRoleReview, { type: 'suspend_access', reason: 'incident_reported', note: '' }, admin, ENV)).toEqual({
      ok: true,
      next: { stage: 'security', status: 'in_review' },
    });
  });

  it('keeps the production life while a role review moves stage and status back into review', () => {
    const inRoleReview = live({ stage: 'business', status: 'in_review' });
    expect(hasProductionLife(inRoleReview)).toBe(true);
    expect(availableCommands(inRoleReview)).toEqual(expect.arrayContaining(['record_restricted_call', 'suspend_access']));
    expect(hasProductionLife(live({ stage: 'closed', status: 'withdrawn' }))).toBe(false);
    expect(hasProductionLife(live({ approvedAt: null }))).toBe(false);
  });

  it('records a failed audit, after which a new audit may be scheduled', () => {
    const scheduled = live({ audit: { status: 'scheduled', scheduledFor: at('2026-05-01T00:00:00Z') } });
    expect(decide(scheduled, { type: 'record_audit_outcome', outcome: 'failed' }, reviewer, ENV)).toMatchObject({ ok: true });
    expect(availableCommands(live({ audit: { status: 'failed' } }))).toContain('schedule_audit');
  });
});
