import { LogLevel } from '@slack/web-api';
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
