import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  type AnswerRow,
  type ApplicationRow,
  type AuditRow,
  audits,
  type ClarificationRow,
  clarificationQuestions,
  type GapRow,
  gaps,
  type MeetingRow,
  meetings,
  questionnaireAnswers,
  questionnaireVersions,
  type RemediationRow,
  type RestrictedCallRow,
  remediationItems,
  restrictedCalls,
} from '../../db/schema.ts';
import type { Questionnaire } from '../questionnaire/questionnaire.ts';
import type { Severity } from '../workflow/controls.ts';
import type { AnswerReview, WorkflowState } from '../workflow/rules.ts';
import type { Stage, Status } from '../workflow/states.ts';

export async function openGaps(db: DbOrTx, applicationId: number) {
  return db
    .select()
    .from(gaps)
    .where(and(eq(gaps.applicationId, applicationId), isNull(gaps.resolvedAt)))
    .orderBy(asc(gaps.id));
}

export async function answersOf(db: DbOrTx, applicationId: number) {
  return db
    .select()
    .from(questionnaireAnswers)
    .where(eq(questionnaireAnswers.applicationId, applicationId))
    .orderBy(asc(questionnaireAnswers.questionId));
}

export async function sentQuestionnaire(db: DbOrTx, version: string | null): Promise<Questionnaire | null> {
  if (version === null) return null;
  const [row] = await db.select().from(questionnaireVersions).where(eq(questionnaireVersions.version, version));
  return row ? (row.content as Questionnaire) : null;
}

export type ReviewRows = {
  openGaps: GapRow[];
  answers: AnswerRow[];
  /** The version sent to this application, or null before it was sent. */
  questionnaire: Questionnaire | null;
  /** The latest architecture review meeting, whatever its status. */
  meeting: MeetingRow | null;
  openQuestions: ClarificationRow[];
  lastRestrictedCall: RestrictedCallRow | null;
  audit: AuditRow | null;
  openRemediation: RemediationRow[];
};

export async function loadReviewRows(db: DbOrTx, app: ApplicationRow): Promise<ReviewRows> {
  // One after another: inside a transaction they share one connection (pg 9 refuses overlapping queries).
  const open = await openGaps(db, app.id);
  const answers = await answersOf(db, app.id);
  const questionnaire = await sentQuestionnaire(db, app.questionnaireVersion);
  const meeting = await db.select().from(meetings).where(eq(meetings.applicationId, app.id)).orderBy(desc(meetings.id)).limit(1);
  const questions = await db
    .select()
    .from(clarificationQuestions)
    .where(and(eq(clarificationQuestions.applicationId, app.id), isNull(clarificationQuestions.answeredAt)))
    .orderBy(asc(clarificationQuestions.id));
  const call = await db
    .select()
    .from(restrictedCalls)
    .where(eq(restrictedCalls.applicationId, app.id))
    .orderBy(desc(restrictedCalls.at))
    .limit(1);
  const audit = await db.select().from(audits).where(eq(audits.applicationId, app.id));

  const [auditRow] = audit;
  const remediation = auditRow
    ? await db
        .select()
        .from(remediationItems)
        .where(and(eq(remediationItems.auditId, auditRow.id), isNull(remediationItems.closedAt)))
        .orderBy(asc(remediationItems.dueOn))
    : [];
  return {
    openGaps: open,
    answers,
    questionnaire,
    meeting: meeting[0] ?? null,
    openQuestions: questions,
    lastRestrictedCall: call[0] ?? null,
    audit: auditRow ?? null,
    openRemediation: remediation,
  };
}

export function workflowStateFrom(app: ApplicationRow, rows: ReviewRows): WorkflowState {
  return {
    stage: app.stage as Stage,
    status: app.status as Status,
    assigneeId: app.assigneeId,
    openGaps: rows.openGaps.map((g) => ({ id: g.id, area: g.area, severity: g.severity as Severity })),
    questionnaire: rows.questionnaire
      ? { version: rows.questionnaire.version, questionIds: rows.questionnaire.questions.map((q) => q.id) }
      : null,
    answers: rows.answers.map((a) => ({ questionId: a.questionId, review: a.review as AnswerReview })),
    architectId: app.architectId,
    meeting: rows.meeting
      ? { status: rows.meeting.status as 'scheduled' | 'held' | 'cancelled', startsAt: rows.meeting.startsAt }
      : null,
    openQuestions: rows.openQuestions.map((q) => q.id),
    productionSince: app.productionSince,
    audit: rows.audit ? { status: rows.audit.status as 'scheduled' | 'remediation' | 'passed' } : null,
    openRemediation: rows.openRemediation.map((i) => i.id),
  };
}

/** Everything the workflow rules look at, read in one go. */
export async function loadWorkflowState(db: DbOrTx, app: ApplicationRow): Promise<WorkflowState> {
  return workflowStateFrom(app, await loadReviewRows(db, app));
}
