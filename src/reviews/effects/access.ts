import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { audits, remediationItems } from '../../../db/schema.ts';
import { accessOf } from '../../workflow/access.ts';
import { AUDITS_IN_FLIGHT } from '../../workflow/late.ts';
import type { Command } from '../../workflow/rules.ts';
import type { Details, Write } from './types.ts';

type AccessCommand = Extract<Command, { type: 'suspend_access' | 'reinstate_access' | 'revoke_access' }>;

export const isAccessCommand = (command: Command): command is AccessCommand =>
  command.type === 'suspend_access' || command.type === 'reinstate_access' || command.type === 'revoke_access';

/** What ending a production life settled of its audits: the audits cancelled, the remediation items closed. */
export type AuditsSettled = { auditsCancelled: number[]; remediationClosed: number[] };

/**
 * Ends what is in flight of an application's audits: an audit scheduled or awaiting its
 * remediation is cancelled (not passed: nobody judged it), and every open remediation item is
 * closed by whoever ended it. No reminder, digest line or listing names them any more.
 */
export async function settleAuditsInFlight(tx: Tx, applicationId: number, end: { at: Date; by: string }): Promise<AuditsSettled> {
  const cancelled = await tx
    .update(audits)
    .set({ status: 'cancelled', outcomeAt: end.at })
    .where(and(eq(audits.applicationId, applicationId), inArray(audits.status, [...AUDITS_IN_FLIGHT])))
    .returning({ id: audits.id });
  const closed = await tx
    .update(remediationItems)
    .set({ closedAt: end.at, closedBy: end.by })
    .where(
      and(
        isNull(remediationItems.closedAt),
        inArray(
          remediationItems.auditId,
          tx.select({ id: audits.id }).from(audits).where(eq(audits.applicationId, applicationId)),
        ),
      ),
    )
    .returning({ id: remediationItems.id });
  return { auditsCancelled: cancelled.map((a) => a.id), remediationClosed: closed.map((i) => i.id) };
}

/**
 * An admin's decision on restricted access: the access columns (stage and status stay, so a
 * role review in flight goes on); a revocation also ends the audits in flight. The note is the
 * team's: it stays in the event, which the thread shows; webhooks carry the change and the
 * reason code, never the note.
 */
export async function applyAccessEffects({ tx, app, actorId, now }: Write, command: AccessCommand): Promise<Details> {
  const from = accessOf(app);
  const note = command.note.trim();
  switch (command.type) {
    case 'suspend_access':
      return {
        type: 'access.suspended',
        payload: { from, to: 'suspended', reason: command.reason, ...(note ? { note } : {}) },
        applicationChanges: { accessStatus: 'suspended', accessSince: now, accessReason: command.reason },
      };
    case 'reinstate_access':
      return {
        type: 'access.reinstated',
        payload: { from, to: 'active', ...(note ? { note } : {}) },
        // The access watch counts from here, as from an approval, until the next call.
        applicationChanges: { accessStatus: 'active', accessSince: now, accessReason: null, accessReinstatedAt: now },
      };
    case 'revoke_access': {
      // Final for this cycle: an audit under way would otherwise be reminded with nobody able to record it.
      const { auditsCancelled, remediationClosed } = await settleAuditsInFlight(tx, app.id, { at: now, by: actorId });
      return {
        type: 'access.revoked',
        payload: {
          from,
          to: 'revoked',
          note,
          ...(auditsCancelled.length > 0 ? { auditsCancelled } : {}),
          ...(remediationClosed.length > 0 ? { remediationClosed } : {}),
        },
        applicationChanges: {
          accessStatus: 'revoked',
          accessSince: now,
          accessReason: null,
          ...(auditsCancelled.length > 0 ? { auditStatus: 'cancelled' } : {}),
        },
      };
    }
  }
}
