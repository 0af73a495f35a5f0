import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { submissionModal } from '../../../views/modals/submission.ts';
import { missingNotice, refusalNotice } from '../../../views/notices.ts';
import type { MessageView } from '../../../views/types.ts';
import { readSubmission } from '../../reviews/submission.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { notifyPerson } from '../notify.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A button's value: `<application id>` (card, /pii status) or `<application id>:<page>` (the modal's own pages). */
function parseValue(value: string | undefined): { id: number; page: number } | undefined {
  const match = /^(\d{1,9})(?::(\d{1,4}))?$/.exec(value ?? '');
  return match ? { id: Number(match[1]), page: Number(match[2] ?? 0) } : undefined;
}

function tell(args: Args, deps: ListenerDeps, notice: MessageView): Promise<unknown> {
  if (args.respond && args.body.container?.type !== 'view') {
    return args.respond({ response_type: 'ephemeral', replace_original: false, ...notice });
  }
  // From a modal there is no response_url; someone outside the channel gets a direct message.
  return notifyPerson(deps, args.body.user.id, notice);
}

/**
 * "View submission" on a card or in `/pii status`: the private submission in a modal, opened
 * right after the ack (a trigger id lives 3 s). Refused with a notice to anyone without a review role.
 */
export function viewSubmissionAction(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const { ack, action, body } = args;
    await ack();
    const user = body.user.id;
    try {
      const target = parseValue(action.value);
      if (!target) return void (await tell(args, deps, refusalNotice('This button does not belong to an application.')));
      const read = await readSubmission(deps, target.id, user);
      if (read.kind === 'refused') return void (await tell(args, deps, refusalNotice(read.message)));
      if (read.kind === 'not_found') return void (await tell(args, deps, missingNotice(target.id)));
      await deps.slack.views.open({ trigger_id: body.trigger_id, view: submissionModal(read.model, 0) });
    } catch (error) {
      deps.logger.error({ err: error, user }, 'could not open the submission');
      await tell(args, deps, { text: SOMETHING_WENT_WRONG, blocks: [] }).catch(() => {});
    }
  };
}

/** "Previous page" / "Next page" inside the submission modal: the same view, rebuilt for the same reader. */
export function submissionPageAction(deps: ListenerDeps) {
  return async (args: Args): Promise<void> => {
    const { ack, action, body } = args;
    await ack();
    const user = body.user.id;
    const viewId = body.view?.id;
    try {
      const target = parseValue(action.value);
      if (!target || !viewId) return;
      const read = await readSubmission(deps, target.id, user);
      if (read.kind !== 'found') {
        const notice = read.kind === 'refused' ? refusalNotice(read.message) : missingNotice(target.id);
        return void (await tell(args, deps, notice));
      }
      await deps.slack.views.update({ view_id: viewId, view: submissionModal(read.model, target.page) });
    } catch (error) {
      deps.logger.error({ err: error, user }, 'could not turn the page of a submission');
      await tell(args, deps, { text: SOMETHING_WENT_WRONG, blocks: [] }).catch(() => {});
    }
  };
}
