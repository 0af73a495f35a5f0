import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type ApplicationRoleRow, type ApplicationRow, applicationRoles } from '../../db/schema.ts';
import type { Submission } from '../intake/application.ts';
import { canonicalRole, isRestricted } from '../intake/roles.ts';
import { roleChanges } from '../workflow/cycles.ts';

export const ROLE_STATUSES = ['approved', 'under_review', 'denied', 'removed'] as const;
export type RoleStatus = (typeof ROLE_STATUSES)[number];

/** The restricted roles a submission lists, by their canonical names. */
export function restrictedRolesOf(submission: unknown): string[] {
  const roles = (submission as Partial<Submission> | null)?.roles ?? [];
  return [
    ...new Set(
      roles.flatMap((r) => (canonicalRole(r) && isRestricted(canonicalRole(r) as never) ? [canonicalRole(r) as string] : [])),
    ),
  ];
}

const rolesListed = (submission: unknown): string[] =>
  ((submission as Partial<Submission> | null)?.roles ?? []).map((r) => canonicalRole(r) ?? r);

export async function rolesOfApplication(tx: Tx, applicationId: number): Promise<ApplicationRoleRow[]> {
  return tx
    .select()
    .from(applicationRoles)
    .where(eq(applicationRoles.applicationId, applicationId))
    .orderBy(applicationRoles.role);
}

/** At the first approval: every restricted role of the submission is approved, by whoever approved it. */
export async function recordApprovedRoles(tx: Tx, app: ApplicationRow, actorId: string | null, now: Date): Promise<void> {
  const roles = restrictedRolesOf(app.submission);
  if (roles.length === 0) return;
  await tx
    .insert(applicationRoles)
    .values(
      roles.map((role) => ({
        applicationId: app.id,
        role,
        status: 'approved',
        requestedAt: app.receivedAt,
        decidedBy: actorId,
        decidedAt: now,
      })),
    )
    // A later cycle's approval (after a revocation) grants the roles anew.
    .onConflictDoUpdate({
      target: [applicationRoles.applicationId, applicationRoles.role],
      set: { status: 'approved', decidedBy: actorId, decidedAt: now },
      setWhere: sql`${applicationRoles.status} <> 'approved'`,
    });
}

/** The end of a role review: every role under review becomes `to`. Returns those roles. */
export async function settleRoleReview(
  tx: Tx,
  applicationId: number,
  to: Exclude<RoleStatus, 'under_review'>,
  actorId: string,
  now: Date,
): Promise<string[]> {
  const rows = await tx
    .update(applicationRoles)
    .set({ status: to, decidedBy: actorId, decidedAt: now })
    .where(and(eq(applicationRoles.applicationId, applicationId), eq(applicationRoles.status, 'under_review')))
    .returning({ role: applicationRoles.role });
  return rows.map((r) => r.role).sort();
}

/**
 * An approved application's intake changed its roles: added restricted roles go under review,
 * dropped ones are removed (no review). Applications approved before roles were tracked get
 * their rows first, from the submission they were approved with.
 */
export async function applyIntakeRoleChanges(
  tx: Tx,
  existing: ApplicationRow,
  next: Submission,
  now: Date,
): Promise<{ added: string[]; removed: string[]; stillUnderReview: number }> {
  let rows = await rolesOfApplication(tx, existing.id);
  if (rows.length === 0) {
    await recordApprovedRoles(tx, existing, null, existing.approvedAt ?? now);
    rows = await rolesOfApplication(tx, existing.id);
  }
  const by = (status: RoleStatus) => rows.filter((r) => r.status === status).map((r) => r.role);
  const { added, removed } = roleChanges({
    approved: by('approved'),
    underReview: by('under_review'),
    denied: by('denied'),
    previousRoles: rolesListed(existing.submission),
    nextRestricted: restrictedRolesOf(next),
    nextRoles: rolesListed(next),
  });
  if (removed.length > 0)
    await tx
      .update(applicationRoles)
      .set({ status: 'removed', decidedBy: 'intake', decidedAt: now })
      .where(and(eq(applicationRoles.applicationId, existing.id), inArray(applicationRoles.role, removed)));
  if (added.length > 0)
    await tx
      .insert(applicationRoles)
      .values(added.map((role) => ({ applicationId: existing.id, role, status: 'under_review', requestedAt: now })))
      .onConflictDoUpdate({
        target: [applicationRoles.applicationId, applicationRoles.role],
        set: { status: 'under_review', requestedAt: now, decidedBy: null, decidedAt: null },
      });
  const underReview = by('under_review').filter((r) => !removed.includes(r));
  return { added, removed, stillUnderReview: underReview.length + added.length };
}
