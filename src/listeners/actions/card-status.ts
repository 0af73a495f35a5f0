import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { notFoundView, statusView } from '../../../views/status.ts';
import { lookupStatus } from '../../reviews/status.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Status & history" on a card: the same answer as `/pii status`, only to the one who clicked. */
export function cardStatusAction(deps: ListenerDeps) {
  return async ({ ack, action, respond, body }: Args): Promise<void> => {
    await ack();
    try {
      const found = await lookupStatus(deps, `#${action.value ?? ''}`);
      const view =
        found.kind === 'found'
          ? statusView(found.application, found.history, deps.clock.now())
          : notFoundView(action.value ?? '');
      await respond({ response_type: 'ephemeral', replace_original: false, ...view });
    } catch (error) {
      deps.logger.error({ err: error, user: body.user.id }, 'card status failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: SOMETHING_WENT_WRONG });
    }
  };
}
