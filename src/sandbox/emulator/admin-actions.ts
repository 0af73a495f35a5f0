import type { EmulatorState, Fault } from './state.ts';

/**
 * What people and workspace policies do to Slack behind the bot's back, so tests and the sandbox
 * can show the bot recovering: each is one small change to the emulator's state.
 */

/** A person (or the retention policy) deletes a message; its thread replies stay, as in Slack. */
export function deleteMessage(state: EmulatorState, channel: string, ts: string): boolean {
  return state.deleteMessage(channel, ts);
}

export function archiveChannel(state: EmulatorState, channel: string): void {
  state.setArchived(channel, true);
}

export function unarchiveChannel(state: EmulatorState, channel: string): void {
  state.setArchived(channel, false);
}

/** The workspace revokes the bot token (or the app is uninstalled): every call answers `error`. */
export function revokeToken(
  state: EmulatorState,
  error: 'token_revoked' | 'invalid_auth' | 'account_inactive' = 'token_revoked',
): void {
  state.tokenRefusal = error;
}

/** A valid token is back (the app was reinstalled with the same token in this stand-in). */
export function restoreToken(state: EmulatorState): void {
  state.tokenRefusal = undefined;
}

/** The person is not a member of the channel: ephemerals to them there answer `user_not_in_channel`. */
export function removeFromChannel(state: EmulatorState, channel: string, user: string): void {
  state.channels.get(channel)?.members.delete(user);
}

/** The next call of `method` answers `ok: false` with `error`, whatever it asked. */
export function failNextCall(state: EmulatorState, method: string, error: string): void {
  const fault: Fault = { error };
  state.faults.push({ method, fault });
}
