import type { SandboxUser } from './emulator/state.ts';

/** The people of the sandbox workspace: one per role, in different time zones, and an outsider. */
export const PERSONAS: readonly (SandboxUser & { role: 'reviewer' | 'architect' | 'admin' | 'none' })[] = [
  { id: 'U0REVIEW01', name: 'riley', realName: 'Riley Reviewer', tz: 'Europe/Berlin', title: 'Reviewer', role: 'reviewer' },
  { id: 'U0REVIEW02', name: 'sam', realName: 'Sam Second-Reviewer', tz: 'America/New_York', title: 'Reviewer', role: 'reviewer' },
  {
    id: 'U0ARCHIT01',
    name: 'ada',
    realName: 'Ada Architect',
    tz: 'America/Los_Angeles',
    title: 'Solution architect',
    role: 'architect',
  },
  { id: 'U0ADMIN001', name: 'morgan', realName: 'Morgan Admin', tz: 'Asia/Tokyo', title: 'Admin', role: 'admin' },
  { id: 'U0OUTSID01', name: 'olly', realName: 'Olly Outsider', tz: 'Australia/Sydney', title: 'No role', role: 'none' },
];

export const SANDBOX_CHANNEL = { id: 'G0PIIREVIEW', name: 'pii-review', isPrivate: true } as const;

export function personaRoles() {
  const ids = (role: string) => PERSONAS.filter((p) => p.role === role).map((p) => p.id);
  return { reviewers: ids('reviewer'), architects: ids('architect'), admins: ids('admin') };
}
