import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createOutboxDispatcher } from './outbox-dispatcher.ts';
import { createScheduler } from './scheduler.ts';
import { createWebhookRelay } from './webhooks.ts';

export type JobsDeps = {
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  /** Who reminders of unassigned applications mention without a REVIEWER_GROUP_ID. */
  roles?: Roles;
  reviewChannelId: string;
  pollMs: number;
  postIntervalMs: number;
  /** After the dispatcher parked an effect (the admins' Home shows the count). */
  onParked?: () => void;
  /** After the scheduled sweep changed applications (access fallen at risk), which the App Homes show. */
  onSwept?: () => void;
  slackTimeoutMs?: number;
  /** This instance's liveness key (src/jobs/liveness.ts), for the leases its dispatcher takes. */
  instanceKey?: () => number | undefined;
  /** Resolves when the requests being answered are (see DispatcherDeps). */
  afterRequests?: () => Promise<void>;
  webhook?: { url: string; secret: string };
};

/** Everything that runs after a request is answered: Slack effects, reminders, webhooks. */
export function createJobs(deps: JobsDeps) {
  const dispatcher = createOutboxDispatcher(
    { ...deps, logger: deps.logger.child({ component: 'outbox' }) },
    { pollMs: deps.pollMs },
  );
  const webhooks = deps.webhook
    ? createWebhookRelay({
        ...deps,
        logger: deps.logger.child({ component: 'webhooks' }),
        url: deps.webhook.url,
        secret: deps.webhook.secret,
      })
    : undefined;
  const scheduler = createScheduler({
    ...deps,
    logger: deps.logger.child({ component: 'scheduler' }),
    onClaimed: () => dispatcher.kick(),
    ...(deps.onSwept ? { onChanged: deps.onSwept } : {}),
  });
  let webhookTimer: NodeJS.Timeout | undefined;
  let webhookRun: Promise<unknown> | undefined;
  const relay = () => {
    if (!webhooks || webhookRun) return;
    webhookRun = webhooks
      .drain()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'webhook relay failed; will retry'))
      .finally(() => {
        webhookRun = undefined;
      });
  };

  return {
    dispatcher,
    scheduler,
    webhooks,
    /** After a change commits: deliver its effects now instead of at the next poll. */
    kick(): void {
      dispatcher.kick();
      relay();
    },
    start(): void {
      dispatcher.start();
      scheduler.start();
      if (webhooks) {
        webhookTimer = setInterval(relay, deps.pollMs);
        webhookTimer.unref();
      }
    },
    async stop(): Promise<void> {
      if (webhookTimer) clearInterval(webhookTimer);
      await Promise.all([dispatcher.stop(), scheduler.stop(), webhookRun]);
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
