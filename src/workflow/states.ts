/**
 * Stages and statuses of an application. Stage says where in the process it is;
 * status says who holds the ball inside that stage.
 */
export const STAGES = ['business', 'security', 'architecture', 'approved', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ['new', 'in_review', 'waiting_on_developer', 'approved', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  business: 'Stage 1 · Business criteria',
  security: 'Stage 2 · Security questions',
  architecture: 'Stage 3 · Architecture review',
  approved: 'Approved',
  closed: 'Closed',
};

export const STATUS_LABELS: Record<Status, string> = {
  new: 'Awaiting review',
  in_review: 'In review',
  waiting_on_developer: 'Waiting on developer',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export const FINAL_STATUSES: readonly Status[] = ['approved', 'rejected', 'withdrawn'];

export const INITIAL_STATE = { stage: 'business', status: 'new' } as const satisfies { stage: Stage; status: Status };

/** What a developer's resubmission does to the state: an answer to an information request puts it back in review. */
export function stateAfterResubmission(current: { stage: Stage; status: Status }): { stage: Stage; status: Status } {
  return current.status === 'waiting_on_developer' ? { stage: current.stage, status: 'in_review' } : current;
}
