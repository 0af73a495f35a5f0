import { and, asc, eq } from 'drizzle-orm';
import { gaps } from '../../db/schema.ts';
import { askRoleMeetingModal, fastTrackModal } from '../../views/cycles.ts';
import { reinstateAccessModal, revokeAccessModal, suspendAccessModal } from '../../views/modals/access.ts';
import { assignModal, reasonModal } from '../../views/modals/admin.ts';
import { denyModal, developerRepliedModal, skipQuestionnaireModal } from '../../views/modals/exits.ts';
import type { ModalView } from '../../views/modals/kit.ts';
import { businessReviewModal } from '../../views/modals/stage1.ts';
import {
  recordAnswersModal,
  recordGapModal,
  requestInformationModal,
  resolveGapModal,
  reviewAnswersModal,
} from '../../views/modals/stage2.ts';
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
} from '../../views/modals/stage3.ts';
import { contactVisibleTo, type ReviewContext } from '../reviews/review-context.ts';
import { currentTemplate } from '../reviews/templates.ts';
import { addDaysUtc } from '../time.ts';
import { controlArea } from '../workflow/controls.ts';
import { fastTrackTarget, nextInRoleReview } from '../workflow/cycles.ts';
import { type CommandType, reopensAt } from '../workflow/rules.ts';
import { STAGE_LABELS } from '../workflow/states.ts';
import type { ListenerDeps } from './deps.ts';

/**
 * Builds a command's modal for the user who asked for it (`viewer`: what they may read depends
 * on who they are). `shownBefore`: in a paged modal (Review answers), what earlier pages showed.
 */
type ModalBuilder = (
  ctx: ReviewContext,
  deps: ListenerDeps,
  viewer: string,
  shownBefore?: ReadonlySet<string>,
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
  review_answers: (ctx, deps, viewer, shownBefore) =>
    ctx.questionnaire
      ? reviewAnswersModal(
          ctx.application,
          ctx.questionnaire,
          ctx.answers,
          contactVisibleTo(ctx, deps.roles, viewer),
          shownBefore,
        )
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
  reopen: (ctx) => reasonModal(ctx.application, 'reopen', reopensAt(ctx.state)),
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
