import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpView } from '../../../views/help.ts';
import { ambiguousView, notFoundView, statusView } from '../../../views/status.ts';
import type { MessageView } from '../../../views/types.ts';
import { lookupStatus } from '../../reviews/status.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/pii <subcommand> [arguments]`: answers are ephemeral, sent in the ack so they arrive at once. */
export function piiCommand(deps: ListenerDeps) {
  return async ({ command, ack }: Args): Promise<void> => {
    const [subcommand = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    const argument = rest.join(' ');
    let view: MessageView;
    try {
      view = await answer(deps, subcommand.toLowerCase(), argument);
    } catch (error) {
      deps.logger.error({ err: error, subcommand, user: command.user_id }, '/pii failed');
      view = { text: SOMETHING_WENT_WRONG, blocks: [] };
    }
    await ack({ response_type: 'ephemeral', ...view });
  };
}

async function answer(deps: ListenerDeps, subcommand: string, argument: string): Promise<MessageView> {
  switch (subcommand) {
    case 'help':
      return helpView();
    case 'status': {
      if (argument === '')
        return helpView(':information_source: `/pii status` needs an application: its number, profile id or organization name.');
      const found = await lookupStatus(deps, argument);
      if (found.kind === 'none') return notFoundView(argument);
      if (found.kind === 'many') return ambiguousView(argument, found.matches);
      return statusView(found.application, found.history, deps.clock.now());
    }
    default:
      return helpView(`:information_source: \`${subcommand.slice(0, 40).replace(/[<>&`]/g, '')}\` is not a /pii subcommand.`);
  }
}
