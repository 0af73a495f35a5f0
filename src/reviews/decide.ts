import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, isUniqueViolation, type Tx } from '../../db/client.ts';
import { executePrepared } from '../../db/prepared.ts';
import { parsedJson, rowDecoder, rowsOf } from '../../db/rows.ts';
import { type ApplicationRow, applications, events, processedRequests } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import { recordDecision } from '../metrics.ts';
import type { Questionnaire } from '../questionnaire/questionnaire.ts';
import { isLateCommand } from '../workflow/late.ts';
import { rolesOf } from '../workflow/roles.ts';
import { type Command, decide, type Refusal } from '../workflow/rules.ts';
import type { WorkflowState } from '../workflow/types.ts';
import { endCycle, markCycleOutcomeEvent, reopenCycle } from './cycles.ts';
import { applyCycleEffects } from './effects/cycles.ts';
import { applyEarlyEffects, PLAIN_EARLY_TYPES, plainEarlyEffects } from './effects/early.ts';
import { applyLateEffects, cancelMeetingAhead } from './effects/late.ts';
import type { Details, Write } from './effects/types.ts';
import type { ReadCache, ReadState } from './read-cache.ts';
import { recordUpdateAndChange } from './record.ts';
import { type ReviewContext, reviewContextFrom } from './review-context.ts';
import { recordApprovedRoles, settleRoleReview } from './roles.ts';
import {
  applicationWithRowsFrom,
  columnsOfA,
  loadReviewRows,
  type ReviewRows,
  reviewRowColumns,
  reviewRowsFrom,
  workflowStateFrom,
} from './workflow-state.ts';

export type DecisionDeps = {
  db: Db;
  clock: Clock;
  roles: Roles;
  questionnaire: Questionnaire;
  policy: Policy;
  /** What this instance read when it opened the decision's modal (src/reviews/read-cache.ts). */
  readCache?: ReadCache;
};

/**
 * A command read from a modal against the application as the decision locked it (its open
 * gaps, the questions sent, the answers given), so the form is checked against the very rows
 * the rules then judge, with no read of its own. `read` answers undefined when the form has
 * errors (the reader that parsed it holds them). `name` (the modal's) counts a repeat or a
 * missing application in the metrics, when the form was never read.
 */
export type ReadCommand = { name: string; read: (context: ReviewContext) => Command | undefined };

export type DecisionInput = {
  applicationId: number;
  /** The version the reviewer saw: the decision only counts against it. Integrations recording facts leave it out. */
  seenVersion?: number;
  /** The time zone of the architect being scheduled, from Slack. */
  architectTimeZone?: string;
  /** The time zone of the person deciding, from Slack: a time in a refusal is shown in it. */
  actorTimeZone?: string;
  actorId: string;
  command: Command | ReadCommand;
  /** Identifies the Slack request (e.g. the modal's view id), so a repeat changes nothing. */
  requestKey?: string;
};

/** A change recorded since the version a decision was taken against: its event, as the thread shows it. */
export type Change = Pick<typeof events.$inferSelect, 'id' | 'type' | 'actor' | 'at'> & { payload: Record<string, unknown> };

export type DecisionResult =
  | { kind: 'done'; application: ApplicationRow }
  | { kind: 'refused'; refusal: Refusal }
  /** The application moved past the version seen: who changed it last and when, and what changed (oldest first). */
  | { kind: 'conflict'; by: string; at: Date; changes: Change[] }
  | { kind: 'duplicate' }
  | { kind: 'not_found' };

/** A command read from a modal whose form had errors: nothing was written. */
export type Invalid = { kind: 'invalid' };

/** Thrown inside the transaction to roll it back and answer with a result instead. */
class Abort extends Error {
  constructor(readonly result: DecisionResult | Invalid) {
    super(result.kind);
  }
}

const decodeApplication = rowDecoder(applications);

/**
 * Takes the request key (a repeat is a duplicate), locks the application row and reads its
 * review rows, in one statement; with a key, the lock waits for the key's insert (the same
 * order as two statements, so a repeat racing its first attempt waits for it rather than
 * deadlocking with it).
 *
 * The review rows are read in the statement's snapshot, taken before the lock was granted.
 * They are current unless a transaction committed a change to this application in between:
 * every writer of review rows also updates the application row in its transaction (decisions,
 * intake, retention), so that shows as a newer row version (`xmin`) under the lock than in the
 * snapshot, and only then are the rows read again, in a snapshot taken under the lock.
 */
