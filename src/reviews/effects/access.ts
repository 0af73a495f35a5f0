import { accessOf } from '../../workflow/access.ts';
import type { Command } from '../../workflow/rules.ts';
import type { Details, Write } from './types.ts';

type AccessCommand = Extract<Command, { type: 'suspend_access' | 'reinstate_access' | 'revoke_access' }>;

export const isAccessCommand = (command: Command): command is AccessCommand =>
  command.type === 'suspend_access' || command.type === 'reinstate_access' || command.type === 'revoke_access';

/**
 * An admin's decision on restricted access: the access columns only (stage and status stay, so
 * a role review in flight goes on). The note is the team's: it stays in the event, which the
 * thread shows; webhooks carry the change and the reason code, never the note.
 */
export async function applyAccessEffects({ app, now }: Write, command: AccessCommand): Promise<Details> {
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
        applicationChanges: { accessStatus: 'active', accessSince: now, accessReason: null },
      };
    case 'revoke_access':
      return {
        type: 'access.revoked',
        payload: { from, to: 'revoked', note },
        applicationChanges: { accessStatus: 'revoked', accessSince: now, accessReason: null },
      };
  }
}
