import { and, eq, sql } from 'drizzle-orm';
import { applications, outbox, restrictedCalls } from '../../db/schema.ts';
import { recordDecision } from '../metrics.ts';
import { type CallNotice, restrictedCallNotice } from '../workflow/access.ts';
import { INTEGRATION_ACTOR, rolesOf } from '../workflow/roles.ts';
import { type Command, decide, type Refusal } from '../workflow/rules.ts';
import type { DecisionDeps } from './decide.ts';
import { ACTIVE_AGAIN, callWatch, restrictedCallPayload } from './effects/late.ts';
import { recordUpdateAndChange } from './record.ts';
import { loadReviewRows, workflowStateFrom } from './workflow-state.ts';

export type CallReport = { applicationId: number; at: Date; operation: string };

export type CallReportResult =
  /** Stored now; `notice` says what the team was shown of it (see restrictedCallNotice). */
  | { kind: 'recorded'; call: { at: Date; operation: string }; notice: CallNotice }
  /** The same call (application, time, operation) was stored before: nothing changed. */
  | { kind: 'repeat'; call: { at: Date; operation: string } }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'not_found' };

/**
 * An integration reports a successful call to the restricted API. Unlike a reviewer's record (a
 * decision, with its thread line every time), a report may come again (a retry) or come for
 * every call the integration makes, so it is shown only when it changes what the team sees:
 * the same call again changes nothing; any other is stored and kept as the last call when it
 * is the latest; it is announced (event, thread line, card, webhook) only when it is the first
 * since the approval or a reinstatement or makes at-risk access active again, and otherwise
 * redraws the card only when it moves the last call to a later day. One transaction under the
 * application's lock, so two reports of one call store it once.
 */
export async function reportRestrictedCall(deps: DecisionDeps, report: CallReport): Promise<CallReportResult> {
  const now = deps.clock.now();
  const call = { at: report.at, operation: report.operation.trim() };
  const result = await deps.db.transaction(async (tx): Promise<CallReportResult> => {
    const [app] = await tx.select().from(applications).where(eq(applications.id, report.applicationId)).for('update');
    if (!app) return { kind: 'not_found' };
    const same = and(
      eq(restrictedCalls.applicationId, app.id),
      eq(restrictedCalls.at, call.at),
      eq(restrictedCalls.operation, call.operation),
    );
    const [stored] = await tx.select().from(restrictedCalls).where(same).limit(1);
    if (stored) return { kind: 'repeat', call: { at: stored.at, operation: stored.operation } };

    const command: Command = { type: 'record_restricted_call', ...call };
    const outcome = decide(
      workflowStateFrom(app, await loadReviewRows(tx, app), deps.policy.privateTrack),
      command,
      { id: INTEGRATION_ACTOR, roles: rolesOf(deps.roles, INTEGRATION_ACTOR) },
      { now, rolesOf: (id) => rolesOf(deps.roles, id) },
    );
    if (!outcome.ok) return { kind: 'refused', refusal: outcome };

    const { notice, latest, back } = restrictedCallNotice(callWatch(app), call.at, now, deps.policy);
    await tx
      .insert(restrictedCalls)
      .values({ applicationId: app.id, ...call, recordedBy: INTEGRATION_ACTOR, recordedAt: now })
      .onConflictDoNothing();
    if (notice === 'announce') {
      const written = await recordUpdateAndChange(
        tx,
        tx
          .update(applications)
          .set({
            lastRestrictedCallAt: latest,
            ...(back ? ACTIVE_AGAIN(now) : {}),
            version: sql`${applications.version} + 1`,
            updatedAt: now,
          })
          .where(eq(applications.id, app.id))
          .returning(),
        {
          applicationId: app.id,
          type: 'restricted_call.recorded',
          actor: INTEGRATION_ACTOR,
          at: now,
          payload: {
            before: { stage: app.stage, status: app.status, assigneeId: app.assigneeId },
            ...restrictedCallPayload(call, back),
          },
        },
        { thread: true },
      );
      if (!written) throw new Error(`application ${app.id} changed under its row lock`);
      return { kind: 'recorded', call, notice };
    }
    // Not the team's news: the last call moves on quietly (the access watch reads it), and the
    // version stays, so a modal a reviewer has open is not told someone decided meanwhile.
    if (latest !== app.lastRestrictedCallAt)
      await tx.update(applications).set({ lastRestrictedCallAt: latest }).where(eq(applications.id, app.id));
    if (notice === 'card')
      await tx.insert(outbox).values({ kind: 'card.sync', applicationId: app.id, payload: {}, createdAt: now, availableAt: now });
    return { kind: 'recorded', call, notice };
  });
  // The row changed (its last call at least): what this instance remembers of it is out of date.
  if (result.kind === 'recorded') deps.readCache?.forget(report.applicationId);
  recordDecision(
    'record_restricted_call',
    result.kind === 'recorded' ? 'done' : result.kind === 'repeat' ? 'duplicate' : result.kind,
  );
  return result;
}