async function lockApplication(tx: Tx, input: DecisionInput, now: Date): Promise<{ app: ApplicationRow; rows: ReviewRows }> {
  const id = sql`${input.applicationId}::integer`;
  const keyed = input.requestKey !== undefined;
  const result = await executePrepared(
    tx,
    sql`
    with ${
      keyed
        ? sql`fresh as (
      insert into ${processedRequests} (key, application_id, at)
      values (${input.requestKey}::text, ${id}, ${now.toISOString()}::timestamptz)
      on conflict do nothing
      returning application_id
    ), locked as (
      select a.*, a.xmin::text as row_xmin from ${applications} a where a.id = (select application_id from fresh) for update
    )`
        : sql`locked as (select a.*, a.xmin::text as row_xmin from ${applications} a where a.id = ${id} for update)`
    }
    select ${keyed ? sql`(select count(*) from fresh)::int` : sql`1`} as fresh,
      (select row_to_json(locked) from locked) as app,
      (select row_xmin from locked) = (select s.xmin::text from ${applications} s where s.id = ${id}) as current,
      ${reviewRowColumns({
        id,
        version: sql`(select questionnaire_version from locked)`,
        cycle: sql`(select cycle from locked)`,
        roleReviewSince: sql`(select role_review_since from locked)`,
      })}`,
  );
  const [row] = rowsOf(result);
  if (!row?.fresh) throw new Abort({ kind: 'duplicate' });
  if (row.app === null || row.app === undefined) throw new Abort({ kind: 'not_found' });
  const app = decodeApplication(parsedJson(row.app));
  return { app, rows: row.current === true ? reviewRowsFrom(row) : await loadReviewRows(tx, app) };
}

/**
 * Every reviewer decision goes through here: it checks the version seen, asks the workflow
 * rules, writes the new state, appends the event and queues what Slack must show, all or
 * nothing: in one statement when that is the whole change (decideInOneStatement), else in one
 * transaction under the application's lock. A refusal or a conflict writes nothing.
 */
export function applyDecision(deps: DecisionDeps, input: DecisionInput & { command: Command }): Promise<DecisionResult>;
export function applyDecision(deps: DecisionDeps, input: DecisionInput): Promise<DecisionResult | Invalid>;
export async function applyDecision(deps: DecisionDeps, input: DecisionInput): Promise<DecisionResult | Invalid> {
  const decided = await decideOnce(deps, input);
  // A decision done changed the application: what this instance remembers of it is out of date.
  if (decided.result.kind === 'done') deps.readCache?.forget(input.applicationId);
  if (decided.result.kind !== 'invalid') {
    const name = decided.command?.type ?? ('read' in input.command ? input.command.name : input.command.type);
    recordDecision(name, decided.result.kind);
  }
  return decided.result;
}

/** How often a decision is tried again without a lock when its application changed between its read and its write. */
const OPTIMISTIC_ATTEMPTS = 3;

async function decideOnce(
  deps: DecisionDeps,
  input: DecisionInput,
): Promise<{ result: DecisionResult | Invalid; command?: Command }> {
  const given = input.command;
  // A command whose whole change is one statement needs no transaction and no lock: it reads,
  // asks the rules and writes on condition that the application is still as read. A form read
  // against the application is known only once read: its modal's name says whether it may be.
  const mayBePlain = 'read' in given ? PLAIN_EARLY_TYPES.has(given.name) : plainEarlyEffects(given) !== undefined;
  // The state read when this instance opened the modal, if it has it: the write below holds only
  // while the application is still that version, and any answer but 'done' is read afresh.
  let remembered = mayBePlain ? deps.readCache?.get(input.applicationId) : undefined;
  for (let attempt = 0; mayBePlain && attempt < OPTIMISTIC_ATTEMPTS; attempt += 1) {
    const decided = await decideInOneStatement(deps, input, remembered);
    if (decided === 'needs a transaction') break;
    const stale = remembered !== undefined && (decided === 'changed meanwhile' || decided.result.kind !== 'done');
    if (stale) {
      deps.readCache?.forget(input.applicationId);
      remembered = undefined;
      continue;
    }
    if (decided !== 'changed meanwhile') return decided;
  }
  return decideUnderLock(deps, input);
}

