import { ErrorCode } from '@slack/web-api';

/**
 * What a failed Slack call means for the effect that made it:
 * - `transient`: Slack or the network may answer differently later (HTTP errors, timeouts, 429,
 *   `internal_error`, unknown codes): retry with backoff.
 * - `auth`: the token itself is refused; every call will fail the same way, so delivery stops
 *   until a probe finds a valid token again.
 * - `card_gone`: the message being updated or replied to no longer exists (deleted by a person
 *   or a retention policy) or is not ours: post a fresh card instead.
 * - `permanent`: the same request will be refused every time (SLACK.md "Web API errors that no
 *   retry can fix"): park the effect so the application's later effects go on.
 */
export type SlackFailure =
  | { kind: 'transient' }
  | { kind: 'auth'; code: string }
  | { kind: 'card_gone'; code: string }
  | { kind: 'permanent'; code: string };

/** Slack's answers when the token is no good (revoked, uninstalled, deactivated or missing). */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

const CARD_GONE_ERRORS = new Set(['message_not_found', 'cant_update_message', 'thread_not_found']);

/**
 * Refusals of the request itself. `channel_not_found`, `not_in_channel` and `is_archived` can be
 * fixed by an admin (invite the bot, unarchive), not by waiting: the admin retries the parked effect.
 */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'missing_scope',
  'not_allowed_token_type',
  'no_permission',
  'restricted_action',
  'invalid_arguments',
  'invalid_args',
  'invalid_charset',
  'invalid_form_data',
  'user_not_found',
  'file_not_found',
  'ekm_access_denied',
  'team_access_not_granted',
  'method_deprecated',
  'deprecated_endpoint',
  'unknown_method',
]);

/** Slack's error code of an `ok: false` answer (`WebAPIPlatformError.data.error`), if the error is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: unknown } } | null;
  if (coded?.code !== ErrorCode.PlatformError) return undefined;
  return typeof coded.data?.error === 'string' ? coded.data.error : undefined;
}

export function classifySlackError(error: unknown): SlackFailure {
  const code = slackErrorCode(error);
  if (code === undefined) return { kind: 'transient' };
  if (AUTH_ERRORS.has(code)) return { kind: 'auth', code };
  if (CARD_GONE_ERRORS.has(code)) return { kind: 'card_gone', code };
  if (PERMANENT_ERRORS.has(code)) return { kind: 'permanent', code };
  return { kind: 'transient' };
}
