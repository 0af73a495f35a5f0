import type { WebClient } from '@slack/web-api';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { type OutboxRow, outbox } from '../../db/schema.ts';
import { parkedAlert, tokenBackAlert } from '../../views/slack-alerts.ts';
import type { MessageView } from '../../views/types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { claimAlert, parkEffect } from './parked.ts';
import { classifySlackError } from './slack-errors.ts';
import { createTokenWatch } from './token-watch.ts';

export type RefusalDeps = {
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  reviewChannelId: string;
  /** While Slack refuses the token, how often to ask `auth.test` whether it works again. */
  probeMs: number;
  onParked?: () => void;
};

/**
 * What the dispatcher does with failures no retry fixes (src/jobs/slack-errors.ts): an effect
 * Slack refuses for good is parked and the admins told once per cause; a refused token stops
 * delivery until a probe finds it valid again. Transient failures are left to the caller.
 */
export function createRefusals(deps: RefusalDeps) {
  const token = createTokenWatch({ slack: deps.slack, clock: deps.clock, logger: deps.logger, probeMs: deps.probeMs });

  /** Posted straight to the channel, not through the outbox: its failure is only logged (the cause may be the channel). */
  async function alert(view: MessageView, cause: string): Promise<void> {
    await deps.slack.chat
      .postMessage({ channel: deps.reviewChannelId, ...view, unfurl_links: false } as Parameters<
        WebClient['chat']['postMessage']
      >[0])
      .catch((error: unknown) => deps.logger.warn({ err: error, cause }, 'could not post the admin alert to the channel'));
  }

  async function park(item: OutboxRow, cause: string): Promise<void> {
    const now = deps.clock.now();
    await parkEffect(deps.db, item.id, cause, now);
    deps.logger.error(
      { outboxId: item.id, kind: item.kind, applicationId: item.applicationId, attempts: item.attempts, slackError: cause },
      'slack effect parked: no retry can fix it; the application’s later effects go on',
    );
    if (await claimAlert(deps.db, cause, now)) await alert(parkedAlert(cause, item.kind), cause);
    deps.onParked?.();
  }

  async function countPending(): Promise<number> {
    const result = await deps.db.execute(sql`select count(*)::int as n from ${outbox} o where o.done_at is null`);
    return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
  }

  return {
    /**
     * Settles a failed effect if no retry fixes its failure: `parked`, or `held` until the token
     * works again; undefined leaves it to the retry with backoff.
     */
    async settle(item: OutboxRow, error: unknown): Promise<'parked' | 'held' | undefined> {
      const failure = classifySlackError(error);
      if (failure.kind === 'permanent' || failure.kind === 'card_gone') {
        await park(item, failure.code);
        return 'parked';
      }
      if (failure.kind !== 'auth') return undefined;
      // Not the effect's fault: it goes out as it is once the token works again, without backoff.
      token.refuse(failure.code);
      await deps.db.update(outbox).set({ lockedUntil: null, lastError: failure.code }).where(eq(outbox.id, item.id));
      return 'held';
    },
    /** True while Slack refuses the token; the probe that finds it valid again tells the channel. */
    async stopped(): Promise<boolean> {
      if (!token.refused) return false;
      const outage = await token.probe();
      if (!outage) return true;
      await alert(tokenBackAlert(outage.code, outage.since, await countPending()), outage.code);
      return false;
    },
    tokenRefused: () => token.refused,
  };
}
