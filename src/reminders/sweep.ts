import { and, asc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { applications, audits, meetings, outbox, remediationItems, reminders } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import { recordRemindersClaimed } from '../metrics.ts';
import {
  auditDueReminder,
  auditTomorrowReminder,
  type DueReminder,
  digestKey,
  meetingReminder,
  noCallReminder,
  remediationReminder,
  staleReminder,
  sweepBounds,
  unassignedAudience,
  waitingReminder,
  withAudience,
} from '../workflow/reminders.ts';

export type SweepResult = { at: Date; dryRun: boolean; due: DueReminder[]; claimed: DueReminder[] };

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
  const [lingering, upcoming, unapproved, live, auditsSoon, remediation] = await Promise.all([
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
    db
      .select({ id: applications.id, approvedAt: applications.approvedAt, assigneeId: applications.assigneeId })
      .from(applications)
      .where(
        and(
          eq(applications.status, 'approved'),
          isNull(applications.lastRestrictedCallAt),
          lte(applications.approvedAt, b.approvedBefore),
        ),
      ),
    db
      .select({
        id: applications.id,
        productionSince: applications.productionSince,
        assigneeId: applications.assigneeId,
        org: applications.organizationName,
      })
      .from(applications)
      .where(
        and(
          eq(applications.status, 'approved'),
          sql`${applications.productionSince} is not null`,
          isNull(applications.auditStatus),
          lte(applications.productionSince, b.liveBefore),
        ),
      ),
    db
      .select({
        id: audits.id,
        applicationId: audits.applicationId,
        scheduledFor: audits.scheduledFor,
        auditor: audits.auditor,
        assigneeId: applications.assigneeId,
      })
      .from(audits)
      .innerJoin(applications, eq(applications.id, audits.applicationId))
      .where(and(eq(audits.status, 'scheduled'), gte(audits.scheduledFor, now), lte(audits.scheduledFor, b.auditsUntil))),
    db
      .select({
        id: remediationItems.id,
        applicationId: audits.applicationId,
        text: remediationItems.text,
        dueOn: remediationItems.dueOn,
        assigneeId: applications.assigneeId,
      })
      .from(remediationItems)
      .innerJoin(audits, eq(audits.id, remediationItems.auditId))
      .innerJoin(applications, eq(applications.id, audits.applicationId))
      .where(and(isNull(remediationItems.closedAt), lte(remediationItems.dueOn, now))),
  ]);

  const stale = lingering.map((a) => staleReminder({ ...a, meetingAhead: Boolean(a.meetingAhead) }, now, policy)).filter(defined);
  const owned: DueReminder[] = [
    ...stale,
    ...lingering.map((a) => waitingReminder(a, now, policy)).filter(defined),
    ...upcoming.map((m) => meetingReminder(m, now, policy)).filter(defined),
    ...unapproved
      .map((a) => (a.approvedAt ? noCallReminder({ ...a, approvedAt: a.approvedAt }, now, policy) : undefined))
      .filter(defined),
    ...live
      .map((a) => (a.productionSince ? auditDueReminder({ ...a, productionSince: a.productionSince }, now, policy) : undefined))
      .filter(defined),
    ...auditsSoon.map((a) => auditTomorrowReminder(a, now)).filter(defined),
    ...remediation.map((i) => remediationReminder(i, now)).filter(defined),
  ];
  const audience = unassignedAudience(policy, deps.roles?.reviewers ?? []);
  const due = owned.map((d) => withAudience(d, audience));
  const digest = digestKey(now, policy);
  if (digest) {
    const name = new Map([...lingering, ...live].map((a) => [a.id, a.org]));
    const meetingsToday = upcoming.filter((m) => m.startsAt.toISOString().slice(0, 10) === now.toISOString().slice(0, 10));
    due.push({
      key: digest,
      kind: 'digest',
      applicationId: null,
      dueAt: now,
      data: {
        stale: {
          count: stale.length,
          items: stale
            .slice(0, DIGEST_LIST)
            .map((r) => ({ id: r.applicationId, org: name.get(r.applicationId ?? 0), businessDays: r.data.businessDays })),
        },
        overdueAudits: { count: live.length, items: live.slice(0, DIGEST_LIST).map((a) => ({ id: a.id, org: a.org })) },
        meetingsToday: {
          count: meetingsToday.length,
          items: meetingsToday
            .slice(0, DIGEST_LIST)
            .map((m) => ({ id: m.applicationId, org: m.org, startsAt: m.startsAt.toISOString() })),
        },
      },
    });
  }
  if (options.dryRun) {
    const taken =
      due.length === 0
        ? []
        : await db
            .select({ key: reminders.key })
            .from(reminders)
            .where(
              inArray(
                reminders.key,
                due.map((d) => d.key),
              ),
            );
    const claimed = new Set(taken.map((t) => t.key));
    return { at: now, dryRun: true, due, claimed: due.filter((d) => !claimed.has(d.key)) };
  }
  // A sweep "as if" another instant (npm run remind --at) still posts now.
  const claimed = await claim(db, due, deps.clock.now());
  recordRemindersClaimed(claimed);
  return { at: now, dryRun: false, due, claimed };
}

async function claim(db: Db, due: readonly DueReminder[], now: Date): Promise<DueReminder[]> {
  if (due.length === 0) return [];
  return db.transaction(async (tx) => {
    const rows = await tx
      .insert(reminders)
      .values(
        due.map((d) => ({
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
    const won = new Set(rows.map((r) => r.key));
    const claimed = due.filter((d) => won.has(d.key));
    if (claimed.length > 0) {
      await tx.insert(outbox).values(
        claimed.map((d) => ({
          kind: d.kind === 'digest' ? 'channel.digest' : 'thread.reminder',
          applicationId: d.applicationId,
          payload: { key: d.key },
          createdAt: now,
          availableAt: now,
        })),
      );
    }
    return claimed;
  });
}
