import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../../dashboard/home-refresher.ts';
import type { ListenerDeps } from '../deps.ts';

type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Publishes the user's App Home each time they open its Home tab (a retried event publishes the same again). */
export function homeOpened(deps: ListenerDeps) {
  return async ({ event }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, event.user);
    } catch (error) {
      // Nobody to tell: the tab keeps its last published content.
      deps.logger.error({ err: error, user: event.user }, 'could not publish the App Home');
    }
  };
}

/** "Open card" is a link; Slack still sends the click, which only needs an ack. */
export function openCardClicked() {
  return async ({ ack }: ButtonArgs): Promise<void> => {
    await ack();
  };
}
