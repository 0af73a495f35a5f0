import type { Role } from './roles.ts';
import type { Stage, Status } from './states.ts';
import {
  type Command,
  type CommandType,
  type Outcome,
  type Refusal,
  refuse,
  type WorkflowState,
  whereItStands,
} from './types.ts';

/**
 * Review cycles and role reviews, the long life of an application:
 * - a resubmission of a rejected or withdrawn application opens a new cycle at Stage 1, which a
 *   reviewer may fast-track to the stage where the last cycle ended (with a recorded reason);
 * - restricted roles added to an approved application go through a role review (the stages of
 *   ROLE_REVIEW_STAGES, and Stage 3 when a reviewer asks for it) while the roles already approved
 *   stay approved and the production life goes on.
 */

/** The stages a role review can go through, in order; Stage 1 always comes first. */
export const ROLE_REVIEW_STAGES = ['business', 'security', 'architecture'] as const;
export type RoleReviewStage = (typeof ROLE_REVIEW_STAGES)[number];
export const DEFAULT_ROLE_REVIEW_STAGES: readonly RoleReviewStage[] = ['business'];

export type CycleCommandType = Extract<CommandType, 'fast_track' | 'ask_role_meeting'>;

export const CYCLE_ROLES: Record<CycleCommandType, readonly Role[]> = {
  fast_track: ['reviewer', 'admin'],
  ask_role_meeting: ['reviewer', 'admin'],
};

export const isCycleCommand = (type: CommandType): type is CycleCommandType => type in CYCLE_ROLES;

/** Where a role review goes after `from` passes: its next configured stage, or approved (all roles approved). */
export function nextInRoleReview(s: WorkflowState, from: Stage): { stage: Stage; status: Status } {
  const stages = s.roleReview?.stages ?? DEFAULT_ROLE_REVIEW_STAGES;
  const at = ROLE_REVIEW_STAGES.indexOf(from as RoleReviewStage);
  const next = ROLE_REVIEW_STAGES.slice(at + 1).find((stage) => stages.includes(stage));
  if (next === 'security') return { stage: 'security', status: 'in_review' };
  if (next === 'architecture') return { stage: 'architecture', status: 'new' };
  return { stage: 'approved', status: 'approved' };
}

/** A role review that ends short of approving the added roles leaves the application approved with its earlier roles. */
export const ROLE_REVIEW_END: { stage: Stage; status: Status } = { stage: 'approved', status: 'approved' };

/** The stage a new cycle may be fast-tracked to: where the previous cycle ended, if past Stage 1. */
export function fastTrackTarget(s: WorkflowState): 'security' | 'architecture' | null {
  const last = s.cycle?.lastEndedAtStage;
  return last === 'security' || last === 'architecture' ? last : null;
}

export function cycleStateAllows(s: WorkflowState, type: CycleCommandType): Refusal | undefined {
  const where = whereItStands(s);
  switch (type) {
    case 'fast_track': {
      if (!s.cycle || s.cycle.number < 2 || s.roleReview)
        return refuse('state', 'Only a new cycle (after a resubmission) can be fast-tracked.');
      if (s.cycle.fastTracked) return refuse('state', `Cycle ${s.cycle.number} was already fast-tracked.`);
      if (s.stage !== 'business' || (s.status !== 'new' && s.status !== 'in_review'))
        return refuse('state', `A cycle is fast-tracked from Stage 1: ${where}.`);
      return fastTrackTarget(s)
        ? undefined
        : refuse('state', 'The last cycle ended in Stage 1: there is nowhere further to fast-track to.');
    }
    case 'ask_role_meeting':
      if (!s.roleReview) return refuse('state', 'A Stage 3 meeting is asked for only in a role review.');
      if (s.roleReview.stages.includes('architecture'))
        return refuse('state', 'This role review already goes through the architecture review.');
      return (s.stage === 'business' || s.stage === 'security') && s.status !== 'waiting_on_developer'
        ? undefined
        : refuse('state', `A meeting is asked for in Stage 1 or 2 of the role review: ${where}.`);
  }
}

export function decideCycle(
  s: WorkflowState,
  command: Extract<Command, { type: CycleCommandType }>,
  actor: { id: string },
): Outcome | Refusal {
  const stay: Outcome = { ok: true, next: { stage: s.stage, status: s.status } };
  switch (command.type) {
    case 'fast_track': {
      if (!command.reason.trim()) return refuse('guard', 'Say why this cycle skips the stages already passed.', 'reason');
      const to = fastTrackTarget(s);
      return {
        ...stay,
        next: to === 'architecture' ? { stage: 'architecture', status: 'new' } : { stage: 'security', status: 'in_review' },
        assigneeId: s.assigneeId ?? actor.id,
      };
    }
    case 'ask_role_meeting':
      if (!command.reason.trim()) return refuse('guard', 'Say what the architecture review should look at.', 'reason');
      return stay;
  }
}

/**
 * What an approved application's intake does to its restricted roles. `added`: restricted roles
 * now listed that are neither approved nor under review (a denied role listed again in the same
 * list is not reviewed again; dropped and sent again, it is). `removed`: approved or
 * under-review roles no longer listed (recorded, no review needed).
 */
export function roleChanges(args: {
  approved: readonly string[];
  underReview: readonly string[];
  denied: readonly string[];
  previousRoles: readonly string[];
  nextRestricted: readonly string[];
  nextRoles: readonly string[];
}): { added: string[]; removed: string[] } {
  const held = new Set([...args.approved, ...args.underReview]);
  const stillDenied = new Set(args.denied.filter((r) => args.previousRoles.includes(r)));
  const added = args.nextRestricted.filter((r) => !held.has(r) && !stillDenied.has(r));
  const removed = [...held].filter((r) => !args.nextRoles.includes(r));
  return { added: [...new Set(added)], removed };
}
