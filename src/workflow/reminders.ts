import { addHours, differenceInMinutes } from 'date-fns';
import type { Policy } from '../config.ts';
import {
  addDaysUtc,
  businessDaysBetweenUtc,
  calendarDaysBetweenUtc,
  dayOverUtc,
  subBusinessDaysUtc,
  subDaysUtc,
} from '../time.ts';
import { accessDeadline, riskPeriod, type Watched } from './access.ts';

/** A reminder the sweep found due; its key makes it unique across instances and sweeps. */
export type DueReminder = {
  key: string;
  kind:
    | 'stale'
    | 'waiting'
    | 'meeting'
    | 'access_at_risk'
    | 'audit_tomorrow'
    | 'audit_outcome'
    | 'remediation_due'
    | 'digest'
    /** Claimed with the digest that lists it, never posted on its own: one digest line per eligibility. */
    | 'audit_eligible';
  applicationId: number | null;
  dueAt: Date;
  data: Record<string, unknown>;
};

const iso = (d: Date) => d.toISOString();

/** The earliest status_since still counted as stale or long-waiting now: the indexed bounds of the sweep's queries. */
export function sweepBounds(now: Date, policy: Policy) {
  const r = policy.reminders;
  return {
    staleBefore: subBusinessDaysUtc(now, r.staleBusinessDays),
    waitingBefore: subDaysUtc(now, r.waitingDays),
    meetingsUntil: addHours(now, Math.max(...r.meetingHours)),
    approvedBefore: subDaysUtc(now, policy.restrictedCallGraceDays),
    calledBefore: subDaysUtc(now, policy.restrictedCallInactivityDays),
    liveBefore: subDaysUtc(now, policy.auditAfterDays),
    /** Eligible for an audit within the last week: the digest's one line about it. */
    liveAfter: subDaysUtc(now, policy.auditAfterDays + ELIGIBLE_WEEK),
    auditsUntil: addDaysUtc(now, 1),
    /**
     * The digest's architecture reviews: from its own time until the next digest, a day later.
     * The team spans time zones, so no UTC calendar day is "today" for everyone.
     */
    digestMeetingsUntil: addHours(now, DIGEST_MEETING_HOURS),
  };
}

const DIGEST_MEETING_HOURS = 24;

/**
 * A stage left alone: reminded after N business days in the same status, and again every N.
 * Not while an architecture review is scheduled ahead: waiting for it is not stalling, and
 * the meeting reminders cover that time.
 */
export function staleReminder(
  app: { id: number; status: string; statusSince: Date; assigneeId: string | null; meetingAhead?: boolean },
  now: Date,
  policy: Policy,
): DueReminder | undefined {
  const days = businessDaysBetweenUtc(now, app.statusSince);
  const every = policy.reminders.staleBusinessDays;
  if (app.status === 'waiting_on_developer' || app.meetingAhead || days < every) return undefined;
  const round = Math.floor(days / every);
  return {
    key: `stale:${app.id}:${iso(app.statusSince)}:${round}`,
    kind: 'stale',
    applicationId: app.id,
    dueAt: now,
    data: { businessDays: days, since: iso(app.statusSince), assigneeId: app.assigneeId },
  };
}

export function waitingReminder(
  app: { id: number; status: string; statusSince: Date; assigneeId: string | null },
  now: Date,
  policy: Policy,
): DueReminder | undefined {
  const days = calendarDaysBetweenUtc(now, app.statusSince);
  const every = policy.reminders.waitingDays;
  if (app.status !== 'waiting_on_developer' || days < every) return undefined;
  const round = Math.floor(days / every);
  return {
    key: `waiting:${app.id}:${iso(app.statusSince)}:${round}`,
    kind: 'waiting',
    applicationId: app.id,
    dueAt: now,
    data: { days, since: iso(app.statusSince), assigneeId: app.assigneeId },
  };
}

/** The closest reminder point not yet passed: 24 h before, then 1 h before (each once per meeting version). */
export function meetingReminder(
  m: { id: number; applicationId: number; startsAt: Date; sequence: number; architectId: string; assigneeId: string | null },
  now: Date,
  policy: Policy,
): DueReminder | undefined {
  const minutesLeft = differenceInMinutes(m.startsAt, now);
  if (minutesLeft < 0) return undefined;
  const hours = [...policy.reminders.meetingHours].sort((a, b) => a - b).find((h) => minutesLeft <= h * 60);
  if (hours === undefined) return undefined;
  return {
    key: `meeting:${m.id}:${m.sequence}:${hours}h`,
    kind: 'meeting',
    applicationId: m.applicationId,
    dueAt: now,
    data: { meetingId: m.id, hours, startsAt: iso(m.startsAt), architectId: m.architectId, assigneeId: m.assigneeId },
  };
}

/**
 * Access at risk (no successful call within the grace period of approval or of a reinstatement,
 * or none for the inactivity period since the last one): the assignee is reminded once per
 * period while it lasts.
 */
export function atRiskReminder(
  app: Watched & { id: number; assigneeId: string | null },
  now: Date,
  policy: Policy,
): DueReminder | undefined {
  const deadline = accessDeadline(app, policy);
  if (now < deadline.at) return undefined;
  const period = riskPeriod(deadline, now);
  return {
    key: `access_at_risk:${app.id}:${iso(deadline.at)}:${period}`,
    kind: 'access_at_risk',
    applicationId: app.id,
    dueAt: deadline.at,
    data: {
      cause: deadline.cause,
      since: iso(deadline.at),
      ...(app.lastRestrictedCallAt ? { lastCallAt: iso(app.lastRestrictedCallAt) } : {}),
      assigneeId: app.assigneeId,
    },
  };
}

