import { ErrorCode, type WebClient } from '@slack/web-api';
import { homeView } from '../../views/home.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type HomeDeps, loadHomeModel } from './home.ts';

/** A home is published at most once per this long per user, however many changes touch it. */
export const HOME_DEBOUNCE_MS = 5_000;
/** `views.publish` is tier 4 (100+ per minute, SLACK.md): one call per 600 ms stays inside it. */
export const HOME_PUBLISH_INTERVAL_MS = 600;

export type PublishDeps = HomeDeps & { slack: WebClient; clock: Clock };

/** Reads and publishes one user's App Home now. */
export async function publishHome(deps: PublishDeps, userId: string): Promise<void> {
  const model = await loadHomeModel(deps, userId, deps.clock.now());
  await deps.slack.views.publish({ user_id: userId, view: homeView(model) });
}

type Timers = {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  now: () => number;
};
const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export type Refresher = {
  /** Asks for these users' homes to be republished: once per user within `debounceMs`, paced across users. */
  touch(userIds: Iterable<string>): void;
  /** Publishes everything pending now (still paced); resolves when done. */
  flush(): Promise<void>;
  /** Drops what is pending and waits for a publish in flight; later touches are ignored. */
  stop(): Promise<void>;
  /** Users waiting to be published. */
  pending(): number;
};

/**
 * Debounce per user, then a single paced queue: a burst of changes costs one publish per user,
 * and all users together stay within `1 / minIntervalMs`. A rate-limited publish is retried after
 * Slack's Retry-After; any other failure is logged and left to the next touch.
 */
export function createDebouncedPublisher(options: {
  publish: (userId: string) => Promise<void>;
  logger: Logger;
  debounceMs?: number;
  minIntervalMs?: number;
  timers?: Timers;
}): Refresher {
  const debounceMs = options.debounceMs ?? HOME_DEBOUNCE_MS;
  const minIntervalMs = options.minIntervalMs ?? HOME_PUBLISH_INTERVAL_MS;
  const timers = options.timers ?? realTimers;
  const waiting = new Map<string, unknown>();
  const queue: string[] = [];
  let running: Promise<void> | undefined;
  let lastPublishAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  const sleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms));

  function enqueue(userId: string): void {
    waiting.delete(userId);
    if (!stopped && !queue.includes(userId)) queue.push(userId);
  }

  function schedule(userId: string, delayMs: number): void {
    if (stopped || waiting.has(userId) || queue.includes(userId)) return;
    waiting.set(
      userId,
      timers.setTimeout(() => {
        enqueue(userId);
        void pump();
      }, delayMs),
    );
  }

  async function drain(): Promise<void> {
    for (let userId = queue.shift(); userId !== undefined && !stopped; userId = queue.shift()) {
      const wait = lastPublishAt + minIntervalMs - timers.now();
      if (wait > 0) await sleep(wait);
      lastPublishAt = timers.now();
      try {
        await options.publish(userId);
      } catch (error) {
        const coded = error as { code?: string; retryAfter?: number };
        if (coded.code === ErrorCode.RateLimitedError && typeof coded.retryAfter === 'number') {
          options.logger.warn({ user: userId, retryAfterS: coded.retryAfter }, 'views.publish rate limited; will retry');
          lastPublishAt = timers.now() + coded.retryAfter * 1000 - minIntervalMs;
          schedule(userId, coded.retryAfter * 1000);
        } else {
          options.logger.warn({ err: error, user: userId }, 'could not publish the App Home');
        }
      }
    }
  }

  function pump(): Promise<void> {
    running ??= drain().finally(() => {
      running = undefined;
      if (queue.length > 0 && !stopped) void pump();
    });
    return running;
  }

  return {
    touch(userIds) {
      for (const userId of userIds) schedule(userId, debounceMs);
    },
    async flush() {
      for (const [userId, handle] of [...waiting]) {
        timers.clearTimeout(handle);
        enqueue(userId);
      }
      while (queue.length > 0 || running) await pump();
    },
    async stop() {
      stopped = true;
      for (const handle of waiting.values()) timers.clearTimeout(handle);
      waiting.clear();
      queue.length = 0;
      await running;
    },
    pending: () => waiting.size + queue.length,
  };
}

export type HomeRefresherDeps = {
  db: HomeDeps['db'];
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  roles: Roles;
  /** Per-user debounce; default 5 s. */
  debounceMs?: number;
  /** Pacing between any two publishes; default 600 ms (100 per minute). */
  minIntervalMs?: number;
  timers?: Timers;
};

/** Republishes App Homes after changes; the outbox calls `touch` with the users a change concerns. */
export function createHomeRefresher(deps: HomeRefresherDeps): Refresher & { touchTeam(): void } {
  const refresher = createDebouncedPublisher({
    publish: (userId) => publishHome(deps, userId),
    logger: deps.logger,
    ...(deps.debounceMs !== undefined ? { debounceMs: deps.debounceMs } : {}),
    ...(deps.minIntervalMs !== undefined ? { minIntervalMs: deps.minIntervalMs } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
  });
  return {
    ...refresher,
    /** Everyone holding a role: the unassigned list and team figures are on every member's Home. */
    touchTeam() {
      refresher.touch(new Set([...deps.roles.reviewers, ...deps.roles.architects, ...deps.roles.admins]));
    },
  };
}