/** Stage and status as the rules left them, the assignee, and what the command itself changes. */
function applicationUpdate(
  db: DbOrTx,
  app: ApplicationRow,
  outcome: Decided,
  changes: Details['applicationChanges'],
  now: Date,
  /** The row version (`xmin`) read: the update matches only while the row is still that one. */
  rowVersion?: string,
) {
  const moved = outcome.next.stage !== app.stage || outcome.next.status !== app.status;
  return db
    .update(applications)
    .set({
      ...outcome.next,
      ...(outcome.assigneeId !== undefined ? { assigneeId: outcome.assigneeId } : {}),
      ...(moved ? { statusSince: now } : {}),
      ...(outcome.next.status === 'rejected' && app.status !== 'rejected' ? { rejectedAtStage: app.stage } : {}),
      ...(changes ?? {}),
      version: sql`${applications.version} + 1`,
      updatedAt: now,
    })
    .where(
      and(
        eq(applications.id, app.id),
        eq(applications.version, app.version),
        rowVersion === undefined ? undefined : sql`${applications}.xmin = ${rowVersion}::xid`,
      ),
    )
    .returning();
}

type Decided = Extract<ReturnType<typeof decide>, { ok: true }>;

/** The most changes a conflict tells of: the latest, when more came meanwhile. */
const CHANGES_TOLD = 5;

/**
 * The version the reviewer saw, checked before anything else: a form is read, and the rules
 * judge, only against the state it was shown on. A conflict aborts the decision and tells
 * what changed since (events record the version they left, `state.version`; an event from
 * before they did stands for itself as the last change).
 */
async function checkVersion(db: DbOrTx, input: DecisionInput, app: ApplicationRow): Promise<void> {
  if (input.seenVersion === undefined || app.version === input.seenVersion) return;
  const since = await db
    .select({ id: events.id, type: events.type, actor: events.actor, at: events.at, payload: events.payload })
    .from(events)
    .where(and(eq(events.applicationId, app.id), sql`(${events.payload}->'state'->>'version')::integer > ${input.seenVersion}`))
    .orderBy(desc(events.id))
    .limit(CHANGES_TOLD);
  const changes = (
    since.length > 0
      ? since
      : await db
          .select({ id: events.id, type: events.type, actor: events.actor, at: events.at, payload: events.payload })
          .from(events)
          .where(eq(events.applicationId, app.id))
          .orderBy(desc(events.id))
          .limit(1)
  )
    .map((e) => ({ ...e, payload: (e.payload ?? {}) as Record<string, unknown> }))
    .reverse();
  const last = changes.at(-1);
  throw new Abort({ kind: 'conflict', by: last?.actor ?? 'someone', at: last?.at ?? app.updatedAt, changes });
}

/** The rules, on the version the reviewer saw (checkVersion): a refusal aborts the decision. */
function judge(
  deps: DecisionDeps,
  input: DecisionInput,
  app: ApplicationRow,
  rows: ReviewRows,
  command: Command,
  now: Date,
): { state: WorkflowState; outcome: Decided } {
  const state = workflowStateFrom(app, rows, deps.policy.privateTrack);
  const outcome = decide(
    state,
    command,
    { id: input.actorId, roles: rolesOf(deps.roles, input.actorId) },
    {
      now,
      rolesOf: (id) => rolesOf(deps.roles, id),
      ...(input.architectTimeZone ? { architectTimeZone: input.architectTimeZone } : {}),
      ...(input.actorTimeZone ? { actorTimeZone: input.actorTimeZone } : {}),
    },
  );
  if (!outcome.ok) throw new Abort({ kind: 'refused', refusal: outcome });
  return { state, outcome };
}

function eventOf(app: ApplicationRow, input: DecisionInput, details: Details, now: Date) {
  return {
    applicationId: app.id,
    type: details.type,
    actor: input.actorId,
    at: now,
    payload: { before: { stage: app.stage, status: app.status, assigneeId: app.assigneeId }, ...details.payload },
  };
}

/**
 * The application, its review rows, its row version and whether the request was handled
 * before, in one statement and one snapshot, with no lock: what the optimistic way decides on.
 */
async function readApplication(db: Db, input: DecisionInput) {
  const id = sql`${input.applicationId}::integer`;
  const result = await executePrepared(
    db,
    sql`
    select row_to_json(a) as application, a.xmin::text as row_xmin,
      ${
        input.requestKey === undefined
          ? sql`false`
          : sql`exists (select 1 from ${processedRequests} p where p.key = ${input.requestKey}::text)`
      } as repeated,
      ${reviewRowColumns({ ...columnsOfA, id })}
    from ${applications} a where a.id = ${id}`,
  );
  const [row] = rowsOf(result);
  if (!row) return undefined;
  return {
    ...applicationWithRowsFrom(row),
    rowVersion: String(row.row_xmin),
    repeated: row.repeated === true,
  };
}

