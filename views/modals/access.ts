import { ACCESS_LABELS, type AccessStatus, SUSPENSION_REASON_LABELS, SUSPENSION_REASONS } from '../../src/workflow/access.ts';
import type { ApplicationSummary } from '../types.ts';
import { about, context, modal, radioInput, textInput } from './kit.ts';

export const ACCESS_CALLBACKS = {
  suspend: 'suspend_access',
  reinstate: 'reinstate_access',
  revoke: 'revoke_access',
} as const;

export const ACCESS_NOTE_MAX = 2000;

const now = (access: AccessStatus | null) => `Access now: ${ACCESS_LABELS[access ?? 'active']}.`;

/** Suspend access (admins): a reason from the list, a note required when it is Other. */
export function suspendAccessModal(app: ApplicationSummary, access: AccessStatus | null, suggested?: string) {
  return modal({
    callbackId: ACCESS_CALLBACKS.suspend,
    title: 'Suspend access',
    submit: 'Suspend',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        `${now(access)} A suspension can be reinstated or revoked by an admin; the developer side is told through the webhook.`,
      ),
      radioInput(
        'reason',
        'Reason',
        SUSPENSION_REASONS.map((r) => ({ value: r, text: SUSPENSION_REASON_LABELS[r] })),
        suggested ? { initial: suggested } : {},
      ),
      textInput('note', 'Note', {
        multiline: true,
        optional: true,
        max: ACCESS_NOTE_MAX,
        hint: 'Required when the reason is Other. Kept in the history; never sent in a webhook.',
      }),
    ],
  });
}

export function reinstateAccessModal(app: ApplicationSummary) {
  return modal({
    callbackId: ACCESS_CALLBACKS.reinstate,
    title: 'Reinstate access',
    submit: 'Reinstate',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(`${now('suspended')} Reinstated, it is active again.`),
      textInput('note', 'Note', { multiline: true, optional: true, max: ACCESS_NOTE_MAX, hint: 'Kept in the history.' }),
    ],
  });
}

export function revokeAccessModal(app: ApplicationSummary, access: AccessStatus | null) {
  return modal({
    callbackId: ACCESS_CALLBACKS.revoke,
    title: 'Revoke access',
    submit: 'Revoke',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(`${now(access)} Revoked is final for this cycle: only a resubmission of the profile starts a new one.`),
      textInput('note', 'Why is access revoked?', {
        multiline: true,
        max: ACCESS_NOTE_MAX,
        hint: 'Kept in the history; never sent in a webhook.',
      }),
    ],
  });
}
