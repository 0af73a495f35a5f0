import type { Policy } from '../config.ts';
import { addDaysUtc, calendarDaysBetweenUtc } from '../time.ts';

/**
 * Restricted access after approval, kept apart from stage and status so that a role review
 * (which moves stage and status back into review) leaves it as it is.
 */
export const ACCESS_STATUSES = ['active', 'at_risk', 'suspended', 'revoked'] as const;
export type AccessStatus = (typeof ACCESS_STATUSES)[number];

export const ACCESS_LABELS: Record<AccessStatus, string> = {
  active: 'Active',
  at_risk: 'At risk',
  suspended: 'Suspended',
  revoked: 'Revoked',
};

export const SUSPENSION_REASONS = [
  'no_restricted_call',
  'audit_failed',
  'incident_reported',
  'developer_request',
  'other',
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export const SUSPENSION_REASON_LABELS: Record<SuspensionReason, string> = {
  no_restricted_call: 'No restricted call',
  audit_failed: 'Audit failed',
  incident_reported: 'Incident reported',
  developer_request: 'Developer request',
  other: 'Other',
};

export const isSuspensionReason = (v: unknown): v is SuspensionReason =>
  typeof v === 'string' && (SUSPENSION_REASONS as readonly string[]).includes(v);

/** Why access is at risk: never called since approval, nor since an admin reinstated it, or the last call is too old. */
export type RiskCause = 'no_call_since_approval' | 'no_call_since_reinstatement' | 'inactive';

/** How a listing names the cause of a risk, after the access status. */
export const RISK_CAUSE_LABELS: Record<RiskCause, string> = {
  no_call_since_approval: 'no call since approval',
  no_call_since_reinstatement: 'no call since reinstated',
  inactive: 'no recent call',
};

/** What the access watch counts from: the approval, the last successful call, the last reinstatement. */
export type Watched = { approvedAt: Date; lastRestrictedCallAt: Date | null; reinstatedAt: Date | null };

/**
 * When access falls at risk without a further successful call, counted from the latest of the
 * approval, the last call and the last reinstatement: RESTRICTED_CALL_GRACE_DAYS after the
 * approval or the reinstatement while no call came since, else RESTRICTED_CALL_INACTIVITY_DAYS
 * after the last call. A reinstatement gives access back as an approval does: the period before
 * it (suspended) does not count against it, and a call shortly before it keeps its longer period.
 */
export function accessDeadline(
  app: Watched,
  policy: Pick<Policy, 'restrictedCallGraceDays' | 'restrictedCallInactivityDays'>,
): { at: Date; cause: RiskCause; periodDays: number } {
  const { approvedAt, lastRestrictedCallAt: lastCall, reinstatedAt } = app;
  const afterReinstatement =
    reinstatedAt && reinstatedAt > approvedAt && (!lastCall || lastCall < reinstatedAt)
      ? addDaysUtc(reinstatedAt, policy.restrictedCallGraceDays)
      : undefined;
  // A reinstatement never shortens the period a recent call already earned.
  if (afterReinstatement && !(lastCall && addDaysUtc(lastCall, policy.restrictedCallInactivityDays) > afterReinstatement))
    return { at: afterReinstatement, cause: 'no_call_since_reinstatement', periodDays: policy.restrictedCallGraceDays };
  return lastCall
    ? {
        at: addDaysUtc(lastCall, policy.restrictedCallInactivityDays),
        cause: 'inactive',
        periodDays: policy.restrictedCallInactivityDays,
      }
    : {
        at: addDaysUtc(approvedAt, policy.restrictedCallGraceDays),
        cause: 'no_call_since_approval',
        periodDays: policy.restrictedCallGraceDays,
      };
}

/** Whether access should be at risk at `now` (only active or at-risk access is watched). */
export function accessAtRisk(
  app: Watched,
  now: Date,
  policy: Pick<Policy, 'restrictedCallGraceDays' | 'restrictedCallInactivityDays'>,
): boolean {
  return now.getTime() >= accessDeadline(app, policy).at.getTime();
}

/**
 * The reminding period an at-risk application is in: 0 from the deadline, then one more for
 * each period (grace or inactivity days) it stays at risk. The reminder key carries it, so the
 * assignee is reminded once per period across sweeps and instances.
 */
export function riskPeriod(deadline: { at: Date; periodDays: number }, now: Date): number {
  return Math.floor(calendarDaysBetweenUtc(now, deadline.at) / deadline.periodDays);
}

/** The access status an approval starts with; what an application approved before access was tracked counts as. */
export const accessOf = (app: { accessStatus: string | null; approvedAt: Date | null }): AccessStatus | null =>
  (ACCESS_STATUSES as readonly string[]).includes(app.accessStatus ?? '')
    ? (app.accessStatus as AccessStatus)
    : app.approvedAt
      ? 'active'
      : null;

/**
 * What a successful restricted call changes that the team sees, judged before it is stored:
 * - `announce` (an event: a thread line, the card, a webhook): the first call since the approval,
 *   the first since a reinstatement, or one that makes at-risk access active again (`back`);
 * - `card` (the card redrawn, nothing posted, no event): a later call on a later UTC day than the
 *   last one, which is what the card shows of it ("last successful call" and that day);
 * - `none`: a call no newer than the last one recorded, or another on the same UTC day: stored,
 *   nothing shown changes.
 * `latest` is the last successful call once this one is counted.
 */
export type CallNotice = 'announce' | 'card' | 'none';

export function restrictedCallNotice(
  app: Watched & { access: AccessStatus | null },
  at: Date,
  now: Date,
  policy: Pick<Policy, 'restrictedCallGraceDays' | 'restrictedCallInactivityDays'>,
): { notice: CallNotice; latest: Date; back: boolean } {
  const last = app.lastRestrictedCallAt;
  if (last && at.getTime() <= last.getTime()) return { notice: 'none', latest: last, back: false };
  const back = app.access === 'at_risk' && !accessAtRisk({ ...app, lastRestrictedCallAt: at }, now, policy);
  const firstSinceReinstated = Boolean(app.reinstatedAt && (!last || last < app.reinstatedAt) && at >= app.reinstatedAt);
  if (back || !last || firstSinceReinstated) return { notice: 'announce', latest: at, back };
  return { notice: utcDay(at) > utcDay(last) ? 'card' : 'none', latest: at, back: false };
}

const utcDay = (d: Date) => Math.floor(d.getTime() / 86_400_000);
