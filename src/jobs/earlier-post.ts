import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';

/** Every message the outbox posts carries its effect's id, so a retry can tell whether an earlier attempt got through. */
export const EFFECT_EVENT = 'pii_review_effect';
/**
 * How far before the first attempt the lookup starts: Slack stamps a message with its own clock,
 * so this covers skew between ours (NTP-synced) and Slack's. Kept short because every second of
 * it is more pages to read in a busy channel, where history calls are rate limited (tier 3).
 * The lookup is bounded by time, never by a count: a backlog import can put thousands of
 * messages in the channel before a retry comes.
 */
export const LOOKBACK_MARGIN_MS = 15_000;
/** Messages per page; Slack recommends no more than 200. */
const PAGE_LIMIT = 200;

export type EarlierPostDeps = { slack: WebClient; logger: Logger };

export type Effect = { id: number; kind: string; firstAttemptAt: Date | null; createdAt: Date };

/** Slack's `oldest`: seconds since the epoch, with microseconds. */
export function oldestFor(effect: Effect): string {
  const since = (effect.firstAttemptAt ?? effect.createdAt).getTime() - LOOKBACK_MARGIN_MS;
  return (Math.max(0, since) / 1000).toFixed(6);
}

/**
 * The ts of the effect's message if an earlier attempt posted it: reads the channel (or the
 * thread) from shortly before the effect's first attempt up to now, page by page, however many
 * pages that takes. Undefined if it is not there, or if Slack refuses the lookup itself (an
 * install without groups:history: missing_scope): a possible duplicate is better than an
 * effect that never goes out.
 */
export async function findEarlierPost(
  deps: EarlierPostDeps,
  effect: Effect,
  channel: string,
  threadTs: string | undefined,
  /** Which of the effect's messages: its own (undefined) or a fresh card a thread effect posted first. */
  part?: string,
): Promise<string | undefined> {
  const oldest = oldestFor(effect);
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const query = { channel, oldest, limit: PAGE_LIMIT, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
    const page = await (threadTs
      ? deps.slack.conversations.replies({ ...query, ts: threadTs })
      : deps.slack.conversations.history(query)
    ).catch((error: unknown) => {
      if ((error as { code?: string }).code !== ErrorCode.PlatformError) throw error;
      deps.logger.warn({ outboxId: effect.id, kind: effect.kind, err: error }, 'cannot look for an earlier post; posting again');
      return undefined;
    });
    if (!page) return undefined;
    const mine = page.messages?.find((m) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === EFFECT_EVENT && Number(payload?.outbox_id) === effect.id && payload?.part === part;
    });
    if (mine?.ts) return mine.ts;
    cursor = page.response_metadata?.next_cursor || undefined;
    // A cursor seen before would loop forever: the end, as far as this lookup can tell.
    if (!cursor || seen.has(cursor)) return undefined;
    seen.add(cursor);
  }
}
