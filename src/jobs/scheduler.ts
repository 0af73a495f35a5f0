import type { Db } from '../../db/client.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import type { Logger } from '../logger.ts';
import { sweepReminders } from '../reminders/sweep.ts';
import { purgeExpired } from './retention.ts';

/**
 * The in-app scheduler: every REMINDER_SWEEP_MS, one reminder sweep and one retention pass.
 * Safe on any number of instances (claims are unique keys), so there is no leader to elect.
 */
export function createScheduler(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  /** Who reminders of unassigned applications mention without a REVIEWER_GROUP_ID. */
  roles?: Roles;
  /** After a sweep queued Slack effects (reminders claimed, or an application changed). */
  onClaimed: () => void;
  /** After a sweep changed applications (access fallen at risk): what the App Homes show moved. */
  onChanged?: () => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function tick(): Promise<void> {
    const now = deps.clock.now();
    try {
      const result = await sweepReminders(deps, now);
      if (result.claimed.length > 0) {
        deps.logger.info(
          { claimed: result.claimed.length, kinds: [...new Set(result.claimed.map((r) => r.kind))] },
          'reminders due',
        );
      }
      // A change is recorded with its card update and thread line, queued like a reminder's post.
      if (result.claimed.length > 0 || result.changed.length > 0) deps.onClaimed();
      if (result.changed.length > 0) {
        deps.logger.info({ changed: result.changed.length }, 'access fallen at risk');
        deps.onChanged?.();
      }
      await purgeExpired(deps, now, deps.policy.retentionDays);
    } catch (error) {
      deps.logger.error({ err: error }, 'scheduled sweep failed; the next one retries');
    }
  }

  return {
    start(): void {
      timer = setInterval(() => {
        running ??= tick().finally(() => {
          running = undefined;
        });
      }, deps.policy.reminders.sweepMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
