import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { parsedJson, rowDecoder } from '../../db/rows.ts';
import { type ApplicationRow, applications, questionnaireAnswers } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Policy } from '../config.ts';
import { type ApplicationInput, changedFields, contentHash, type FieldIssue, toSubmission } from '../intake/application.ts';
import { DEFAULT_ROLE_REVIEW_STAGES, type RoleReviewStage } from '../workflow/cycles.ts';
import { goLiveRefusal } from '../workflow/late.ts';
import { INTEGRATION_ACTOR } from '../workflow/roles.ts';
import { INITIAL_STATE, type Stage, type Status, stateAfterResubmission } from '../workflow/states.ts';
import { storeAnswers } from './answers.ts';
import { openNextCycle } from './cycles.ts';
import { cancelMeetingAhead } from './effects/late.ts';
import { AlreadyHandled, claimRequest } from './processed.ts';
import { type Effect, recordChange, recordUpdateAndChange } from './record.ts';
import { applyIntakeRoleChanges } from './roles.ts';
import { sentQuestionnaire } from './workflow-state.ts';

export type ReceiveOutcome =
  | {
      /** `resubmitted`: a rejected or withdrawn application's profile came again, and a new review cycle opened. */
      outcome: 'created' | 'unchanged' | 'updated' | 'resubmitted';
      application: ApplicationRow;
      changedFields: string[];
    }
  | { outcome: 'invalid'; status: 422; error: string; issues: FieldIssue[] };

const decodeApplication = rowDecoder(applications);

class Invalid extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid');
  }
}

/**
 * Intake of a developer profile, idempotent on profileId: a new profile makes an application
 * and its card; the same content again changes nothing; changed content (or new questionnaire
 * answers) is recorded, puts an application waiting on the developer back in review, and is
 * noted in the card's thread.
 */
export async function receiveApplication(
  deps: { db: Db; clock: Clock; policy?: Pick<Policy, 'roleReviewStages'> },
  input: ApplicationInput,
  /** Who entered it: the intake API, or a reviewer typing it in with /pii new. */
  actor = INTEGRATION_ACTOR,
  /** The Slack request that entered it: a replay of it stores nothing (AlreadyHandled). */
  requestKey?: string,
): Promise<ReceiveOutcome> {
  const now = deps.clock.now();
  const submission = toSubmission(input);
  const hash = contentHash(submission);
  try {
    // A new profile with nothing to check against an application (no answers, no go-live) is one
    // statement: no transaction around it. A known profile writes nothing there and goes on below.
    const alone = !requestKey && !input.questionnaireAnswers && !input.productionSince;
    if (alone) {
      const created = await createApplication(deps.db, now, input, actor, submission, hash);
      if (created) return { outcome: 'created', application: created, changedFields: [] };
    }
    return await deps.db.transaction(async (tx) => {
      if (requestKey && !(await claimRequest(tx, requestKey, now))) throw new AlreadyHandled(requestKey);
      const roleReviewStages = deps.policy?.roleReviewStages ?? DEFAULT_ROLE_REVIEW_STAGES;
      // Past an attempt on its own, the profile is known (applications are never deleted).
      return receive(tx, { now, input, actor, roleReviewStages, submission, hash, known: alone });
    });
  } catch (error) {
    if (error instanceof Invalid) {
      return { outcome: 'invalid', status: 422, error: invalidSentence(error.issues), issues: error.issues };
    }
    throw error;
  }
}

/** The 422's sentence, for the field at fault (the issues name it). */
function invalidSentence(issues: readonly FieldIssue[]): string {
  const fields = new Set(issues.map((i) => i.path.split('.')[0]));
  if (fields.size === 1 && fields.has('productionSince')) return 'The go-live date does not fit this application.';
  if (fields.size === 1 && fields.has('questionnaireAnswers')) return 'The questionnaire answers do not fit this application.';
  return 'Some fields do not fit where this application stands.';
}

/**
 * The new application, its event and its card, in one statement; a profile already known writes
 * nothing (the update in receive takes it). The statement looks first, so an update never burns
 * an application number (the insert makes no row when the profile is known); ON CONFLICT still
 * settles two concurrent first posts of one profile into one row.
 */
