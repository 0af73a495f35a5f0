import type { Role } from './roles.ts';

/**
 * Who may read what of a submission (DOMAIN.md, "Who may see what"). The private text
 * (use case, answers) is for the review team; contact data narrows to the people who
 * deal with this one application.
 */
export function submissionRefusal(roles: ReadonlySet<Role>): string | undefined {
  if (roles.has('reviewer') || roles.has('architect') || roles.has('admin')) return undefined;
  return 'Only reviewers, solution architects and admins can read a submission. Ask an admin to give you the reviewer role.';
}

export function mayReadContact(
  viewer: { id: string; roles: ReadonlySet<Role> },
  app: { assigneeId: string | null; architectId: string | null },
): boolean {
  if (viewer.roles.has('admin')) return true;
  if (submissionRefusal(viewer.roles) !== undefined) return false;
  return viewer.id === app.assigneeId || viewer.id === app.architectId;
}

/** Retention buckets beyond Amazon's guidance: PII deleted within 30 days of delivery. */
export function retentionBeyondGuidance(bucket: string): boolean {
  return bucket === '31-90' || bucket === '91-180' || bucket === '>180';
}