const ELIGIBLE_WEEK = 7;

/**
 * An application becomes eligible for an audit AUDIT_AFTER_DAYS after go-live. Nothing is
 * overdue then: one line in a digest of the week it became eligible, claimed by this key.
 */
export function auditEligibleMarker(
  app: { id: number; productionSince: Date },
  now: Date,
  policy: Policy,
): DueReminder | undefined {
  const since = addDaysUtc(app.productionSince, policy.auditAfterDays);
  if (now < since || calendarDaysBetweenUtc(now, since) >= ELIGIBLE_WEEK) return undefined;
  return {
    key: `audit_eligible:${app.id}:${iso(app.productionSince)}`,
    kind: 'audit_eligible',
    applicationId: app.id,
    dueAt: since,
    data: { eligibleSince: iso(since) },
  };
}

/** A scheduled audit whose day is over without an outcome: reminded the day after, then weekly. */
export function auditOutcomeReminder(
  a: { id: number; applicationId: number; scheduledFor: Date; auditor: string; assigneeId: string | null },
  now: Date,
): DueReminder | undefined {
  // An audit is dated by day, and on that day it may still be under way: its outcome is awaited once the day is over.
  const over = dayOverUtc(a.scheduledFor);
  if (now < over) return undefined;
  const week = Math.floor(calendarDaysBetweenUtc(now, over) / 7);
  return {
    key: `audit_outcome:${a.id}:${iso(a.scheduledFor)}:${week}`,
    kind: 'audit_outcome',
    applicationId: a.applicationId,
    dueAt: over,
    data: { scheduledFor: iso(a.scheduledFor), auditor: a.auditor, assigneeId: a.assigneeId },
  };
}

export function auditTomorrowReminder(
  a: { id: number; applicationId: number; scheduledFor: Date; auditor: string; assigneeId: string | null },
  now: Date,
): DueReminder | undefined {
  const hours = differenceInMinutes(a.scheduledFor, now) / 60;
  if (hours < 0 || hours > 24) return undefined;
  return {
    key: `audit_tomorrow:${a.id}:${iso(a.scheduledFor)}`,
    kind: 'audit_tomorrow',
    applicationId: a.applicationId,
    dueAt: now,
    data: { scheduledFor: iso(a.scheduledFor), auditor: a.auditor, assigneeId: a.assigneeId },
  };
}

/** A remediation item reminded on its due date, then weekly while it stays open. */
export function remediationReminder(
  item: { id: number; applicationId: number; text: string; dueOn: Date; assigneeId: string | null },
  now: Date,
): DueReminder | undefined {
  if (now < item.dueOn) return undefined;
  const week = Math.floor(calendarDaysBetweenUtc(now, item.dueOn) / 7);
  return {
    key: `remediation_due:${item.id}:${iso(item.dueOn)}:${week}`,
    kind: 'remediation_due',
    applicationId: item.applicationId,
    dueAt: item.dueOn,
    data: { itemId: item.id, text: item.text, dueOn: iso(item.dueOn), week, assigneeId: item.assigneeId },
  };
}

/**
 * The digest's overdue remediation: one entry per application (an audit may ask for many items),
 * with how many of its open items are past due and the oldest due date, oldest first.
 */
export function overdueRemediationByApplication(
  items: readonly { applicationId: number; org: string; dueOn: Date }[],
  now: Date,
): { id: number; org: string; overdue: number; oldestDueOn: Date }[] {
  const byApp = new Map<number, { id: number; org: string; overdue: number; oldestDueOn: Date }>();
  for (const i of items) {
    if (now < dayOverUtc(i.dueOn)) continue;
    const seen = byApp.get(i.applicationId);
    if (!seen) byApp.set(i.applicationId, { id: i.applicationId, org: i.org, overdue: 1, oldestDueOn: i.dueOn });
    else {
      seen.overdue += 1;
      if (i.dueOn < seen.oldestDueOn) seen.oldestDueOn = i.dueOn;
    }
  }
  return [...byApp.values()].sort((a, b) => a.oldestDueOn.getTime() - b.oldestDueOn.getTime());
}

/** Who a reminder mentions when nobody is assigned: the reviewer group, else every reviewer. */
export type Audience = { groupId: string } | { userIds: readonly string[] };

export function unassignedAudience(policy: Policy, reviewers: readonly string[]): Audience {
  return policy.reminders.reviewerGroupId ? { groupId: policy.reminders.reviewerGroupId } : { userIds: reviewers };
}

/**
 * A reminder of an application nobody owns names its audience, recorded with it: the one
 * application nobody owns is the one nobody would otherwise be told about.
 */
export function withAudience(reminder: DueReminder, audience: Audience): DueReminder {
  if (
    reminder.applicationId === null ||
    reminder.kind === 'meeting' ||
    reminder.kind === 'audit_eligible' ||
    reminder.data.assigneeId
  )
    return reminder;
  return { ...reminder, data: { ...reminder.data, audience } };
}

/** One digest a day in the review channel, from DIGEST_HOUR_UTC on. */
export function digestKey(now: Date, policy: Policy): string | undefined {
  if (now.getUTCHours() < policy.reminders.digestHourUtc) return undefined;
  return `digest:${iso(now).slice(0, 10)}`;
}
