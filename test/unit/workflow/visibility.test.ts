import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/workflow/roles.ts';
import { mayReadContact, retentionBeyondGuidance, submissionRefusal } from '../../../src/workflow/visibility.ts';

const roles = (...r: Role[]) => new Set<Role>(r);
const app = { assigneeId: 'UASSIGNEE', architectId: 'UARCH' };

describe('who may read a submission', () => {
  it('lets reviewers, architects and admins read it, and refuses anyone else with the setting to change', () => {
    expect(submissionRefusal(roles('reviewer'))).toBeUndefined();
    expect(submissionRefusal(roles('architect'))).toBeUndefined();
    expect(submissionRefusal(roles('admin'))).toBeUndefined();
    expect(submissionRefusal(roles())).toMatch(/Only reviewers, solution architects and admins.*give you the reviewer role/);
    expect(submissionRefusal(roles('integration'))).toBeDefined();
  });

  it('shows contact data to the assignee, the application’s architect and admins only', () => {
    expect(mayReadContact({ id: 'UASSIGNEE', roles: roles('reviewer') }, app)).toBe(true);
    expect(mayReadContact({ id: 'UARCH', roles: roles('architect') }, app)).toBe(true);
    expect(mayReadContact({ id: 'UADMIN', roles: roles('admin') }, app)).toBe(true);
    expect(mayReadContact({ id: 'UOTHER', roles: roles('reviewer') }, app)).toBe(false);
    expect(mayReadContact({ id: 'UOTHERARCH', roles: roles('architect') }, app)).toBe(false);
    // Being named on an application does not outlast losing the role.
    expect(mayReadContact({ id: 'UASSIGNEE', roles: roles() }, app)).toBe(false);
    expect(mayReadContact({ id: 'UOTHER', roles: roles('reviewer') }, { assigneeId: null, architectId: null })).toBe(false);
  });

  it('flags every retention bucket past 30 days', () => {
    expect(['<31', '31-90', '91-180', '>180'].map(retentionBeyondGuidance)).toEqual([false, true, true, true]);
  });
});
