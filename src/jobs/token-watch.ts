import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { classifySlackError } from './slack-errors.ts';

/** How often a stopped dispatcher asks Slack whether the token works again (`auth.test`, tier 4). */
export const DEFAULT_AUTH_PROBE_MS = 30_000;

export type TokenWatch = ReturnType<typeof createTokenWatch>;

/**
 * Remembers that Slack refused the bot's token, so the dispatcher stops instead of failing every
 * effect in turn; says so once, loudly; and finds out when a valid token is back.
 */
export function createTokenWatch(deps: { slack: WebClient; clock: Clock; logger: Logger; probeMs: number }) {
  let refused: { code: string; since: Date; probedAt: number } | undefined;

  return {
    get refused(): { code: string; since: Date } | undefined {
      return refused ? { code: refused.code, since: refused.since } : undefined;
    },
    /** Slack refused the token: stop delivery. Logged once per outage, not once per effect. */
    refuse(code: string): void {
      if (refused) return;
      const now = deps.clock.now();
      refused = { code, since: now, probedAt: now.getTime() };
      deps.logger.error(
        { slackError: code, probeEveryMs: deps.probeMs },
        `Slack refused the bot token (${code}): Slack delivery is stopped until a valid SLACK_BOT_TOKEN is back; nothing is lost, effects wait in the outbox`,
      );
    },
    /**
     * While stopped: asks `auth.test` at most once per probe interval. Answers the outage that just
     * ended (the token works again), or undefined while it goes on or when nothing was refused.
     */
    async probe(): Promise<{ code: string; since: Date } | undefined> {
      if (!refused) return undefined;
      const now = deps.clock.now().getTime();
      if (now - refused.probedAt < deps.probeMs) return undefined;
      refused.probedAt = now;
      try {
        await deps.slack.auth.test();
      } catch (error) {
        if (classifySlackError(error).kind !== 'auth') {
          deps.logger.warn({ err: error }, 'auth.test failed; will probe the token again');
        }
        return undefined;
      }
      const ended = { code: refused.code, since: refused.since };
      refused = undefined;
      deps.logger.info({ slackError: ended.code }, 'Slack accepts the bot token again: Slack delivery resumed');
      return ended;
    },
  };
}
