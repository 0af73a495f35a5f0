import type { Roles } from '../config.ts';

/** `integration` is the intake API's token holder: a system that may report facts (a restricted call), never decide. */
export type Role = 'reviewer' | 'architect' | 'admin' | 'integration';

export const ROLE_LABELS: Record<Role, string> = {
  reviewer: 'reviewer',
  architect: 'solution architect',
  admin: 'admin',
  integration: 'integration',
};

/** The actor id of changes made through the intake API. */
export const INTEGRATION_ACTOR = 'intake';

/** The roles a Slack user holds, from configuration. */
export function rolesOf(roles: Roles, userId: string): Set<Role> {
  const held = new Set<Role>();
  if (userId === INTEGRATION_ACTOR) held.add('integration');
  if (roles.reviewers.includes(userId)) held.add('reviewer');
  if (roles.architects.includes(userId)) held.add('architect');
  if (roles.admins.includes(userId)) held.add('admin');
  return held;
}
