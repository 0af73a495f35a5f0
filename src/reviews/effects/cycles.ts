import type { CycleCommandType } from '../../workflow/cycles.ts';
import { fastTrackTarget } from '../../workflow/cycles.ts';
import type { Command, WorkflowState } from '../../workflow/rules.ts';
import { recordFastTrack } from '../cycles.ts';
import type { Details, Write } from './types.ts';

type CycleCommand = Extract<Command, { type: CycleCommandType }>;

/** The rows a cycle or role-review command writes; runs only after the rules said yes. */
export async function applyCycleEffects(
  { tx, app, actorId, now }: Write,
  command: CycleCommand,
  state: WorkflowState,
): Promise<Details> {
  switch (command.type) {
    case 'fast_track': {
      const to = fastTrackTarget(state) ?? 'security';
      // The reason is the team's: kept with the cycle (Earlier cycles), not in the event or the channel.
      await recordFastTrack(tx, app, { to, reason: command.reason.trim(), by: actorId, at: now });
      return {
        type: 'cycle.fast_tracked',
        payload: { cycle: app.cycle, to, previousCycle: app.cycle - 1 },
      };
    }
    case 'ask_role_meeting': {
      const stages = [...new Set([...(app.roleReviewStages ?? ['business']), 'architecture'])];
      return {
        type: 'role_review.meeting_asked',
        payload: { reason: command.reason.trim() },
        applicationChanges: { roleReviewStages: stages },
      };
    }
  }
}
