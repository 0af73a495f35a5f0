import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifySlackError, slackErrorCode } from '../../../src/jobs/slack-errors.ts';

/** The shape @slack/web-api throws for an `ok: false` answer (WebAPIPlatformError). */
const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: ErrorCode.PlatformError,
    data: { ok: false, error },
  });

describe('classifySlackError', () => {
  it.each([
    ['invalid_blocks', 'permanent'],
    ['msg_too_long', 'permanent'],
    ['is_archived', 'permanent'],
    ['channel_not_found', 'permanent'],
    ['not_in_channel', 'permanent'],
    ['missing_scope', 'permanent'],
    ['invalid_arguments', 'permanent'],
    ['message_not_found', 'card_gone'],
    ['cant_update_message', 'card_gone'],
    ['thread_not_found', 'card_gone'],
    ['token_revoked', 'auth'],
    ['invalid_auth', 'auth'],
    ['account_inactive', 'auth'],
    ['internal_error', 'transient'],
    ['fatal_error', 'transient'],
    ['ratelimited', 'transient'],
  ])('%s is %s', (code, kind) => {
    expect(classifySlackError(platform(code)).kind).toBe(kind);
  });

  it('treats HTTP, network and rate-limit errors as transient, whatever their message says', () => {
    const http = Object.assign(new Error('invalid_blocks'), { code: ErrorCode.HTTPError, statusCode: 500 });
    const network = Object.assign(new Error('socket hang up'), { code: ErrorCode.RequestError });
    const limited = Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter: 3 });
    for (const error of [http, network, limited, new Error('boom'), undefined]) {
      expect(classifySlackError(error)).toEqual({ kind: 'transient' });
    }
    expect(slackErrorCode(http)).toBeUndefined();
    expect(slackErrorCode(platform('is_archived'))).toBe('is_archived');
  });
});