/**
 * The optimistic way: one read, the rules, then one statement that writes the application, its
 * added row, the request's key, the event and the effects only if the row is still the version
 * read (`xmin`; every change to an application or its review rows rewrites its row). Answers
 * 'changed meanwhile' when it was not (nothing was written), and 'needs a transaction' when
 * the decision turned out to end a cycle or settle roles, which writes more.
 */
async function decideInOneStatement(
  deps: DecisionDeps,
  input: DecisionInput,
  /** The application as read before, with its row version, in place of reading it now. */
  remembered?: ReadState,
): Promise<{ result: DecisionResult | Invalid; command?: Command } | 'changed meanwhile' | 'needs a transaction'> {
  const now = deps.clock.now();
  const given = input.command;
  let command = 'read' in given ? undefined : given;
  try {
    // A repeat of a request found only by its key's unique index (below) when not read now.
    const read = remembered ? { ...remembered, repeated: false } : await readApplication(deps.db, input);
    if (read?.repeated) return { result: { kind: 'duplicate' } };
    if (!read) return { result: { kind: 'not_found' } };
    const { app, rows, rowVersion } = read;
    await checkVersion(deps.db, input, app);
    if ('read' in given) command = given.read(reviewContextFrom(app, rows, deps.policy.privateTrack));
    if (!command) return { result: { kind: 'invalid' } };
    const plain = plainEarlyEffects(command);
    if (!plain) return 'needs a transaction';
    const { state, outcome } = judge(deps, input, app, rows, command, now);
    const details = plain({ app, actorId: input.actorId, now });
    if (courseOf(app, state, details, outcome.next).kind !== 'none') return 'needs a transaction';
    const kept = keptChanges(app, details);
    const written = await recordUpdateAndChange(
      deps.db,
      applicationUpdate(deps.db, app, outcome, kept.applicationChanges, now, rowVersion),
      eventOf(app, input, kept, now),
      {
        thread: true,
        effects: kept.effects ?? [],
        ...(kept.row ? { row: kept.row } : {}),
        ...(input.requestKey !== undefined ? { requestKey: input.requestKey } : {}),
      },
    );
    if (!written) return 'changed meanwhile';
    return { result: { kind: 'done', application: decodeApplication(parsedJson(written.application)) }, command };
  } catch (error) {
    const decided = command ? { command } : {};
    if (error instanceof Abort) return { result: error.result, ...decided };
    // The same request committed between the read and the write: its key is taken.
    if (isUniqueViolation(error, 'processed_requests_key_idx')) return { result: { kind: 'duplicate' }, ...decided };
    throw error;
  }
}

/** Every other decision: one transaction that locks the application for as long as it writes. */
async function decideUnderLock(
  deps: DecisionDeps,
  input: DecisionInput,
): Promise<{ result: DecisionResult | Invalid; command?: Command }> {
  const now = deps.clock.now();
  const given = input.command;
  let command = 'read' in given ? undefined : given;
  try {
    const result = await deps.db.transaction(async (tx) => {
      const { app, rows } = await lockApplication(tx, input, now);
      await checkVersion(tx, input, app);
      if ('read' in given) {
        command = given.read(reviewContextFrom(app, rows, deps.policy.privateTrack));
        if (!command) throw new Abort({ kind: 'invalid' });
      }
      if (!command) throw new Error('a decision without a command');
      const { state, outcome } = judge(deps, input, app, rows, command, now);
      const write = { tx, deps, app, actorId: input.actorId, now };
      const effects = isLateCommand(command)
        ? await applyLateEffects(write, command)
        : command.type === 'fast_track' || command.type === 'ask_role_meeting'
          ? await applyCycleEffects(write, command, state)
          : await applyEarlyEffects(write, command);
      const details = await courseChanges(write, courseOf(app, state, effects, outcome.next), effects);
      // The update, the event (its `after` is the updated row's), any added row and the effects: one statement.
      const written = await recordUpdateAndChange(
        tx,
        applicationUpdate(tx, app, outcome, details.applicationChanges, now),
        eventOf(app, input, details, now),
        { thread: true, effects: details.effects ?? [], ...(details.row ? { row: details.row } : {}) },
      );
      if (!written) throw new Error(`application ${app.id} changed under its row lock`);
      if (details.endsCycle) await markCycleOutcomeEvent(tx, app, written.eventId);
      const updated = decodeApplication(parsedJson(written.application));
      return { kind: 'done', application: updated } as const;
    });
    return { result, ...(command ? { command } : {}) };
  } catch (error) {
    if (error instanceof Abort) return { result: error.result, ...(command ? { command } : {}) };
    throw error;
  }
}

