import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Logger } from '../logger.ts';

export type ActionHandler<B extends BlockAction = BlockAction> = (
  args: SlackActionMiddlewareArgs<B> & AllMiddlewareArgs,
) => Promise<void>;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type ViewHandler = (args: ViewArgs) => Promise<void>;

/**
 * The block actions and modal submissions the app answers, by id, behind one Bolt listener
 * each. Bolt runs every registered listener's middleware chain (its matcher included) on every
 * request: with a listener per button and per modal, that was seventy chains of promises for
 * each click, about a tenth of a request's CPU. A map finds the one handler instead.
 *
 * A button nobody answers (a link button, a card rendered by an older version) is acknowledged,
 * so Slack shows no error to the person who clicked. A modal nobody answers is not: closing it
 * would say it was saved, so it is left to Bolt's unhandled-request answer, and Slack shows
 * the person an error in the modal. Both are logged.
 */
export function createRoutes(logger: Logger) {
  const actions = new Map<string, ActionHandler>();
  const views = new Map<string, ViewHandler>();
  const add = <H>(map: Map<string, H>, id: string, handler: H) => {
    if (map.has(id)) throw new Error(`two handlers for ${id}`);
    map.set(id, handler);
  };
  return {
    action<B extends BlockAction>(actionId: string, handler: ActionHandler<B>): void {
      add(actions, actionId, handler as unknown as ActionHandler);
    },
    view(callbackId: string, handler: ViewHandler): void {
      add(views, callbackId, handler);
    },
    /** The ids answered, for a test that every button a view renders has its handler. */
    ids(): { actions: string[]; views: string[] } {
      return { actions: [...actions.keys()], views: [...views.keys()] };
    },
    mount(app: App): void {
      app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
        const handler = actions.get(args.action.action_id);
        if (handler) return handler(args);
        logger.debug({ actionId: args.action.action_id }, 'block action with no handler; acknowledged');
        await args.ack();
      });
      app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
        const handler = views.get(args.view.callback_id);
        if (handler) return handler(args);
        logger.warn({ callbackId: args.view.callback_id }, 'modal submission with no handler; left unacknowledged');
      });
    },
  };
}

export type Routes = ReturnType<typeof createRoutes>;
