import type { AllMiddlewareArgs, BlockButtonAction, BlockOverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { conflictNotice, missingNotice, refusalNotice } from '../../../views/notices.ts';
import type { MessageView } from '../../../views/types.ts';
import { publishHome } from '../../dashboard/home-refresher.ts';
import { applyDecision } from '../../reviews/decide.ts';
import { reviewContextFrom } from '../../reviews/review-context.ts';
import { loadApplicationWithRows } from '../../reviews/workflow-state.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type Command, type CommandType, openRefusal, roleAllows } from '../../workflow/rules.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { MODALS } from '../modals.ts';
import { notifyPerson } from '../notify.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type OverflowArgs = SlackActionMiddlewareArgs<BlockOverflowAction> & AllMiddlewareArgs;

/** A card button's value: `<application id>:<version seen>`. */
function parseCardValue(value: string | undefined): { id: number; v: number } | undefined {
  const match = /^(\d{1,9}):(\d{1,9})$/.exec(value ?? '');
  return match ? { id: Number(match[1]), v: Number(match[2]) } : undefined;
}

/** A double click shows up as a conflict with one's own decision of a moment ago: nothing to tell. */
const OWN_REPEAT_WINDOW_MS = 10_000;

type Respond = ButtonArgs['respond'];
/** Where a notice goes: the message's response_url, or (clicks in the App Home have none) an ephemeral in the review channel. */
type Teller = (notice: MessageView) => Promise<unknown>;
function teller(deps: ListenerDeps, args: { respond?: Respond; user: string }): Teller {
  const { respond, user } = args;
  if (respond) return (notice) => respond({ response_type: 'ephemeral', replace_original: false, ...notice });
  return (notice) => notifyPerson(deps, user, notice);
}

/**
 * Opens the modal for a command, after the same role and state checks the decision will
 * face: a refused user is told why at once instead of filling in a form for nothing.
 */
async function openModal(
  deps: ListenerDeps,
  args: {
    user: string;
    triggerId: string;
    command: CommandType;
    target: { id: number };
    tell: Teller;
  },
): Promise<void> {
  const { user, command, tell } = args;
  try {
    const refusedRole = roleAllows(rolesOf(deps.roles, user), command);
    if (refusedRole) return void (await tell(refusalNotice(refusedRole.message)));
    const read = await loadApplicationWithRows(deps.db, args.target.id);
    if (!read) return void (await tell(missingNotice(args.target.id)));
    // The decision submitted from this modal starts from what it shows, if nothing changed meanwhile.
    deps.readCache?.remember({ app: read.app, rows: read.rows, rowVersion: read.rowVersion });
    const ctx = reviewContextFrom(read.app, read.rows, deps.policy.privateTrack);
    const refusedHere = openRefusal(ctx.state, command, { id: user, roles: rolesOf(deps.roles, user) });
    if (refusedHere) return void (await tell(refusalNotice(refusedHere.message)));
    const view = await MODALS[command]?.(ctx, deps, user);
    if (!view) return void (await tell(refusalNotice('There is nothing to fill in for this now.')));
    await deps.slack.views.open({ trigger_id: args.triggerId, view });
  } catch (error) {
    deps.logger.error({ err: error, user, command }, 'could not open a modal');
    await tell({ text: SOMETHING_WENT_WRONG, blocks: [] }).catch(() => {});
  }
}

export function modalButton(deps: ListenerDeps, command: CommandType) {
  return async ({ ack, action, body, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const tell = teller(deps, { respond, user: body.user.id });
    const target = parseCardValue(action.value);
    if (!target) return void (await tell(refusalNotice('This button does not belong to an application.')));
    await openModal(deps, { user: body.user.id, triggerId: body.trigger_id, command, target, tell });
  };
}

/** The commands of the card's ⋯ menu, admins' all. */
export const OVERFLOW_COMMANDS = ['assign', 'withdraw', 'reopen', 'suspend_access', 'reinstate_access', 'revoke_access'] as const;
const isOverflowCommand = (c: string): c is (typeof OVERFLOW_COMMANDS)[number] =>
  (OVERFLOW_COMMANDS as readonly string[]).includes(c);

/** The admin overflow: its option value is `<command>:<id>:<version>`. */
export function adminOverflow(deps: ListenerDeps) {
  return async ({ ack, action, body, respond }: OverflowArgs): Promise<void> => {
    await ack();
    const tell = teller(deps, { respond, user: body.user.id });
    const [command, ...rest] = (action.selected_option?.value ?? '').split(':');
    const target = parseCardValue(rest.join(':'));
    if (!target || !command || !isOverflowCommand(command)) {
      return void (await tell(refusalNotice('That is not an option of this card.')));
    }
    await openModal(deps, { user: body.user.id, triggerId: body.trigger_id, command, target, tell });
  };
}

const DIRECT: Record<'claim' | 'send_questionnaire' | 'pass_security', (deps: ListenerDeps) => Command> = {
  claim: () => ({ type: 'claim' }),
  pass_security: () => ({ type: 'pass_security' }),
  send_questionnaire: (deps) => ({
    type: 'send_questionnaire',
    version: deps.questionnaire.version,
    questionIds: deps.questionnaire.questions.map((q) => q.id),
  }),
};

/**
 * A button that is the decision itself (with a confirm dialog where it matters). The
 * decision commits before the click is acknowledged, so an acknowledged click is never lost;
 * the transaction takes milliseconds, far inside Slack's 3 seconds.
 */
export function directButton(deps: ListenerDeps, command: keyof typeof DIRECT) {
  return async ({ ack, action, body, respond }: ButtonArgs): Promise<void> => {
    const user = body.user.id;
    const tell = teller(deps, { respond, user });
    const target = parseCardValue(action.value);
    if (!target) {
      await ack();
      return void (await tell(refusalNotice('This button does not belong to an application.')));
    }
    let result: Awaited<ReturnType<typeof applyDecision>>;
    try {
      result = await applyDecision(deps, {
        applicationId: target.id,
        seenVersion: target.v,
        actorId: user,
        command: DIRECT[command](deps),
      });
    } catch (error) {
      deps.logger.error({ err: error, user, command }, 'decision failed');
      await ack();
      return void (await tell({ text: SOMETHING_WENT_WRONG, blocks: [] }).catch(() => {}));
    }
    await ack();
    if (result.kind === 'done') deps.onCommitted();
    else if (result.kind === 'refused') await tell(refusalNotice(result.refusal.message));
    else if (result.kind === 'not_found') await tell(missingNotice(target.id));
    else if (result.kind === 'conflict') {
      const ownRepeat = result.by === user && deps.clock.now().getTime() - result.at.getTime() < OWN_REPEAT_WINDOW_MS;
      if (!ownRepeat) await tell(conflictNotice(result));
    }
    // Clicked on the App Home (Claim): the clicker's own Home shows at once what came of it (the
    // claim, or the application as it is now when the Home was out of date), not after the
    // team-wide debounce; the other role holders' Homes follow that debounce.
    if (body.view?.type === 'home') {
      await publishHome(deps, user).catch((error: unknown) =>
        deps.logger.warn({ err: error, user }, 'could not publish the App Home'),
      );
    }
  };
}