/** What a decision does to the application's long course beyond its own rows (see courseChanges). */
type Course =
  | { kind: 'none' }
  | { kind: 'role_review_ends'; to: 'approved' | 'removed' | 'denied' }
  | { kind: 'role_review_cut' }
  | { kind: 'reopen' }
  | { kind: 'cycle_ends'; outcome: 'rejected' | 'withdrawn' | 'approved' };

function courseOf(app: ApplicationRow, state: WorkflowState, details: Details, next: { stage: string; status: string }): Course {
  if (state.roleReview) {
    if (next.stage !== 'approved') return { kind: 'none' };
    // Access revoked: the role review ends with it, its roles withdrawn; the event stays the revocation.
    if (details.type === 'access.revoked') return { kind: 'role_review_cut' };
    const approving = details.type !== 'application.withdrawn' && !details.type.endsWith('.rejected');
    return {
      kind: 'role_review_ends',
      to: approving ? 'approved' : details.type === 'application.withdrawn' ? 'removed' : 'denied',
    };
  }
  if (details.type === 'application.reopened') return { kind: 'reopen' };
  if (next.status === app.status) return { kind: 'none' };
  if (next.status === 'rejected' || next.status === 'withdrawn') return { kind: 'cycle_ends', outcome: next.status };
  if (next.status === 'approved' && !app.approvedAt) return { kind: 'cycle_ends', outcome: 'approved' };
  return { kind: 'none' };
}

/** The changes a decision keeps: approvedAt is set once, by the first approval. */
function keptChanges(app: ApplicationRow, details: Details): Details {
  const { approvedAt: _again, ...changes } = details.applicationChanges ?? {};
  return { ...details, applicationChanges: app.approvedAt ? changes : (details.applicationChanges ?? {}) };
}

/**
 * What a decision does to the application's long course, beyond the command's own rows: the end
 * of a review cycle (rejected, withdrawn, approved) is recorded with its stage, a reopen takes it
 * back; the first approval records the approved roles; a role review that reaches its end settles
 * the roles under review (approved, denied, or withdrawn) and leaves the application approved, its
 * production life untouched (approvedAt is set once); revoked access ends a role review under way,
 * its roles withdrawn.
 */
async function courseChanges(write: Write, course: Course, details: Details): Promise<Details & { endsCycle?: boolean }> {
  const changes = await courseOnly(write, course, details);
  if (course.kind === 'none' || course.kind === 'reopen') return changes;
  // The review it belonged to is over: a meeting still ahead is off, and its attendees are told.
  const cancelled = await cancelMeetingAhead(write);
  return cancelled ? { ...changes, effects: [...(changes.effects ?? []), cancelled] } : changes;
}

async function courseOnly(write: Write, course: Course, details: Details): Promise<Details & { endsCycle?: boolean }> {
  const { tx, app, actorId, now } = write;
  const kept = keptChanges(app, details);
  switch (course.kind) {
    case 'none':
      return kept;
    case 'role_review_ends': {
      const roles = await settleRoleReview(tx, app.id, course.to, actorId, now);
      return {
        ...kept,
        type:
          course.to === 'approved'
            ? 'role_review.approved'
            : course.to === 'denied'
              ? 'role_review.denied'
              : 'role_review.withdrawn',
        payload: { ...details.payload, roles, via: details.type },
        applicationChanges: { ...kept.applicationChanges, roleReviewSince: null, roleReviewStages: null },
      };
    }
    case 'role_review_cut': {
      const roles = await settleRoleReview(tx, app.id, 'removed', actorId, now);
      return {
        ...kept,
        payload: { ...details.payload, roleReviewEnded: roles },
        applicationChanges: { ...kept.applicationChanges, roleReviewSince: null, roleReviewStages: null },
      };
    }
    case 'reopen':
      await reopenCycle(tx, app);
      return kept;
    case 'cycle_ends':
      await endCycle(tx, app, { outcome: course.outcome, stage: app.stage, at: now });
      if (course.outcome === 'approved') await recordApprovedRoles(tx, app, actorId, now);
      return { ...kept, payload: { ...kept.payload, cycle: app.cycle }, endsCycle: true };
  }
}
