import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, STAGES, STATUSES, stateAfterResubmission } from '../../../src/workflow/states.ts';

describe('stateAfterResubmission', () => {
  const rows = STAGES.flatMap((stage) => STATUSES.map((status) => ({ stage, status })));

  // A resubmission answers an information request, so the ball comes back to the reviewers.
  it.each(rows.filter((r) => r.status === 'waiting_on_developer'))(
    'puts $stage/$status back in review in the same stage',
    (current) => {
      expect(stateAfterResubmission(current)).toEqual({ stage: current.stage, status: 'in_review' });
    },
  );

  // Nobody asked for anything, so a late or unsolicited resubmission must not move the application.
  it.each(rows.filter((r) => r.status !== 'waiting_on_developer'))('leaves $stage/$status unchanged', (current) => {
    expect(stateAfterResubmission(current)).toEqual({ stage: current.stage, status: current.status });
  });
});

describe('INITIAL_STATE', () => {
  it('starts an application new in the business stage', () => {
    expect(INITIAL_STATE).toEqual({ stage: 'business', status: 'new' });
  });
});
