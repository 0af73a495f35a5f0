import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { helpView } from '../../../views/help.ts';
import { templateModal } from '../../../views/modals/admin.ts';
import type { ModalView } from '../../../views/modals/kit.ts';
import { refusalNotice } from '../../../views/notices.ts';
import { ambiguousView, notFoundView, statusView } from '../../../views/status.ts';
import type { MessageView } from '../../../views/types.ts';
import { lookupStatus } from '../../reviews/status.ts';
import { currentTemplate } from '../../reviews/templates.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Answer = { message: MessageView } | { modal: ModalView };

/** `/pii <subcommand> [arguments]`: answers are ephemeral, sent in the ack so they arrive at once. */
export function piiCommand(deps: ListenerDeps) {
  return async ({ command, ack, client }: Args): Promise<void> => {
    const [subcommand = 'help', ...rest] = command.text.trim().split(/\s+/).filter(Boolean);
    let result: Answer;
    try {
      result = await answer(deps, subcommand.toLowerCase(), rest.join(' '), command.user_id);
    } catch (error) {
      deps.logger.error({ err: error, subcommand, user: command.user_id }, '/pii failed');
      result = { message: { text: SOMETHING_WENT_WRONG, blocks: [] } };
    }
    if ('message' in result) return void (await ack({ response_type: 'ephemeral', ...result.message }));
    await ack();
    await client.views.open({ trigger_id: command.trigger_id, view: result.modal });
  };
}

const info = (text: string) => `:information_source: ${text}`;

async function answer(deps: ListenerDeps, subcommand: string, argument: string, user: string): Promise<Answer> {
  switch (subcommand) {
    case 'help':
      return { message: helpView() };
    case 'status': {
      if (argument === '')
        return { message: helpView(info('`/pii status` needs an application: its number, profile id or organization name.')) };
      const found = await lookupStatus(deps, argument);
      if (found.kind === 'none') return { message: notFoundView(argument) };
      if (found.kind === 'many') return { message: ambiguousView(argument, found.matches) };
      return { message: statusView(found.application, found.history, deps.clock.now()) };
    }
    case 'template': {
      if (argument.toLowerCase() !== 'denial')
        return { message: helpView(info('`/pii template denial` edits the general denial text.')) };
      if (!rolesOf(deps.roles, user).has('admin')) return { message: refusalNotice('Only an admin can edit templates.') };
      return { modal: templateModal(await currentTemplate(deps.db, 'denial')) };
    }
    default:
      return { message: helpView(info(`\`${subcommand.slice(0, 40).replace(/[<>&`]/g, '')}\` is not a /pii subcommand.`)) };
  }
}
