import type { AllMiddlewareArgs, BlockButtonAction, BlockOverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { and, asc, eq } from 'drizzle-orm';
import { gaps } from '../../../db/schema.ts';
import { askRoleMeetingModal, fastTrackModal } from '../../../views/cycles.ts';
import { reinstateAccessModal, revokeAccessModal, suspendAccessModal } from '../../../views/modals/access.ts';
import { assignModal, reasonModal } from '../../../views/modals/admin.ts';
import { denyModal, developerRepliedModal, skipQuestionnaireModal } from '../../../views/modals/exits.ts';
import type { ModalView } from '../../../views/modals/kit.ts';
import { businessReviewModal } from '../../../views/modals/stage1.ts';
import {
  recordAnswersModal,
  recordGapModal,
  requestInformationModal,
  resolveGapModal,
  reviewAnswersModal,
} from '../../../views/modals/stage2.ts';
import {
  auditOutcomeModal,
  cancelReviewModal,
  closeRemediationModal,
  defaultAgenda,
  goLiveModal,
  markAnsweredModal,
  outcomeModal,
  restrictedCallModal,
  scheduleAuditModal,
  scheduleReviewModal,
} from '../../../views/modals/stage3.ts';
import { conflictNotice, missingNotice, refusalNotice } from '../../../views/notices.ts';
import type { MessageView } from '../../../views/types.ts';
import { publishHome } from '../../dashboard/home-refresher.ts';
import { applyDecision } from '../../reviews/decide.ts';
import { contactVisibleTo, type ReviewContext, reviewContextFrom } from '../../reviews/review-context.ts';
import { currentTemplate } from '../../reviews/templates.ts';
import { loadApplicationWithRows } from '../../reviews/workflow-state.ts';
import { addDaysUtc } from '../../time.ts';
import { controlArea } from '../../workflow/controls.ts';
import { fastTrackTarget, nextInRoleReview } from '../../workflow/cycles.ts';
import { rolesOf } from '../../workflow/roles.ts';
import { type Command, type CommandType, openRefusal, roleAllows } from '../../workflow/rules.ts';
import { STAGE_LABELS } from '../../workflow/states.ts';
import { type ListenerDeps, SOMETHING_WENT_WRONG } from '../deps.ts';
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

/** Builds a command's modal for the user who asked for it (`viewer`: what they may read depends on who they are). */
type ModalBuilder = (
  ctx: ReviewContext,
  deps: ListenerDeps,
  viewer: string,
) => Promise<ModalView | undefined> | ModalView | undefined;

export const MODALS: Partial<Record<CommandType, ModalBuilder>> = {
  business_review: async (ctx, deps) =>
    businessReviewModal(
      ctx.application,
      await currentTemplate(deps.db, 'denial'),
      ctx.profile,
      ctx.state.track?.criteria,
      ctx.state.roleReview ? { advance: roleReviewAdvance(ctx) } : undefined,
    ),
  record_gap: (ctx) => recordGapModal(ctx.application, ctx.profile.securityAnswers ?? []),
  resolve_gap: (ctx) => resolveGapModal(ctx.application, ctx.openGaps),
  request_information: (ctx) => requestInformationModal(ctx.application, ctx.openGaps, ctx.application.infoRounds + 1),
  record_answers: (ctx, deps, viewer) =>
    ctx.questionnaire
      ? recordAnswersModal(ctx.application, ctx.questionnaire, ctx.answers, contactVisibleTo(ctx, deps.roles, viewer))
      : undefined,
  review_answers: (ctx, deps, viewer) =>
    ctx.questionnaire
      ? reviewAnswersModal(ctx.application, ctx.questionnaire, ctx.answers, contactVisibleTo(ctx, deps.roles, viewer))
      : undefined,
  developer_replied: (ctx) =>
    developerRepliedModal(
      ctx.application,
      ctx.state.stage === 'architecture'
        ? { kind: 'questions', items: ctx.openQuestions }
        : {
            kind: 'gaps',
            items: ctx.openGaps.map((g) => ({ id: g.id, text: `${controlArea(g.area)?.label ?? g.area} · ${g.severity}` })),
          },
    ),
  deny_security: async (ctx, deps) => denyModal(ctx.application, 'security', await currentTemplate(deps.db, 'denial')),
  deny_architecture: async (ctx, deps) => denyModal(ctx.application, 'architecture', await currentTemplate(deps.db, 'denial')),
  skip_questionnaire: (ctx) => skipQuestionnaireModal(ctx.application),
  schedule_review: async (ctx, deps) => {
    askArchitectsTimeZones(deps);
    return scheduleReviewModal(
      ctx.application,
      { architectId: ctx.application.architectId, durationMinutes: 60, agenda: await agendaFor(deps, ctx) },
      false,
    );
  },
  reschedule_review: (ctx, deps) => {
    if (!ctx.meeting) return undefined;
    askArchitectsTimeZones(deps);
    const { architectId, startsAt, durationMinutes, agenda } = ctx.meeting;
    return scheduleReviewModal(ctx.application, { architectId, startsAt, durationMinutes, agenda }, true);
  },
  cancel_review: (ctx) => cancelReviewModal(ctx.application),
  record_outcome: (ctx, deps) =>
    outcomeModal(
      ctx.application,
      ctx.meeting && ctx.meeting.startsAt.getTime() > deps.clock.now().getTime() ? ctx.meeting.startsAt : null,
    ),
  mark_answered: (ctx) => markAnsweredModal(ctx.application, ctx.openQuestions),
  record_go_live: (ctx, deps) => goLiveModal(ctx.application, deps.policy.auditAfterDays, ctx.application.productionSince),
  record_restricted_call: (ctx, deps, viewer) => {
    // The submission may state the approval's time in the person's zone: asked of Slack now, not on its way to the ack.
    deps.timeZones.prefetch([viewer]);
    return restrictedCallModal(ctx.application);
  },
  schedule_audit: (ctx, deps) =>
    // A scheduled audit is moved (its date and auditor prefilled); after an outcome, a new one starts blank.
    ctx.audit?.status === 'scheduled'
      ? scheduleAuditModal(ctx.application, ctx.audit.scheduledFor, ctx.audit.auditor)
      : scheduleAuditModal(
          ctx.application,
          ctx.audit || !ctx.application.productionSince
            ? null
            : addDaysUtc(ctx.application.productionSince, deps.policy.auditAfterDays),
        ),
  record_audit_outcome: (ctx) => auditOutcomeModal(ctx.application),
  close_remediation: (ctx) => closeRemediationModal(ctx.application, ctx.openRemediation),
  suspend_access: (ctx) =>
    suspendAccessModal(ctx.application, ctx.state.access ?? null, ctx.audit?.status === 'failed' ? 'audit_failed' : undefined),
  reinstate_access: (ctx) => reinstateAccessModal(ctx.application),
  revoke_access: (ctx) => revokeAccessModal(ctx.application, ctx.state.access ?? null),
  assign: (ctx) => assignModal(ctx.application),
  withdraw: (ctx) => reasonModal(ctx.application, 'withdraw'),
  reopen: (ctx) => reasonModal(ctx.application, 'reopen'),
  fast_track: (ctx) => fastTrackModal(ctx.application, fastTrackTarget(ctx.state)),
  ask_role_meeting: (ctx) => askRoleMeetingModal(ctx.application),
};

/** What passing Stage 1 of a role review leads to, in the words of the decision. */
function roleReviewAdvance(ctx: ReviewContext): string {
  const next = nextInRoleReview(ctx.state, 'business');
  return next.stage === 'approved' ? 'Approve the added roles' : `Advance to ${STAGE_LABELS[next.stage]}`;
}

/**
 * The scheduling modal is open: the submission will check the chosen architect's working
 * hours, so their time zones are asked of Slack now, while the user fills it in, not on the
 * submission's way to its ack.
 */
function askArchitectsTimeZones(deps: ListenerDeps): void {
  deps.timeZones.prefetch(deps.roles.architects);
}

/** Every gap ever raised (open or resolved) and the questionnaire's topics seed the meeting agenda. */
async function agendaFor(deps: ListenerDeps, ctx: ReviewContext): Promise<string> {
  const history = await deps.db
    .select({ area: gaps.area, severity: gaps.severity, resolvedAt: gaps.resolvedAt })
    .from(gaps)
    .where(and(eq(gaps.applicationId, ctx.application.id), eq(gaps.cycle, ctx.state.cycle?.number ?? 1)))
    .orderBy(asc(gaps.id));
  return defaultAgenda(history, ctx.questionnaire?.questions.map((q) => q.area) ?? []);
}

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
    if (result.kind === 'done') {
      deps.onCommitted();
      // Clicked on the App Home (Claim): the clicker's own Home shows it at once, not after the
      // team-wide debounce; the other role holders' Homes follow that debounce.
      if (body.view?.type === 'home') {
        await publishHome(deps, user).catch((error: unknown) =>
          deps.logger.warn({ err: error, user }, 'could not publish the App Home'),
        );
      }
      return;
    }
    if (result.kind === 'refused') return void (await tell(refusalNotice(result.refusal.message)));
    if (result.kind === 'not_found') return void (await tell(missingNotice(target.id)));
    if (result.kind === 'conflict') {
      const ownRepeat = result.by === user && deps.clock.now().getTime() - result.at.getTime() < OWN_REPEAT_WINDOW_MS;
      if (!ownRepeat) await tell(conflictNotice(result.by, result.at));
    }
  };
}
