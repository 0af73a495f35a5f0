import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';

/**
 * The card's link from Slack (chat.getPermalink: the message itself, in any client). A failure
 * costs only the link (dashboards fall back to the archive link format), never the effect.
 */
export async function fetchPermalink(
  deps: { slack: WebClient; logger: Logger },
  card: { channel: string; ts: string },
): Promise<string | null> {
  try {
    const answer = await deps.slack.chat.getPermalink({ channel: card.channel, message_ts: card.ts });
    return answer.permalink ?? null;
  } catch (error) {
    deps.logger.warn({ err: error, channel: card.channel, ts: card.ts }, 'could not get the card permalink');
    return null;
  }
}
