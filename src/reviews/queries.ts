import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type ApplicationRow, applicationRoles, applications, type EventRow, events, meetings } from '../../db/schema.ts';
import type { ApplicationSummary, HistoryEntry } from '../../views/types.ts';
import type { Submission } from '../intake/application.ts';
import type { Stage, Status } from '../workflow/states.ts';

export function toSummary(row: ApplicationRow): ApplicationSummary {
  const submission = row.submission as Submission;
  return {
    id: row.id,
    profileId: row.profileId,
    organizationName: row.organizationName,
    website: submission.organization.website,
    ...(submission.organization.country ? { country: submission.organization.country } : {}),
    developerType: submission.developerType,
    roles: submission.roles,
    marketplaces: submission.marketplaces,
    launchReadiness: submission.launchReadiness,
    submittedAt: row.submittedAt,
    receivedAt: row.receivedAt,
    stage: row.stage as Stage,
    status: row.status as Status,
    statusSince: row.statusSince,
    assigneeId: row.assigneeId,
    version: row.version,
    infoRounds: row.infoRounds,
    architectId: row.architectId,
    productionSince: row.productionSince,
    cycle: row.cycle,
    roleReview: row.roleReviewSince !== null,
  };
}

export async function getApplication(db: DbOrTx, id: number): Promise<ApplicationRow | undefined> {
  const [row] = await db.select().from(applications).where(eq(applications.id, id));
  return row;
}

/**
 * The Stage 3 meeting of the review under way, as the card shows it (the cycle's, and in a role
 * review that review's): its time, duration and state (scheduled, held or cancelled). Channel-safe:
 * no agenda, no architect.
 */
export async function getMeeting(
  db: DbOrTx,
  app: Pick<ApplicationRow, 'id' | 'cycle' | 'roleReviewSince'>,
): Promise<{ startsAt: Date; durationMinutes: number; status: string } | undefined> {
  const [meeting] = await db
    .select({ startsAt: meetings.startsAt, durationMinutes: meetings.durationMinutes, status: meetings.status })
    .from(meetings)
    .where(
      and(
        eq(meetings.applicationId, app.id),
        eq(meetings.cycle, app.cycle),
        app.roleReviewSince ? gte(meetings.createdAt, app.roleReviewSince) : undefined,
      ),
    )
    .orderBy(desc(meetings.id))
    .limit(1);
  return meeting;
}

/** Each restricted role recorded since the approval, with its status (approved, under review, denied, removed). */
export async function getRoleStatuses(db: DbOrTx, applicationId: number): Promise<{ role: string; status: string }[]> {
  return db
    .select({ role: applicationRoles.role, status: applicationRoles.status })
    .from(applicationRoles)
    .where(eq(applicationRoles.applicationId, applicationId))
    .orderBy(asc(applicationRoles.role));
}

export async function getHistory(db: DbOrTx, applicationId: number): Promise<HistoryEntry[]> {
  return toHistory(await db.select().from(events).where(eq(events.applicationId, applicationId)).orderBy(asc(events.id)));
}

export const toHistory = (rows: readonly EventRow[]): HistoryEntry[] =>
  rows.map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));

/** Matches of a name that `/pii status` lists; one more is read to tell that there are more. */
export const MAX_NAME_MATCHES = 10;

/** "42" or "#42" as an application number; undefined for anything else. */
export function applicationNumber(query: string): number | undefined {
  const digits = /^#?(\d{1,9})$/.exec(query.trim())?.[1];
  return digits === undefined ? undefined : Number(digits);
}

/**
 * The profile id, then the organization name (exact, then a prefix), each answered by an index;
 * a name reads at most `MAX_NAME_MATCHES + 1` rows, the last only telling that there are more.
 */
export async function findByProfileOrName(db: DbOrTx, rawQuery: string): Promise<ApplicationRow[]> {
  const query = rawQuery.trim();
  if (query === '') return [];
  const byProfile = await db.select().from(applications).where(eq(applications.profileId, query));
  if (byProfile.length > 0) return byProfile;
  const lowered = query.toLowerCase();
  const exact = await db
    .select()
    .from(applications)
    .where(sql`lower(${applications.organizationName}) = ${lowered}`)
    .orderBy(asc(applications.id))
    .limit(MAX_NAME_MATCHES + 1);
  if (exact.length > 0) return exact;
  const escaped = lowered.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select()
    .from(applications)
    .where(sql`lower(${applications.organizationName}) like ${`${escaped}%`}`)
    .orderBy(asc(applications.id))
    .limit(MAX_NAME_MATCHES + 1);
}
