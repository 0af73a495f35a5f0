import { LogLevel, type WebAPICallResult, WebClient } from '@slack/web-api';
import { type Logger, slackLoggerFrom } from '../logger.ts';
import { slackFetch } from './slack-fetch.ts';

/** Long enough for a large files upload step, short enough that a hung call does not stall the outbox. */
export const DEFAULT_SLACK_TIMEOUT_MS = 10_000;

/**
 * How every Web API client of ours is set up (the bot's, `npm run remind`'s, the bench's).
 * Slack effects are retried from the outbox (durable), so the client itself never waits on
 * retries or rate limits; a hung connection must fail, or it holds an outbox batch (and the
 * effects behind it) for ever.
 */
export function webClientOptions(args: { apiUrl?: string; timeoutMs?: number; logger: Logger }) {
  return {
    ...(args.apiUrl ? { slackApiUrl: args.apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: args.timeoutMs ?? DEFAULT_SLACK_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    fetch: slackFetch,
    logger: slackLoggerFrom(args.logger, 'slack-web-api'),
    logLevel: LogLevel.WARN,
  };
}

/** Arguments whose value is Block Kit JSON: cards, thread lines, modals, Homes. */
const BLOCK_KIT_ARGUMENTS = new Set(['blocks', 'view']);

/**
 * The Web API client every call of ours goes through (the outbox, the jobs, the listeners, the
 * CLI; the bot's counts them: CountedWebClient). It hands Slack the same form body as the base
 * client, with Block Kit arguments serialised once, here: the base client walks every object
 * argument to redact it for a debug line (whatever the log level) and then serialises it again
 * for the body, and a string it passes through as it is. Measured on the bench machine, a
 * `chat.update` of a twelve-block card against a local server: 0.34 to 0.36 ms of process CPU a
 * call against 0.39 to 0.43. Every method goes through `apiCall`, which the base class binds in
 * its constructor, so the override must be a subclass's.
 */
export class SlackWebClient extends WebClient {
  override apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    if (options === undefined || method === 'files.uploadV2') return super.apiCall(method, options);
    let serialised: Record<string, unknown> | undefined;
    for (const key of BLOCK_KIT_ARGUMENTS) {
      const value = options[key];
      if (value === undefined || value === null || typeof value === 'string') continue;
      serialised ??= { ...options };
      serialised[key] = JSON.stringify(value);
    }
    return super.apiCall(method, serialised ?? options);
  }
}
