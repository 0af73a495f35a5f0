import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/**
 * How long a modal's submission waits for Slack to tell an architect's time zone before it
 * goes on without it: the submission is acknowledged only after its decision, within Slack's
 * 3 seconds (SLACK.md), and the decision needs a moment of its own.
 */
export const TIME_ZONE_WAIT_MS = 1_000;
/** A person's time zone changes when they travel; an hour-old answer is fresh enough. */
export const TIME_ZONE_TTL_MS = 60 * 60_000;

type Known = { tz: string | undefined; at: number };

/**
 * People's time zones, from Slack's `users.info`: the architects' for the working-hours check
 * of a meeting, the decider's for a time a refusal states. Asked when the modal opens
 * (`prefetch`), so the submission usually finds the answer here; one that is not back within `waitMs` is left out of that submission
 * (the check is skipped, not guessed, as when Slack fails) and kept for the next. One lookup
 * per person at a time.
 */
export function createTimeZones(deps: { slack: WebClient; clock: Clock; logger: Logger; waitMs?: number; ttlMs?: number }) {
  const waitMs = deps.waitMs ?? TIME_ZONE_WAIT_MS;
  const ttlMs = deps.ttlMs ?? TIME_ZONE_TTL_MS;
  const known = new Map<string, Known>();
  const asking = new Map<string, Promise<string | undefined>>();

  function ask(userId: string): Promise<string | undefined> {
    const pending = asking.get(userId);
    if (pending) return pending;
    const lookup = deps.slack.users
      .info({ user: userId })
      .then((info) => {
        const tz = info.user?.tz ?? undefined;
        known.set(userId, { tz, at: deps.clock.now().getTime() });
        return tz;
      })
      .catch((error: unknown) => {
        deps.logger.warn({ err: error, user: userId }, 'could not read a person’s time zone');
        return undefined;
      })
      .finally(() => asking.delete(userId));
    asking.set(userId, lookup);
    return lookup;
  }

  const fresh = (userId: string) => {
    const entry = known.get(userId);
    return entry && deps.clock.now().getTime() - entry.at < ttlMs ? entry : undefined;
  };

  return {
    /** Starts looking up whoever is not known yet; answers at once. */
    prefetch(userIds: readonly string[]): void {
      for (const id of userIds) if (!fresh(id)) void ask(id);
    },
    /** The person's time zone, or undefined when Slack does not tell it within `waitMs`. */
    async of(userId: string): Promise<string | undefined> {
      const entry = fresh(userId);
      if (entry) return entry.tz;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          deps.logger.warn(
            { user: userId, waitMs },
            'Slack did not tell a person’s time zone in time: going on without it (UTC, or working hours not checked)',
          );
          resolve(undefined);
        }, waitMs);
      });
      try {
        return await Promise.race([ask(userId), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type TimeZones = ReturnType<typeof createTimeZones>;