async function createApplication(
  db: DbOrTx,
  now: Date,
  input: ApplicationInput,
  actor: string,
  submission: ReturnType<typeof toSubmission>,
  hash: string,
): Promise<ApplicationRow | undefined> {
  const at = now.toISOString();
  const written = await recordUpdateAndChange(
    db,
    sql`
    insert into ${applications}
      (profile_id, organization_name, submission, content_hash, stage, status, submitted_at, received_at, updated_at, status_since)
    select ${input.profileId}::text, ${input.organization.name}::text, ${JSON.stringify(submission)}::jsonb, ${hash}::text,
      ${INITIAL_STATE.stage}::text, ${INITIAL_STATE.status}::text,
      ${input.submittedAt ? new Date(input.submittedAt).toISOString() : at}::timestamptz,
      ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    where not exists (select 1 from ${applications} known where known.profile_id = ${input.profileId}::text)
    on conflict (profile_id) do nothing
    returning *`,
    {
      applicationId: null,
      type: 'application.received',
      actor,
      at: now,
      payload: { stage: INITIAL_STATE.stage, status: INITIAL_STATE.status, roles: input.roles, marketplaces: input.marketplaces },
    },
    { thread: false, after: false },
  );
  return written ? decodeApplication(parsedJson(written.application)) : undefined;
}

async function receive(
  tx: Tx,
  args: {
    now: Date;
    input: ApplicationInput;
    actor: string;
    roleReviewStages: readonly RoleReviewStage[];
    submission: ReturnType<typeof toSubmission>;
    hash: string;
    /** The profile is known to exist already: no attempt to create it. */
    known: boolean;
  },
): Promise<ReceiveOutcome> {
  const { now, input, actor, roleReviewStages, submission, hash } = args;
  const created = args.known ? undefined : await createApplication(tx, now, input, actor, submission, hash);

  if (created) {
    if (input.questionnaireAnswers) {
      throw new Invalid([{ path: 'questionnaireAnswers', message: 'no questionnaire has been sent to this application yet' }]);
    }
    if (input.productionSince) throw new Invalid([{ path: 'productionSince', message: 'the application is not approved yet' }]);
    return { outcome: 'created', application: created, changedFields: [] };
  }

  const [existing] = await tx.select().from(applications).where(eq(applications.profileId, input.profileId)).for('update');
  if (!existing) throw new Error(`application for profile ${input.profileId} vanished during intake`);

  const answered = await receiveAnswers(tx, existing, input, now);
  const goLive = goLiveChange(existing, input, now);
  const fields = existing.purgedAt
    ? Object.keys(submission)
    : existing.contentHash === hash
      ? []
      : changedFields(existing.submission, submission);
  const changed = [...fields, ...answered.map((id) => `questionnaireAnswers.${id}`), ...(goLive ? ['productionSince'] : [])];
  if (changed.length === 0) return { outcome: 'unchanged', application: existing, changedFields: [] };

  const before = { stage: existing.stage as Stage, status: existing.status as Status };
  // Rejected, withdrawn, or approved and then revoked: final for its cycle, so a resubmission opens the next.
  const closed = existing.status === 'rejected' || existing.status === 'withdrawn' || existing.accessStatus === 'revoked';
  if (closed && input.questionnaireAnswers?.some((a) => a.answer.trim()))
    throw new Invalid([
      { path: 'questionnaireAnswers', message: 'a resubmission opens a new review cycle: no questionnaire was sent in it yet' },
    ]);
  // A resubmission of a rejected, withdrawn or revoked application opens a new cycle at Stage 1.
  const nextCycle = closed ? await openNextCycle(tx, existing, now) : undefined;
  // Restricted roles added to an application approved in its life go through a role review.
  const roles =
    !closed && existing.approvedAt && existing.stage !== 'closed' && fields.length > 0
      ? await applyIntakeRoleChanges(tx, existing, submission, now)
      : undefined;
  const startsRoleReview = Boolean(roles && roles.added.length > 0 && !existing.roleReviewSince);
  const endsRoleReview = Boolean(roles && existing.roleReviewSince && roles.stillUnderReview === 0);
  const after = nextCycle
    ? { stage: INITIAL_STATE.stage, status: INITIAL_STATE.status }
    : startsRoleReview
      ? { stage: INITIAL_STATE.stage, status: INITIAL_STATE.status }
      : endsRoleReview
        ? { stage: 'approved' as const, status: 'approved' as const }
        : stateAfterResubmission(before);
  const [updated] = await tx
    .update(applications)
    .set({
      organizationName: input.organization.name,
      submission,
      contentHash: hash,
      ...after,
      version: existing.version + 1,
      updatedAt: now,
      ...(after.status !== before.status || after.stage !== before.stage ? { statusSince: now } : {}),
      ...(goLive ? { productionSince: goLive } : {}),
      ...(existing.purgedAt ? newCycleAfterPurge(now) : {}),
      ...(nextCycle ? { ...nextCycle, purgedAt: null } : {}),
      ...(startsRoleReview ? { roleReviewSince: now, roleReviewStages: [...roleReviewStages] } : {}),
      ...(endsRoleReview ? { roleReviewSince: null, roleReviewStages: null } : {}),
    })
    .where(eq(applications.id, existing.id))
    .returning();
  if (!updated) throw new Error(`application ${existing.id} could not be updated`);

  const event = (type: string, payload: Record<string, unknown>, effects: Effect[] = []) =>
    recordChange(tx, { applicationId: existing.id, type, actor: 'intake', at: now, payload }, { thread: true, effects });
  if (nextCycle) {
    // Field names only, as for any update: the submission's text stays on private surfaces.
    await event('application.resubmitted', {
      changedFields: changed,
      before,
      after,
      cycle: updated.cycle,
      previousCycle: existing.cycle,
      previousOutcome: existing.accessStatus === 'revoked' ? 'revoked' : existing.status,
    });
    return { outcome: 'resubmitted', application: updated, changedFields: changed };
  }
  await event('application.updated', { changedFields: changed, before, after });
  if (roles && roles.removed.length > 0) await event('roles.removed', { roles: roles.removed });
  if (startsRoleReview && roles)
    await event('role_review.started', { roles: roles.added, stages: [...roleReviewStages], before, after });
  else if (roles && roles.added.length > 0) await event('role_review.roles_added', { roles: roles.added });
  if (endsRoleReview) {
    // The role review is over, as when a decision ends it: its meeting still ahead is off, and the attendees are told.
    const cancelled = await cancelMeetingAhead({ tx, app: existing, now });
    await event('role_review.withdrawn', { roles: [], before, after, via: 'intake' }, cancelled ? [cancelled] : []);
  }
  return { outcome: 'updated', application: updated, changedFields: changed };
}

