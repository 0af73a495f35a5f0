import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { auditsView } from '../../../views/dashboard-audits.ts';
import { exportComment, exportFailedView, exportPreparingView } from '../../../views/dashboard-export.ts';
import { mineView } from '../../../views/dashboard-mine.ts';
import { statsView } from '../../../views/dashboard-stats.ts';
import { unescapeSlackText } from '../../../views/format.ts';
import { helpView } from '../../../views/help.ts';
import { templateModal } from '../../../views/modals/admin.ts';
import type { ModalView } from '../../../views/modals/kit.ts';
import { newApplicationModal } from '../../../views/modals/new-application.ts';
import { refusalNotice } from '../../../views/notices.ts';
import { parseQueuePageValue, parseStageArgument, queueView } from '../../../views/queue.ts';
import { retriedNotice } from '../../../views/slack-alerts.ts';
import { ambiguousView, notFoundView, statusView } from '../../../views/status.ts';
import type { MessageView } from '../../../views/types.ts';
import { auditOverview } from '../../dashboard/audits.ts';
import { buildExport } from '../../dashboard/export.ts';
import { whatWaitsOn } from '../../dashboard/mine.ts';
import { openQueue } from '../../dashboard/queue.ts';
import { teamStats } from '../../dashboard/stats.ts';
import { retryParkedEffects } from '../../jobs/parked.ts';
import { claimRequest } from '../../reviews/processed.ts';
import { lookupStatus } from '../../reviews/status.ts';
import { currentTemplate } from '../../reviews/templates.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
import { enterByHandRefusal, MAY_ENTER_BY_HAND } from '../views/new-application.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type Answer = { message: MessageView; after?: () => Promise<void> } | { modal: ModalView };
type Request = { user: string; channel: string; triggerId: string; respond: Args['respond'] };

/** Items per list of `/pii mine` and `/pii audits`; the rest is counted, never dropped silently. */
const LIST_LIMIT = 15;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 365;

/** `/pii <subcommand> [arguments]`: answers are ephemeral, sent in the ack so they arrive at once. */
export function piiCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: Args): Promise<void> => {
    const [subcommand = 'help', ...rest] = unescapeSlackText(command.text).trim().split(/\s+/).filter(Boolean);
    const request = { user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id, respond };
    let result: Answer;
    try {
      result = await answer(deps, subcommand.toLowerCase(), rest.join(' '), request);
    } catch (error) {
      deps.logger.error({ err: error, subcommand, user: command.user_id }, '/pii failed');
      result = { message: { text: SOMETHING_WENT_WRONG, blocks: [] } };
    }
    if ('message' in result) {
      await ack({ response_type: 'ephemeral', ...result.message });
      if (result.after) await result.after();
      return;
    }
    await ack();
    await deps.slack.views.open({ trigger_id: command.trigger_id, view: result.modal });
  };
}

const info = (text: string) => `:information_source: ${text}`;
const usage = (text: string): Answer => ({ message: helpView(info(text)) });

/** `[days]`: empty means the default; anything but a whole number of days in range is undefined. */
function parseDays(argument: string): number | undefined {
  if (argument === '') return DEFAULT_DAYS;
  if (!/^\d{1,3}$/.test(argument)) return undefined;
  const days = Number(argument);
  return days >= 1 && days <= MAX_DAYS ? days : undefined;
}

/** Subcommands that show applications: the queue and histories hold failed criteria and who decided what. */
const READS = new Set(['status', 'queue', 'stats', 'audits', 'mine', 'export']);

/** Someone without a role: what the bot is, and whom to ask for one. */
function noRoleView(deps: ListenerDeps): MessageView {
  const admins = deps.roles.admins.map((id) => `<@${id}>`).join(', ');
  const ask = admins ? `ask an admin (${admins}) for one` : 'ask whoever runs pii-review for one';
  return helpView(info(`You hold no role in pii-review, so it shows you no applications: ${ask}.`));
}

