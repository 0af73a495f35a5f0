import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import {
  overdueRemediationByApplication,
  staleReminder,
  unassignedAudience,
  withAudience,
} from '../../../src/workflow/reminders.ts';
import { reminderText } from '../../../views/reminders.ts';

const policy = loadConfig({}).policy;
const grouped = loadConfig({ REVIEWER_GROUP_ID: 'S0TEAM' }).policy;
const now = new Date('2026-03-16T10:00:00Z');
const app = { id: 1, status: 'in_review', statusSince: new Date('2026-03-02T10:00:00Z'), assigneeId: null };

describe('stale reminders', () => {
  it('are not due while an architecture review is scheduled ahead', () => {
    expect(staleReminder(app, now, policy)).toBeDefined();
    expect(staleReminder({ ...app, meetingAhead: true }, now, policy)).toBeUndefined();
  });
});

describe('who an unassigned reminder mentions', () => {
  it('the reviewer group when set, else every reviewer, else says how to fix it', () => {
    const due = staleReminder(app, now, policy);
    if (!due) throw new Error('expected a stale reminder');
    const text = (p: typeof policy, reviewers: string[]) =>
      reminderText('stale', withAudience(due, unassignedAudience(p, reviewers)).data);
    expect(text(grouped, ['U1AAA'])).toMatch(/^:alarm_clock: <!subteam\^S0TEAM> \(nobody is assigned\): /);
    expect(text(policy, ['U1AAA', 'U2BBB'])).toMatch(/^:alarm_clock: <@U1AAA> <@U2BBB> \(nobody is assigned\): /);
    expect(text(policy, [])).toContain('set REVIEWER_GROUP_ID or REVIEWER_IDS');
  });

  it('leaves reminders of an assigned application and meeting reminders alone', () => {
    const assigned = staleReminder({ ...app, assigneeId: 'U9ZZZ' }, now, policy);
    if (!assigned) throw new Error('expected a stale reminder');
    expect(withAudience(assigned, { groupId: 'S0TEAM' }).data).not.toHaveProperty('audience');
    expect(reminderText('stale', assigned.data)).toMatch(/^:alarm_clock: <@U9ZZZ>: /);
  });
});

describe('overdue remediation in the digest', () => {
  const item = (applicationId: number, dueOn: string) => ({ applicationId, org: `Org ${applicationId}`, dueOn: new Date(dueOn) });

  it('is one entry per application: its items past due counted, the oldest due date, oldest first', () => {
    const items = [
      item(7, '2026-03-10T00:00:00Z'),
      item(3, '2026-03-01T00:00:00Z'),
      item(7, '2026-03-02T00:00:00Z'),
      item(7, '2026-03-20T00:00:00Z'),
      item(3, now.toISOString()),
    ];
    expect(overdueRemediationByApplication(items, now)).toEqual([
      { id: 3, org: 'Org 3', overdue: 1, oldestDueOn: new Date('2026-03-01T00:00:00Z') },
      { id: 7, org: 'Org 7', overdue: 2, oldestDueOn: new Date('2026-03-02T00:00:00Z') },
    ]);
  });
});
