import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications, audits, meetings, outbox, remediationItems, reminders } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import { accessNotRevoked } from '../dashboard/items.ts';
import { recordRemindersClaimed } from '../metrics.ts';
import { markAtRisk } from '../reviews/access-watch.ts';
import { dayOverUtc } from '../time.ts';
import { accessAtRisk, accessDeadline } from '../workflow/access.ts';
import {
  atRiskReminder,
  auditEligibleMarker,
  auditOutcomeReminder,
  auditTomorrowReminder,
  type DueReminder,
  digestKey,
  meetingReminder,
  overdueRemediationByApplication,
  remediationReminder,
  staleReminder,
  sweepBounds,
  unassignedAudience,
  waitingReminder,
  withAudience,
} from '../workflow/reminders.ts';

export type SweepResult = {
  at: Date;
  dryRun: boolean;
  due: DueReminder[];
  claimed: DueReminder[];
  /** The outbox effects the claims queued (posts and card redraws): what reaching Slack means for this sweep. */
  effects: number[];
  /** Applications the sweep changed (access fallen at risk); none on a dry run. */
  changed: number[];
};

/** Per-list cap of the digest: it summarises, the threads carry the detail. */
const DIGEST_LIST = 15;

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/**
 * Finds every reminder due at `now` with indexed range queries (the cost follows what is due,
 * not the table size), then claims each by its key and queues its Slack post in the same
 * transaction: any number of instances post each reminder exactly once, and a crash after
 * the claim leaves the post in the outbox, retried rather than lost.
 */
