import type { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApplicationRow, type OutboxRow, reviewCycles } from '../../db/schema.ts';
import { reviewCard } from '../../views/card.ts';
import type { Clock } from '../clock.ts';
import type { Policy } from '../config.ts';
import type { Logger } from '../logger.ts';
import { cardModelFrom, loadCardModel } from '../reviews/card-model.ts';
import type { ReviewRows } from '../reviews/workflow-state.ts';
import { createPermalinks } from './permalink.ts';
import { classifySlackError } from './slack-errors.ts';

/**
 * Which message of the effect a post is: its own (undefined), or the fresh card a thread effect
 * posts first because the old card is gone. Kept in the metadata so a retry finds the right one.
 */
export type Part = 'card' | undefined;
export type Post = { channel: string; text: string; thread_ts?: string; blocks?: unknown[] };
/** The dispatcher's post that a retry finds instead of repeating. */
export type PostOnce = (
  item: OutboxRow,
  message: Post,
  part?: Part,
) => Promise<{ channel: string; ts: string; earlier: boolean }>;
export type CardLocation = { channel: string; ts: string };
/** A card just posted: where it is now and its link. */
export type PostedCard = CardLocation & { permalink: string | null };

export type CardDeliveryDeps = {
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  reviewChannelId: string;
};

/**
 * The card and its thread. A card deleted in Slack (by a person or a retention policy) or not
 * ours any more is posted again, so the update and the thread line that found it gone land on
 * the new card. `onPosted` hears of every card posted, and of an older card's link once it is
 * known: the dispatcher stores where the card is and its link with the settling of the effects
 * that found them (one statement), and hands them to the effects after it in the same claim.
 */
export function createCardDelivery(
  deps: CardDeliveryDeps,
  postOnce: PostOnce,
  onPosted: (applicationId: number, card: PostedCard) => void,
) {
  const permalinks = createPermalinks(deps);
  /** For a failed card update or thread post: false when the card is gone (the caller posts a fresh one), else rethrows. */
  function cardGone(item: OutboxRow, error: unknown): false {
    const failure = classifySlackError(error);
    if (failure.kind !== 'card_gone') throw error;
    deps.logger.warn(
      { outboxId: item.id, kind: item.kind, applicationId: item.applicationId, slackError: failure.code },
      'the card is gone from Slack; posting it again',
    );
    return false;
  }

  /** A card posted before links were stored gets its link, stored as a posted card's is. */
  async function linkOlderCard(app: ApplicationRow, card: CardLocation): Promise<void> {
    const permalink = await permalinks.ofCard(card);
    if (permalink) onPosted(app.id, { ...card, permalink });
  }

  /** Posts the application's card (the first time, or again after it was deleted) and tells where it now is. */
  async function postCard(item: OutboxRow, app: ApplicationRow, part: Part, rows?: ReviewRows): Promise<CardLocation> {
    const model = rows ? cardModelFrom(app, rows, deps.policy) : await loadCardModel(deps.db, app, deps.policy);
    const view = reviewCard(model, deps.clock.now());
    const posted = await postOnce(item, { channel: deps.reviewChannelId, ...view }, part);
    // An earlier attempt's card may show an older state: bring it up to date.
    if (posted.earlier) await deps.slack.chat.update({ channel: posted.channel, ts: posted.ts, ...view });
    const card = { channel: posted.channel, ts: posted.ts };
    onPosted(app.id, { ...card, permalink: await permalinks.ofCard(card) });
    return card;
  }

  /** The card a thread effect goes under. None only when the card's own effect was parked: post it now. */
  function cardOf(item: OutboxRow, app: ApplicationRow): Promise<CardLocation> {
    if (app.cardTs && app.cardChannel) return Promise.resolve({ channel: app.cardChannel, ts: app.cardTs });
    return postCard(item, app, 'card');
  }

  return {
    cardOf,
    /**
     * `card.sync`: update the card to the application's state, or post it when there is none (or
     * it is gone). `rows`: the review rows read with the application (one query), if the caller
     * has them.
     */
    async sync(item: OutboxRow, app: ApplicationRow, rows?: ReviewRows): Promise<void> {
      if (app.cardTs && app.cardChannel) {
        const card = { channel: app.cardChannel, ts: app.cardTs };
        const model = rows ? cardModelFrom(app, rows, deps.policy) : await loadCardModel(deps.db, app, deps.policy);
        const view = reviewCard(model, deps.clock.now());
        const updated = await deps.slack.chat
          .update({ ...card, ...view })
          .then(() => true)
          .catch((error: unknown) => cardGone(item, error));
        // Cards posted before permalinks were stored get theirs on their next update.
        if (updated && !app.cardPermalink) await linkOlderCard(app, card);
        if (updated) return;
      }
      await postCard(item, app, undefined, rows);
    },
    /** Posts one line in the card's thread; answers where it landed. */
    async postInThread(item: OutboxRow, app: ApplicationRow, text: string): Promise<CardLocation> {
      const card = await cardOf(item, app);
      const posted = await postOnce(item, { channel: card.channel, thread_ts: card.ts, text }).catch((error: unknown) =>
        cardGone(item, error),
      );
      if (posted) return posted;
      const fresh = await postCard(item, app, 'card');
      return postOnce(item, { channel: fresh.channel, thread_ts: fresh.ts, text });
    },
    /**
     * The link to a thread line that ended a review cycle, kept with the cycle (the card of a
     * later cycle links it). `cycle`: the number of the cycle the line's event ended, if any.
     */
    async storeCycleOutcomeLink(applicationId: number, cycle: number | undefined, line: CardLocation): Promise<void> {
      if (cycle === undefined) return;
      const permalink = await permalinks.ofReply(line);
      if (permalink)
        await deps.db
          .update(reviewCycles)
          .set({ outcomePermalink: permalink })
          .where(and(eq(reviewCycles.applicationId, applicationId), eq(reviewCycles.number, cycle)));
    },
  };
}
