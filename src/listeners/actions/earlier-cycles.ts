import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { earlierCyclesModal } from '../../../views/cycles.ts';
import { missingNotice, refusalNotice } from '../../../views/notices.ts';
import { earlierCycles } from '../../reviews/cycles.ts';
import { getApplication, toSummary } from '../../reviews/queries.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { submissionRefusal } from '../../workflow/visibility.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Earlier cycles" on a card from cycle 2 on: how each earlier cycle ended, the denial text and the
 * team's internal reasons, in a modal for reviewers, architects and admins (never in the channel).
 */
export function earlierCyclesAction(deps: ListenerDeps) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, ...refusalNotice(text) });
    try {
      const refusal = submissionRefusal(rolesOf(deps.roles, user));
      if (refusal) return void (await tell(refusal.replace('read a submission', 'read earlier cycles')));
      const id = /^\d{1,9}$/.test(action.value ?? '') ? Number(action.value) : undefined;
      const app = id === undefined ? undefined : await getApplication(deps.db, id);
      if (!app || id === undefined) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...missingNotice(id ?? 0) });
        return;
      }
      const cycles = await earlierCycles(deps.db, app.id);
      await deps.slack.views.open({ trigger_id: body.trigger_id, view: earlierCyclesModal(toSummary(app), cycles) });
    } catch (error) {
      deps.logger.error({ err: error, user }, 'could not open the earlier cycles');
      await respond({ response_type: 'ephemeral', replace_original: false, text: SOMETHING_WENT_WRONG }).catch(() => {});
    }
  };
}