export async function sweepReminders(
  deps: { db: Db; policy: Policy; clock: Clock; roles?: Roles },
  now: Date,
  options: { dryRun?: boolean } = {},
): Promise<SweepResult> {
  const { db, policy } = deps;
  const b = sweepBounds(now, policy);
  const openStatuses = ['new', 'in_review', 'waiting_on_developer'];
  const watched = {
    id: applications.id,
    approvedAt: applications.approvedAt,
    lastRestrictedCallAt: applications.lastRestrictedCallAt,
    reinstatedAt: applications.accessReinstatedAt,
    assigneeId: applications.assigneeId,
    org: applications.organizationName,
  };
  const scheduledAudits = {
    id: audits.id,
    applicationId: audits.applicationId,
    scheduledFor: audits.scheduledFor,
    auditor: audits.auditor,
    assigneeId: applications.assigneeId,
    org: applications.organizationName,
  };
  const [lingering, upcoming, neverCalled, inactive, atRisk, eligible, auditsSoon, auditsPast, remediation] = await Promise.all([
    db
      .select({
        id: applications.id,
        status: applications.status,
        statusSince: applications.statusSince,
        assigneeId: applications.assigneeId,
        org: applications.organizationName,
        meetingAhead: sql<boolean>`exists (select 1 from ${meetings} m
          where m.application_id = ${applications.id} and m.status = 'scheduled' and m.starts_at > ${now.toISOString()}::timestamptz)`,
      })
      .from(applications)
      .where(
        and(
          inArray(applications.status, openStatuses),
          lte(applications.statusSince, new Date(Math.max(b.staleBefore.getTime(), b.waitingBefore.getTime()))),
        ),
      )
      .orderBy(asc(applications.statusSince)),
    db
      .select({
        id: meetings.id,
        applicationId: meetings.applicationId,
        startsAt: meetings.startsAt,
        sequence: meetings.sequence,
        architectId: meetings.architectId,
        assigneeId: applications.assigneeId,
        org: applications.organizationName,
      })
      .from(meetings)
      .innerJoin(applications, eq(applications.id, meetings.applicationId))
      .where(and(eq(meetings.status, 'scheduled'), gte(meetings.startsAt, now), lte(meetings.startsAt, b.meetingsUntil))),
    // Active access whose period ran out: never called (applications_no_call_idx; a reinstatement only moves
    // that deadline later), called too long ago and not reinstated since (applications_last_call_idx), or
    // reinstated after its last call with no call since (applications_reinstated_idx).
    db
      .select(watched)
      .from(applications)
      .where(
        and(
          eq(applications.accessStatus, 'active'),
          ne(applications.stage, 'closed'),
          isNull(applications.lastRestrictedCallAt),
          lte(applications.approvedAt, b.approvedBefore),
        ),
      ),
    db
      .select(watched)
      .from(applications)
      .where(
        and(
          eq(applications.accessStatus, 'active'),
          ne(applications.stage, 'closed'),
          isNotNull(applications.lastRestrictedCallAt),
          or(
            and(
              lte(applications.lastRestrictedCallAt, b.calledBefore),
              or(
                isNull(applications.accessReinstatedAt),
                lte(applications.accessReinstatedAt, applications.lastRestrictedCallAt),
              ),
            ),
            and(
              gt(applications.accessReinstatedAt, applications.lastRestrictedCallAt),
              lte(applications.accessReinstatedAt, b.approvedBefore),
            ),
          ),
        ),
      ),
    db
      .select(watched)
      .from(applications)
      .where(and(eq(applications.accessStatus, 'at_risk'), ne(applications.stage, 'closed'))),
    // Eligible for an audit within the last week and never audited (applications_unaudited_idx).
    db
      .select({ id: applications.id, productionSince: applications.productionSince, org: applications.organizationName })
      .from(applications)
      .where(
        and(
          isNotNull(applications.productionSince),
          isNull(applications.auditStatus),
          ne(applications.stage, 'closed'),
          accessNotRevoked,
          lte(applications.productionSince, b.liveBefore),
          gt(applications.productionSince, b.liveAfter),
        ),
      ),
    db
      .select(scheduledAudits)
      .from(audits)
      .innerJoin(applications, eq(applications.id, audits.applicationId))
      .where(
        and(
          eq(audits.status, 'scheduled'),
          gte(audits.scheduledFor, now),
          lte(audits.scheduledFor, b.auditsUntil),
          accessNotRevoked,
        ),
      ),
    db
      .select(scheduledAudits)
      .from(audits)
      .innerJoin(applications, eq(applications.id, audits.applicationId))
      .where(and(eq(audits.status, 'scheduled'), lt(audits.scheduledFor, now), accessNotRevoked))
      .orderBy(asc(audits.scheduledFor)),
    db
      .select({
        id: remediationItems.id,
        applicationId: audits.applicationId,
        text: remediationItems.text,
        dueOn: remediationItems.dueOn,
        assigneeId: applications.assigneeId,
        org: applications.organizationName,
      })
      .from(remediationItems)
      .innerJoin(audits, eq(audits.id, remediationItems.auditId))
      .innerJoin(applications, eq(applications.id, audits.applicationId))
      .where(and(isNull(remediationItems.closedAt), lte(remediationItems.dueOn, now), accessNotRevoked))
      .orderBy(asc(remediationItems.dueOn)),
  ]);

  // Access whose period ran out falls at risk now (recorded unless this is a dry run), and joins those already at risk.
  const fallen = [...neverCalled, ...inactive].flatMap((a) => {
    if (!a.approvedAt) return [];
    const app = { approvedAt: a.approvedAt, lastRestrictedCallAt: a.lastRestrictedCallAt, reinstatedAt: a.reinstatedAt };
    return accessAtRisk(app, now, policy) ? [{ ...a, approvedAt: a.approvedAt, deadline: accessDeadline(app, policy) }] : [];
  });
  const changed: number[] = [];
  if (!options.dryRun) {
    for (const a of fallen) {
      const marked = await markAtRisk(
        db,
        {
          id: a.id,
          since: a.deadline.at,
          cause: a.deadline.cause,
          lastCallAt: a.lastRestrictedCallAt,
          reinstatedAt: a.reinstatedAt,
        },
        deps.clock.now(),
      );
      if (marked) changed.push(a.id);
    }
  }
  const risky = [...fallen, ...atRisk.flatMap((a) => (a.approvedAt ? [{ ...a, approvedAt: a.approvedAt }] : []))];

  const stale = lingering.map((a) => staleReminder({ ...a, meetingAhead: Boolean(a.meetingAhead) }, now, policy)).filter(defined);
  const owned: DueReminder[] = [
    ...stale,
    ...lingering.map((a) => waitingReminder(a, now, policy)).filter(defined),
    ...upcoming.map((m) => meetingReminder(m, now, policy)).filter(defined),
    ...risky.map((a) => atRiskReminder(a, now, policy)).filter(defined),
    ...auditsSoon.map((a) => auditTomorrowReminder(a, now)).filter(defined),
    ...auditsPast.map((a) => auditOutcomeReminder(a, now)).filter(defined),
    ...remediation.map((i) => remediationReminder(i, now)).filter(defined),
  ];
  const audience = unassignedAudience(policy, deps.roles?.reviewers ?? []);
  const due = owned.map((d) => withAudience(d, audience));
  const digest = digestKey(now, policy);
  if (digest) {
    // Its own look-ahead, whatever hours the meeting reminders use.
    const meetingsAhead = await db
      .select({ id: meetings.applicationId, org: applications.organizationName, startsAt: meetings.startsAt })
      .from(meetings)
      .innerJoin(applications, eq(applications.id, meetings.applicationId))
      .where(and(eq(meetings.status, 'scheduled'), gte(meetings.startsAt, now), lt(meetings.startsAt, b.digestMeetingsUntil)))
      .orderBy(asc(meetings.startsAt));
    // Each newly eligible application once: those a digest already listed hold their key.
    const markers = eligible
      .map((a) =>
        a.productionSince ? auditEligibleMarker({ id: a.id, productionSince: a.productionSince }, now, policy) : undefined,
      )
      .filter(defined);
    const listed = await alreadyClaimed(db, markers);
    const fresh = markers.filter((m) => !listed.has(m.key));
    due.push(
      digestReminder(digest, now, {
        stale: stale.map((r) => ({
          id: r.applicationId,
          org: name(lingering, r.applicationId),
          businessDays: r.data.businessDays,
        })),
        atRisk: risky.map((a) => ({ id: a.id, org: a.org })),
        eligible: fresh.map((m) => ({ id: m.applicationId, org: name(eligible, m.applicationId) })),
        awaitingOutcome: auditsPast
          .filter((a) => now >= dayOverUtc(a.scheduledFor))
          .map((a) => ({ id: a.applicationId, org: a.org, scheduledFor: a.scheduledFor.toISOString() })),
        remediationOverdue: overdueRemediationByApplication(remediation, now).map((a) => ({
          id: a.id,
          org: a.org,
          overdue: a.overdue,
          dueOn: a.oldestDueOn.toISOString(),
        })),
        meetingsAhead: meetingsAhead.map((m) => ({ id: m.id, org: m.org, startsAt: m.startsAt.toISOString() })),
      }),
      ...fresh,
    );
  }
  if (options.dryRun) {
    const taken = await alreadyClaimed(db, due);
    const digestTaken = digest === undefined || taken.has(digest);
    const claimed = due.filter((d) => !taken.has(d.key) && !(d.kind === 'audit_eligible' && digestTaken));
    return { at: now, dryRun: true, due, claimed, effects: [], changed };
  }
  // A sweep "as if" another instant (npm run remind --at) still posts now.
  const { claimed, effects } = await claim(db, due, deps.clock.now());
  recordRemindersClaimed(claimed);
  return { at: now, dryRun: false, due, claimed, effects, changed };
}

