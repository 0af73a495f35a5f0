import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';
import { parsedJson, rowDecoder, rowsOf } from '../../db/rows.ts';
import {
  type AnswerRow,
  type ApplicationRoleRow,
  type ApplicationRow,
  type AuditRow,
  applicationRoles,
  applications,
  audits,
  type ClarificationRow,
  clarificationQuestions,
  type EventRow,
  events,
  type GapRow,
  gaps,
  type MeetingRow,
  meetings,
  questionnaireAnswers,
  questionnaireVersions,
  type RemediationRow,
  type RestrictedCallRow,
  type ReviewCycleRow,
  remediationItems,
  restrictedCalls,
  reviewCycles,
} from '../../db/schema.ts';
import { type Questionnaire, withContactFlags } from '../questionnaire/questionnaire.ts';
import { accessOf } from '../workflow/access.ts';
import type { Severity } from '../workflow/controls.ts';
import type { AnswerReview, WorkflowState } from '../workflow/rules.ts';
import type { Stage, Status } from '../workflow/states.ts';
import { type TrackSettings, trackFor } from '../workflow/tracks.ts';
import type { AuditStatus } from '../workflow/types.ts';

export async function sentQuestionnaire(db: DbOrTx, version: string | null): Promise<Questionnaire | null> {
  if (version === null) return null;
  const [row] = await db.select().from(questionnaireVersions).where(eq(questionnaireVersions.version, version));
  return row ? withContactFlags(row.content as Questionnaire) : null;
}

export type ReviewRows = {
  /** The gaps of the review under way still open. */
  openGaps: GapRow[];
  answers: AnswerRow[];
  /** The version sent to this application (with the shipped contact flags, `withContactFlags`), or null before it was sent. */
  questionnaire: Questionnaire | null;
  /** The latest architecture review meeting of the review under way (see reviewRowColumns), whatever its status. */
  meeting: MeetingRow | null;
  /** The clarification questions of the review under way still open. */
  openQuestions: ClarificationRow[];
  lastRestrictedCall: RestrictedCallRow | null;
  /** The latest audit; `auditCount` counts every one the application has had. */
  audit: AuditRow | null;
  auditCount: number;
  openRemediation: RemediationRow[];
  /** The record of the cycle before this one (where it ended), and of this one (fast-tracked?). */
  previousCycle: ReviewCycleRow | null;
  currentCycle: ReviewCycleRow | null;
  /** The restricted roles once approved, each with its status (empty before the first approval). */
  roles: ApplicationRoleRow[];
};

const decode = {
  application: rowDecoder(applications),
  gap: rowDecoder(gaps),
  answer: rowDecoder(questionnaireAnswers),
  meeting: rowDecoder(meetings),
  question: rowDecoder(clarificationQuestions),
  call: rowDecoder(restrictedCalls),
  audit: rowDecoder(audits),
  remediation: rowDecoder(remediationItems),
  cycle: rowDecoder(reviewCycles),
  role: rowDecoder(applicationRoles),
  event: rowDecoder(events),
};

const list = <T>(value: unknown, one: (raw: unknown) => T): T[] => ((parsedJson(value) as unknown[] | null) ?? []).map(one);
const maybe = <T>(value: unknown, one: (raw: unknown) => T): T | null => {
  const parsed = parsedJson(value);
  return parsed === null || parsed === undefined ? null : one(parsed);
};

/** Where reviewRowColumns reads an application's columns from (a row alias, a subquery, or parameters). */
export type ReviewRowsOf = { id: SQL; version: SQL; cycle: SQL; roleReviewSince: SQL };

/**
 * The review rows of one application as columns of a single select (one round trip, where
 * a query per table cost a round trip and a query build each). Same filters and order as
 * one query per table; ties broken by id so the order is stable.
 *
 * Gaps, the meeting and clarification questions belong to the review they were raised in: the
 * cycle's, and while a role review is under way, that role review's own (raised since it
 * started). An earlier review's leftovers (a role review denied while questions were open) are
 * history, and neither block nor show in the next one.
 */
export function reviewRowColumns({ id, version, cycle, roleReviewSince }: ReviewRowsOf): SQL {
  const since = sql`coalesce(${roleReviewSince}, '-infinity'::timestamptz)`;
  return sql`
    (select coalesce(json_agg(g order by g.id), '[]') from ${gaps} g
      where g.application_id = ${id} and g.cycle = ${cycle} and g.resolved_at is null and g.raised_at >= ${since}) as open_gaps,
    (select coalesce(json_agg(qa order by qa.question_id), '[]') from ${questionnaireAnswers} qa
      where qa.application_id = ${id} and qa.cycle = ${cycle}) as answers,
    (select qv.content from ${questionnaireVersions} qv where qv.version = ${version}) as questionnaire,
    (select row_to_json(m) from ${meetings} m where m.application_id = ${id} and m.cycle = ${cycle} and m.created_at >= ${since}
      order by m.id desc limit 1) as meeting,
    (select coalesce(json_agg(c order by c.id), '[]') from ${clarificationQuestions} c
      where c.application_id = ${id} and c.cycle = ${cycle} and c.answered_at is null and c.raised_at >= ${since}) as open_questions,
    (select row_to_json(pc) from ${reviewCycles} pc where pc.application_id = ${id} and pc.number = ${cycle} - 1) as previous_cycle,
    (select row_to_json(cc) from ${reviewCycles} cc where cc.application_id = ${id} and cc.number = ${cycle}) as current_cycle,
    (select coalesce(json_agg(ar order by ar.role), '[]') from ${applicationRoles} ar where ar.application_id = ${id}) as roles,
    (select row_to_json(r) from ${restrictedCalls} r
      where r.application_id = ${id} order by r.at desc, r.id desc limit 1) as last_call,
    (select row_to_json(au) from ${audits} au where au.application_id = ${id} order by au.id desc limit 1) as audit,
    (select count(*)::int from ${audits} au where au.application_id = ${id}) as audit_count,
    (select coalesce(json_agg(ri order by ri.due_on, ri.id), '[]') from ${remediationItems} ri
      join ${audits} ra on ra.id = ri.audit_id
      where ra.application_id = ${id} and ri.closed_at is null) as open_remediation`;
}

