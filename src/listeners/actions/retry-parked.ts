import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { refusalNotice } from '../../../views/notices.ts';
import { retriedNotice } from '../../../views/slack-alerts.ts';
import { publishHome } from '../../dashboard/home-refresher.ts';
import { retryParkedEffects } from '../../jobs/parked.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { notifyPerson } from '../notify.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Retry parked" on an admin's App Home: the parked effects go back in the queue, the Home shows it. */
export function retryParkedClicked(deps: ListenerDeps) {
  return async ({ ack, body }: ButtonArgs): Promise<void> => {
    await ack();
    const user = body.user.id;
    const tell = (notice: { text: string }) => notifyPerson(deps, user, notice);
    if (!rolesOf(deps.roles, user).has('admin')) return tell(refusalNotice('Only an admin can retry parked Slack effects.'));
    try {
      const causes = await retryParkedEffects(deps, user);
      deps.onCommitted();
      await tell(retriedNotice(causes));
      await publishHome(deps, user);
    } catch (error) {
      deps.logger.error({ err: error, user }, 'retrying parked effects failed');
      await tell({ text: SOMETHING_WENT_WRONG });
    }
  };
}