const REDRAWN = new Set<DueReminder['kind']>(['audit_eligible', 'audit_outcome', 'remediation_due']);

async function alreadyClaimed(db: Db, due: readonly DueReminder[]): Promise<Set<string>> {
  if (due.length === 0) return new Set();
  const taken = await db
    .select({ key: reminders.key })
    .from(reminders)
    .where(
      inArray(
        reminders.key,
        due.map((d) => d.key),
      ),
    );
  return new Set(taken.map((t) => t.key));
}

const name = (rows: readonly { id: number; org: string }[], id: number | null) => rows.find((r) => r.id === id)?.org;

type DigestItem = { id: number | null; org?: string | undefined; [k: string]: unknown };

/** The day's digest: each list counted, its first items named. */
function digestReminder(key: string, now: Date, lists: Record<string, DigestItem[]>): DueReminder {
  const data = Object.fromEntries(
    Object.entries(lists).map(([k, items]) => [k, { count: items.length, items: items.slice(0, DIGEST_LIST) }]),
  );
  return { key, kind: 'digest', applicationId: null, dueAt: now, data };
}

async function claim(db: Db, due: readonly DueReminder[], now: Date): Promise<{ claimed: DueReminder[]; effects: number[] }> {
  if (due.length === 0) return { claimed: [], effects: [] };
  return db.transaction(async (tx) => {
    const insert = async (list: readonly DueReminder[]) => {
      if (list.length === 0) return [];
      const rows = await tx
        .insert(reminders)
        .values(
          list.map((d) => ({
            key: d.key,
            applicationId: d.applicationId,
            kind: d.kind,
            dueAt: d.dueAt,
            claimedAt: now,
            data: d.data,
          })),
        )
        .onConflictDoNothing()
        .returning({ key: reminders.key });
      return rows.map((r) => r.key);
    };
    const markers = due.filter((d) => d.kind === 'audit_eligible');
    const rest = due.filter((d) => d.kind !== 'audit_eligible');
    const won = new Set(await insert(rest));
    // A marker is claimed only with the digest that lists it: when this day's digest was already
    // posted (an application eligible from later in the day), it stays free for tomorrow's.
    if (rest.some((d) => d.kind === 'digest' && won.has(d.key))) for (const key of await insert(markers)) won.add(key);
    const claimed = due.filter((d) => won.has(d.key));
    // Eligibility markers are listed by the digest claimed with them; they post nothing of their own.
    const posted = claimed.filter((d) => d.kind !== 'audit_eligible');
    // What the card says turns with time here (eligible since, awaiting the outcome, overdue): it is redrawn.
    const redrawn = [...new Set(claimed.filter((d) => REDRAWN.has(d.kind)).map((d) => d.applicationId))];
    const effects: (typeof outbox.$inferInsert)[] = [
      ...posted.map((d) => ({
        kind: d.kind === 'digest' ? 'channel.digest' : 'thread.reminder',
        applicationId: d.applicationId,
        payload: { key: d.key },
        createdAt: now,
        availableAt: now,
      })),
      ...redrawn.map((applicationId) => ({ kind: 'card.sync', applicationId, payload: {}, createdAt: now, availableAt: now })),
    ];
    const queued = effects.length > 0 ? await tx.insert(outbox).values(effects).returning({ id: outbox.id }) : [];
    return { claimed, effects: queued.map((e) => e.id) };
  });
}
