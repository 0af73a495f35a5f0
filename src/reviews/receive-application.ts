import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApplicationRow, applications } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import { type ApplicationInput, changedFields, contentHash, toSubmission } from '../intake/application.ts';
import { INITIAL_STATE, type Stage, type Status, stateAfterResubmission } from '../workflow/states.ts';
import { recordChange } from './record.ts';

export type ReceiveOutcome = {
  outcome: 'created' | 'unchanged' | 'updated';
  application: ApplicationRow;
  changedFields: string[];
};

/**
 * Intake of a developer profile, idempotent on profileId: a new profile makes an application
 * and its card; the same content again changes nothing; changed content is recorded and noted
 * in the card's thread.
 */
export async function receiveApplication(deps: { db: Db; clock: Clock }, input: ApplicationInput): Promise<ReceiveOutcome> {
  const now = deps.clock.now();
  const submission = toSubmission(input);
  const hash = contentHash(submission);

  return deps.db.transaction(async (tx) => {
    // ON CONFLICT makes two concurrent first posts of one profile produce one row.
    const [created] = await tx
      .insert(applications)
      .values({
        profileId: input.profileId,
        organizationName: input.organization.name,
        submission,
        contentHash: hash,
        ...INITIAL_STATE,
        submittedAt: input.submittedAt ? new Date(input.submittedAt) : now,
        receivedAt: now,
        updatedAt: now,
        statusSince: now,
      })
      .onConflictDoNothing({ target: applications.profileId })
      .returning();

    if (created) {
      await recordChange(
        tx,
        {
          applicationId: created.id,
          type: 'application.received',
          actor: 'intake',
          at: now,
          payload: { stage: created.stage, status: created.status, roles: input.roles, marketplaces: input.marketplaces },
        },
        { thread: false },
      );
      return { outcome: 'created', application: created, changedFields: [] };
    }

    const [existing] = await tx.select().from(applications).where(eq(applications.profileId, input.profileId)).for('update');
    if (!existing) throw new Error(`application for profile ${input.profileId} vanished during intake`);
    if (existing.contentHash === hash) return { outcome: 'unchanged', application: existing, changedFields: [] };

    const fields = changedFields(existing.submission, submission);
    const before = { stage: existing.stage as Stage, status: existing.status as Status };
    const after = stateAfterResubmission(before);
    const statusChanged = after.status !== before.status;
    const [updated] = await tx
      .update(applications)
      .set({
        organizationName: input.organization.name,
        submission,
        contentHash: hash,
        ...after,
        version: existing.version + 1,
        updatedAt: now,
        ...(statusChanged ? { statusSince: now } : {}),
      })
      .where(eq(applications.id, existing.id))
      .returning();
    if (!updated) throw new Error(`application ${existing.id} could not be updated`);

    await recordChange(
      tx,
      {
        applicationId: existing.id,
        type: 'application.updated',
        actor: 'intake',
        at: now,
        payload: { changedFields: fields, before, after },
      },
      { thread: true },
    );
    return { outcome: 'updated', application: updated, changedFields: fields };
  });
}
