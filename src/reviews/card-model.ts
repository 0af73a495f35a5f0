import type { DbOrTx } from '../../db/client.ts';
import type { ApplicationRow } from '../../db/schema.ts';
import type { CardModel } from '../../views/types.ts';
import type { Policy } from '../config.ts';
import { addDaysUtc } from '../time.ts';
import { accessDeadline } from '../workflow/access.ts';
import type { Severity } from '../workflow/controls.ts';
import { hasProductionLife } from '../workflow/late.ts';
import { availableCommands, pendingAnswers } from '../workflow/rules.ts';
import { toSummary } from './queries.ts';
import { loadReviewRows, type ReviewRows, workflowStateFrom } from './workflow-state.ts';

/** Everything the card shows, read from the database when the card is (re)drawn. */
export async function loadCardModel(db: DbOrTx, app: ApplicationRow, policy: Policy): Promise<CardModel> {
  return cardModelFrom(app, await loadReviewRows(db, app), policy);
}

/** The card's model from an application and its review rows read already (with it, in one query). */
export function cardModelFrom(app: ApplicationRow, rows: ReviewRows, policy: Policy): CardModel {
  const state = workflowStateFrom(app, rows, policy.privateTrack);
  const gapsBySeverity: Partial<Record<Severity, number>> = {};
  for (const gap of state.openGaps) gapsBySeverity[gap.severity] = (gapsBySeverity[gap.severity] ?? 0) + 1;
  return {
    ...toSummary(app),
    openGaps: state.openGaps.length,
    gapsBySeverity,
    questionnaire: state.questionnaire
      ? {
          version: state.questionnaire.version,
          total: state.questionnaire.questionIds.length,
          answered: state.answers.length,
          accepted: state.answers.filter((a) => a.review === 'accepted').length,
          toReview: pendingAnswers(state).length,
        }
      : null,
    commands: availableCommands(state),
    track: state.track?.name ?? 'public',
    meeting: rows.meeting
      ? {
          startsAt: rows.meeting.startsAt,
          durationMinutes: rows.meeting.durationMinutes,
          architectId: rows.meeting.architectId,
          status: rows.meeting.status,
        }
      : null,
    openQuestions: rows.openQuestions.length,
    approvedAt: app.approvedAt,
    restrictedCallDueBy: app.approvedAt ? firstCallDueBy(app.approvedAt, app, policy) : null,
    lastRestrictedCallAt: rows.lastRestrictedCall?.at ?? null,
    productionSince: app.productionSince,
    auditDueOn: app.productionSince ? addDaysUtc(app.productionSince, policy.auditAfterDays) : null,
    audit: rows.audit ? { status: rows.audit.status, auditor: rows.audit.auditor, scheduledFor: rows.audit.scheduledFor } : null,
    auditCount: rows.auditCount,
    productionLife: hasProductionLife(state),
    access: state.access ? { status: state.access, since: app.accessSince ?? app.approvedAt, reason: app.accessReason } : null,
    openRemediation: rows.openRemediation.map((i) => ({ text: i.text, dueOn: i.dueOn })),
    previousCycle: rows.previousCycle
      ? {
          number: rows.previousCycle.number,
          outcome: rows.previousCycle.outcome,
          endedAtStage: rows.previousCycle.endedAtStage,
          permalink: rows.previousCycle.outcomePermalink,
        }
      : null,
    roleStatuses: rows.roles.map((r) => ({ role: r.role, status: r.status })),
  };
}

/** When the first call is due: the grace period from the approval, or from a reinstatement with no call since. */
function firstCallDueBy(approvedAt: Date, app: ApplicationRow, policy: Policy): Date | null {
  const deadline = accessDeadline(
    { approvedAt, lastRestrictedCallAt: app.lastRestrictedCallAt, reinstatedAt: app.accessReinstatedAt },
    policy,
  );
  return deadline.cause === 'inactive' ? null : deadline.at;
}
