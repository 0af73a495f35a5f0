import { describe, expect, it } from 'vitest';
import { goLiveRefusal } from '../../src/workflow/late.ts';
import { overdueRemediationByApplication } from '../../src/workflow/reminders.ts';
import { lateFields } from '../../views/card-late.ts';
import type { CardModel } from '../../views/types.ts';

/**
 * Calendar days (go-lives, audit dates, due dates: 00:00 UTC of the day) as reviewers from
 * Sydney to Los Angeles read them: a day can have come wherever it is that day, and it is over
 * at the end of its UTC day on every surface alike.
 */
const at = (iso: string) => new Date(iso);

describe('a go-live is a calendar day', () => {
  it('today in Sydney is not the future, while it is still yesterday in UTC', () => {
    // 09:00 on 5 Dec in Sydney; the datepicker shows 2026-12-05 as today.
    const now = at('2026-12-04T22:00:00Z');
    expect(goLiveRefusal(at('2026-12-05T00:00:00Z'), at('2026-11-01T00:00:00Z'), now, 'production_since')).toBeUndefined();
    expect(goLiveRefusal(at('2026-12-06T00:00:00Z'), at('2026-11-01T00:00:00Z'), now, 'production_since')).toMatchObject({
      message: 'Go-live cannot be in the future.',
    });
  });

  it('the approval’s day in Los Angeles is not before the approval, though its UTC day is the next', () => {
    // Approved at 17:00 on 4 Dec in Los Angeles: 01:00 UTC on 5 Dec.
    const approvedAt = at('2026-12-05T01:00:00Z');
    const now = at('2026-12-05T02:00:00Z');
    expect(goLiveRefusal(at('2026-12-04T00:00:00Z'), approvedAt, now, 'production_since')).toBeUndefined();
    expect(goLiveRefusal(at('2026-12-03T00:00:00Z'), approvedAt, now, 'production_since')).toMatchObject({ ok: false });
  });
});

describe('an audit date and a due date are over at the end of their day', () => {
  const day = at('2026-07-01T00:00:00Z');
  const card = (overrides: Partial<CardModel>) =>
    ({ stage: 'approved', status: 'approved', productionSince: at('2026-03-01T00:00:00Z'), ...overrides }) as CardModel;
  const audit = (status: string) => ({ status, auditor: 'PwC', scheduledFor: day });

  it('the card says an audit awaits its outcome only once its day is over', () => {
    const scheduled = card({ audit: audit('scheduled'), openRemediation: [] });
    // 20:00 UTC on the audit's day: the audit may not have happened yet in the Americas.
    expect(lateFields(scheduled, at('2026-07-01T20:00:00Z')).join('\n')).not.toContain('awaiting the outcome');
    expect(lateFields(scheduled, at('2026-07-02T00:00:00Z')).join('\n')).toContain('awaiting the outcome');
  });

  it('a remediation item is overdue only once its due day is over, on the card and in the digest', () => {
    const remediation = card({ audit: audit('remediation'), openRemediation: [{ text: 'Rotate keys', dueOn: day }] });
    expect(lateFields(remediation, at('2026-07-01T20:00:00Z')).join('\n')).toContain('next due Jul 1, 2026');
    expect(lateFields(remediation, at('2026-07-02T00:00:00Z')).join('\n')).toContain('*overdue* since Jul 1, 2026');
    const items = [{ applicationId: 1, org: 'Fabrikam', dueOn: day }];
    expect(overdueRemediationByApplication(items, at('2026-07-01T20:00:00Z'))).toEqual([]);
    expect(overdueRemediationByApplication(items, at('2026-07-02T00:00:00Z'))).toHaveLength(1);
  });
});