async function answer(deps: ListenerDeps, subcommand: string, argument: string, request: Request): Promise<Answer> {
  const { user } = request;
  const now = deps.clock.now();
  const roles = rolesOf(deps.roles, user);
  if (roles.size === 0 && READS.has(subcommand)) return { message: noRoleView(deps) };
  switch (subcommand) {
    case 'help':
      return { message: helpView() };
    case 'status': {
      if (argument === '') return usage('`/pii status` needs an application: its number, profile id or organization name.');
      const found = await lookupStatus(deps, argument);
      if (found.kind === 'none') return { message: notFoundView(argument) };
      if (found.kind === 'many') return { message: ambiguousView(argument, found.matches, found.more) };
      return { message: statusView(found.application, found.history, now) };
    }
    case 'queue': {
      const stage = argument === '' ? null : parseStageArgument(argument);
      if (stage === undefined) return usage('`/pii queue` takes a stage: business, security or architecture (or 1, 2, 3).');
      return { message: queueView(await openQueue(deps, { stage, offset: 0 }), now) };
    }
    case 'mine':
      if (argument !== '') return usage('`/pii mine` takes no arguments.');
      return { message: mineView(await whatWaitsOn(deps, { userId: user, roles, now, limit: LIST_LIMIT }), now) };
    case 'audits': {
      if (argument !== '') return usage('`/pii audits` takes no arguments.');
      const model = await auditOverview(deps, { now, auditAfterDays: deps.policy.auditAfterDays, limit: LIST_LIMIT });
      return { message: auditsView(model, now, deps.policy.auditAfterDays) };
    }
    case 'stats': {
      const days = parseDays(argument);
      if (days === undefined)
        return usage(`\`/pii stats\` takes a number of days from 1 to ${MAX_DAYS} (default ${DEFAULT_DAYS}).`);
      return { message: statsView(await teamStats(deps, { now, days, auditAfterDays: deps.policy.auditAfterDays })) };
    }
    case 'new':
      if (!MAY_ENTER_BY_HAND.some((r) => roles.has(r))) return { message: refusalNotice(enterByHandRefusal) };
      return { modal: newApplicationModal(request.channel) };
    case 'export': {
      if (!roles.has('admin')) return { message: refusalNotice('Only an admin can export applications.') };
      const days = parseDays(argument);
      if (days === undefined)
        return usage(`\`/pii export\` takes a number of days from 1 to ${MAX_DAYS} (default ${DEFAULT_DAYS}).`);
      // A replayed command (same trigger id), on this instance or another, sends no second export.
      if (!(await claimRequest(deps.db, `command:${request.triggerId}`, now))) {
        return usage('This export was already sent to your direct messages.');
      }
      return { message: exportPreparingView(days), after: () => sendExport(deps, request, days) };
    }
    case 'template': {
      if (argument.toLowerCase() !== 'denial') return usage('`/pii template denial` edits the general denial text.');
      if (!roles.has('admin')) return { message: refusalNotice('Only an admin can edit templates.') };
      return { modal: templateModal(await currentTemplate(deps.db, 'denial')) };
    }
    case 'retry-parked': {
      if (!roles.has('admin')) return { message: refusalNotice('Only an admin can retry parked Slack effects.') };
      const causes = await retryParkedEffects(deps, user);
      return { message: retriedNotice(causes), after: async () => deps.onCommitted() };
    }
    default:
      return usage(`\`${subcommand.slice(0, 40).replace(/[<>&`]/g, '')}\` is not a /pii subcommand.`);
  }
}

/** After the ack: the CSV files go to the requester's DM; a failure is told, never swallowed. */
async function sendExport(deps: ListenerDeps, request: Request, days: number): Promise<void> {
  try {
    const built = await buildExport(deps, { now: deps.clock.now(), days });
    const dm = await deps.slack.conversations.open({ users: request.user });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('conversations.open answered without a channel');
    await deps.slack.filesUploadV2({
      channel_id: channel,
      initial_comment: exportComment({ days, ...built }),
      file_uploads: built.files.map((f) => ({ file: Buffer.from(f.content, 'utf8'), filename: f.filename, title: f.title })),
    });
    deps.logger.info({ user: request.user, days, applications: built.applications, events: built.events }, 'export sent');
  } catch (error) {
    deps.logger.error({ err: error, user: request.user, days }, 'export failed');
    await request.respond({ response_type: 'ephemeral', replace_original: false, ...exportFailedView() }).catch(() => {});
  }
}

/** "Next page" / "Previous page" under `/pii queue`: the ephemeral answer is replaced by the asked page. */
export function queuePageAction(deps: ListenerDeps) {
  return async ({ ack, action, respond, body }: ButtonArgs): Promise<void> => {
    await ack();
    const target = parseQueuePageValue(action.value);
    if (rolesOf(deps.roles, body.user.id).size === 0) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...noRoleView(deps) }).catch(() => {});
      return;
    }
    try {
      if (!target) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...helpView(info('That page does not exist.')) });
        return;
      }
      const page = await openQueue(deps, target);
      await respond({ replace_original: true, ...queueView(page, deps.clock.now()) });
    } catch (error) {
      deps.logger.error({ err: error, user: body.user.id }, 'queue paging failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: SOMETHING_WENT_WRONG }).catch(() => {});
    }
  };
}