/**
 * Data sent after a retention purge starts a new cycle: it is held again, so retention must
 * count again from now (the issue on review cycles reopens the review here as well).
 */
function newCycleAfterPurge(now: Date): Partial<ApplicationRow> {
  return { purgedAt: null, statusSince: now };
}

/** A go-live reported through intake; only an application with a production life has one (a role review keeps it). */
function goLiveChange(app: ApplicationRow, input: ApplicationInput, now: Date): Date | undefined {
  if (!input.productionSince) return undefined;
  const at = new Date(input.productionSince);
  if (!app.approvedAt || app.stage === 'closed')
    throw new Invalid([{ path: 'productionSince', message: 'the application is not approved yet' }]);
  // The rule Record go-live follows: not in the future, not before the approval.
  const refused = goLiveRefusal(at, app.approvedAt, now, 'productionSince');
  if (refused) throw new Invalid([{ path: 'productionSince', message: refused.message }]);
  return app.productionSince?.getTime() === at.getTime() ? undefined : at;
}

/** Stores questionnaire answers against the version this application was sent; returns the ids that changed. */
async function receiveAnswers(tx: Tx, app: ApplicationRow, input: ApplicationInput, now: Date): Promise<string[]> {
  const answers = input.questionnaireAnswers;
  if (!answers) return [];
  const questionnaire = await sentQuestionnaire(tx, app.questionnaireVersion);
  if (!questionnaire) {
    throw new Invalid([{ path: 'questionnaireAnswers', message: 'no questionnaire has been sent to this application yet' }]);
  }
  const known = new Set(questionnaire.questions.map((q) => q.id));
  const issues = answers.flatMap((a, i) =>
    known.has(a.questionId)
      ? []
      : [{ path: `questionnaireAnswers.${i}.questionId`, message: `is not a question of version ${questionnaire.version}` }],
  );
  if (issues.length > 0) throw new Invalid(issues);
  await refuseAnswersOutOfStage(tx, app, answers);
  return storeAnswers(tx, app, answers, 'developer', now);
}

/**
 * Answers belong to the security stage that asked for them: anything else (a withdrawn or
 * rejected application, one already past Stage 2) would store data no reviewer asked for and
 * no retention pass expects. The same answers sent again with the whole profile still pass.
 */
async function refuseAnswersOutOfStage(
  tx: Tx,
  app: ApplicationRow,
  answers: readonly { questionId: string; answer: string }[],
): Promise<void> {
  if (app.stage === 'security' && app.status !== 'withdrawn' && app.status !== 'rejected') return;
  const stored = await tx
    .select({ questionId: questionnaireAnswers.questionId, answer: questionnaireAnswers.answer })
    .from(questionnaireAnswers)
    .where(and(eq(questionnaireAnswers.applicationId, app.id), eq(questionnaireAnswers.cycle, app.cycle)));
  const held = new Map(stored.map((a) => [a.questionId, a.answer]));
  const fresh = answers.filter((a) => a.answer.trim() && held.get(a.questionId) !== a.answer.trim());
  if (fresh.length === 0) return;
  throw new Invalid([
    {
      path: 'questionnaireAnswers',
      message: 'answers are taken only while the application is in the security stage that asked for them',
    },
  ]);
}