export function reviewRowsFrom(row: Record<string, unknown>): ReviewRows {
  const questionnaire = parsedJson(row.questionnaire);
  return {
    openGaps: list(row.open_gaps, decode.gap),
    answers: list(row.answers, decode.answer),
    questionnaire: questionnaire ? withContactFlags(questionnaire as Questionnaire) : null,
    meeting: maybe(row.meeting, decode.meeting),
    openQuestions: list(row.open_questions, decode.question),
    lastRestrictedCall: maybe(row.last_call, decode.call),
    audit: maybe(row.audit, decode.audit),
    auditCount: Number(row.audit_count ?? 0),
    openRemediation: list(row.open_remediation, decode.remediation),
    previousCycle: maybe(row.previous_cycle, decode.cycle),
    currentCycle: maybe(row.current_cycle, decode.cycle),
    roles: list(row.roles, decode.role),
  };
}

/** reviewRowColumns for the application read as `a`. */
export const columnsOfA: ReviewRowsOf = {
  id: sql`a.id`,
  version: sql`a.questionnaire_version`,
  cycle: sql`a.cycle`,
  roleReviewSince: sql`a.role_review_since`,
};

/** The review rows of an application already read (and, in a decision, locked): one query. */
export async function loadReviewRows(db: DbOrTx, app: ApplicationRow): Promise<ReviewRows> {
  const result = await executePrepared(
    db,
    sql`select ${reviewRowColumns({
      id: sql`${app.id}::integer`,
      version: sql`${app.questionnaireVersion}::text`,
      cycle: sql`${app.cycle}::integer`,
      roleReviewSince: sql`${app.roleReviewSince?.toISOString() ?? null}::timestamptz`,
    })}`,
  );
  const [row] = rowsOf(result);
  if (!row) throw new Error(`review rows of application ${app.id} came back empty`);
  return reviewRowsFrom(row);
}

/**
 * The application and its review rows in one query (with `history`, its events in order too);
 * undefined when there is no such application.
 */
export async function loadApplicationWithRows(
  db: DbOrTx,
  id: number,
  options: { history?: boolean } = {},
): Promise<{ app: ApplicationRow; rows: ReviewRows; history: EventRow[]; rowVersion: string } | undefined> {
  const history = options.history
    ? sql`, (select coalesce(json_agg(ev order by ev.id), '[]') from ${events} ev where ev.application_id = a.id) as history`
    : sql``;
  const result = await executePrepared(
    db,
    sql`select row_to_json(a) as application, a.xmin::text as row_xmin,
      ${reviewRowColumns(columnsOfA)}${history}
      from ${applications} a where a.id = ${id}::integer`,
  );
  const [row] = rowsOf(result);
  if (!row) return undefined;
  return { ...applicationWithRowsFrom(row), history: list(row.history, decode.event), rowVersion: String(row.row_xmin) };
}

/** An application (`row_to_json` as `application`) and its review rows (`reviewRowColumns`), read in one row. */
export function applicationWithRowsFrom(row: Record<string, unknown>): { app: ApplicationRow; rows: ReviewRows } {
  return { app: decode.application(parsedJson(row.application)), rows: reviewRowsFrom(row) };
}

export function workflowStateFrom(app: ApplicationRow, rows: ReviewRows, privateTrack?: TrackSettings): WorkflowState {
  // The rows are the review's own already (reviewRowColumns): a role review's meeting, gaps and questions.
  const { meeting } = rows;
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
    meeting: meeting ? { status: meeting.status as 'scheduled' | 'held' | 'cancelled', startsAt: meeting.startsAt } : null,
    openQuestions: rows.openQuestions.map((q) => q.id),
    productionSince: app.productionSince,
    audit: rows.audit ? { status: rows.audit.status as AuditStatus, scheduledFor: rows.audit.scheduledFor } : null,
    openRemediation: rows.openRemediation.map((i) => i.id),
    approvedAt: app.approvedAt,
    access: accessOf(app),
    rejectedAtStage: app.rejectedAtStage as Stage | null,
    track: trackFor((app.submission as { developerType?: unknown } | null)?.developerType, privateTrack),
    questionnaireSkipped: app.questionnaireSkipReason !== null,
    cycle: {
      number: app.cycle,
      lastEndedAtStage: (rows.previousCycle?.endedAtStage as Stage | null | undefined) ?? null,
      fastTracked: Boolean(rows.currentCycle?.fastTrackedTo),
    },
    roleReview: app.roleReviewSince
      ? { stages: (app.roleReviewStages ?? ['business']) as ('business' | 'security' | 'architecture')[] }
      : null,
    purged: app.purgedAt !== null,
  };
}

/** Everything the workflow rules look at, read in one go. */
export async function loadWorkflowState(db: DbOrTx, app: ApplicationRow, privateTrack?: TrackSettings): Promise<WorkflowState> {
  return workflowStateFrom(app, await loadReviewRows(db, app), privateTrack);
}
