import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { audits, developerMessages, gaps, remediationItems } from '../../db/schema.ts';
import type { SubmissionModel } from '../../views/modals/submission.ts';
import type { Roles } from '../config.ts';
import type { Submission } from '../intake/application.ts';
import { rolesOf } from '../workflow/roles.ts';
import { mayReadContact, submissionRefusal } from '../workflow/visibility.ts';
import { toSummary } from './queries.ts';
import { loadApplicationWithRows } from './workflow-state.ts';

export type SubmissionRead =
  | { kind: 'found'; model: SubmissionModel }
  | { kind: 'refused'; message: string }
  | { kind: 'not_found' };

/**
 * The whole submission of one application as one viewer may read it: refused to anyone
 * without a review role, and with contact data (questionnaire answers flagged `contact`
 * included) only for the assignee, the application's architect and admins. Read-only;
 * nothing of it is logged.
 */
export async function readSubmission(
  deps: { db: Db; roles: Roles },
  applicationId: number,
  viewerId: string,
): Promise<SubmissionRead> {
  const roles = rolesOf(deps.roles, viewerId);
  const refusal = submissionRefusal(roles);
  if (refusal) return { kind: 'refused', message: refusal };
  const loaded = await loadApplicationWithRows(deps.db, applicationId);
  if (!loaded) return { kind: 'not_found' };
  const { app, rows } = loaded;
  // The questionnaire is long and the developer has it; what was sent besides it is worth rereading.
  const sent = await deps.db
    .select({ kind: developerMessages.kind, body: developerMessages.body, sentAt: developerMessages.sentAt })
    .from(developerMessages)
    .where(
      and(
        eq(developerMessages.applicationId, app.id),
        eq(developerMessages.cycle, app.cycle),
        ne(developerMessages.kind, 'questionnaire'),
      ),
    )
    .orderBy(asc(developerMessages.id));
  // This cycle's: earlier cycles' texts are history (Earlier cycles), not this review's.
  const raised = await deps.db
    .select()
    .from(gaps)
    .where(and(eq(gaps.applicationId, app.id), eq(gaps.cycle, app.cycle)))
    .orderBy(asc(gaps.id));
  const auditRows = await deps.db.select().from(audits).where(eq(audits.applicationId, app.id)).orderBy(asc(audits.id));
  const itemRows =
    auditRows.length === 0
      ? []
      : await deps.db
          .select()
          .from(remediationItems)
          .where(
            inArray(
              remediationItems.auditId,
              auditRows.map((a) => a.id),
            ),
          )
          .orderBy(asc(remediationItems.dueOn), asc(remediationItems.id));
  const submission = app.submission as Submission;
  const answers = new Map(rows.answers.map((a) => [a.questionId, a]));
  const showContact = mayReadContact({ id: viewerId, roles }, app);
  return {
    kind: 'found',
    model: {
      application: toSummary(app),
      profile: {
        useCase: submission.useCase ?? (app.purgedAt ? '(deleted under the retention policy)' : ''),
        ...(submission.businessDescription ? { businessDescription: submission.businessDescription } : {}),
        piiRetention: submission.piiRetention,
        ...(submission.securityAnswers ? { securityAnswers: submission.securityAnswers } : {}),
        ...(submission.impoc ? { impoc: submission.impoc } : {}),
        contact: submission.contact,
        ...(submission.merchants ? { merchants: submission.merchants } : {}),
        ...(submission.employeeCount !== undefined ? { employeeCount: submission.employeeCount } : {}),
        ...(submission.dataSharedWith ? { dataSharedWith: submission.dataSharedWith } : {}),
        ...(submission.otherDataSources ? { otherDataSources: submission.otherDataSources } : {}),
      },
      purgedAt: app.purgedAt,
      questionnaireSkipReason: app.questionnaireSkipReason,
      showContact,
      questionnaire: rows.questionnaire
        ? {
            version: rows.questionnaire.version,
            items: rows.questionnaire.questions.map((q) => {
              const given = answers.get(q.id);
              // A contact answer is contact data: it stays out of the model of anyone who may not read it.
              const withheld = Boolean(q.contact && given && !showContact);
              return {
                questionId: q.id,
                area: q.area,
                question: q.text,
                answer: withheld ? null : (given?.answer ?? null),
                review: given?.review ?? null,
                ...(withheld ? { withheld } : {}),
              };
            }),
          }
        : null,
      gaps: raised.map((g) => ({
        area: g.area,
        severity: g.severity,
        description: g.description,
        securityAnswer: g.securityAnswer,
        questionId: g.questionId,
        resolvedAt: g.resolvedAt,
        resolution: g.resolution,
      })),
      sentToDeveloper: sent,
      audits: auditRows.map((a) => ({
        auditor: a.auditor,
        scheduledFor: a.scheduledFor,
        status: a.status,
        outcomeAt: a.outcomeAt,
        items: itemRows.filter((i) => i.auditId === a.id).map((i) => ({ text: i.text, dueOn: i.dueOn, closedAt: i.closedAt })),
      })),
      earlierCycles: [],
    },
  };
}
