import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';

type Message = { channel: string; ts: string };

/** Where a top-level message's permalink goes after the workspace's address (SLACK.md). */
const topLevelPath = (message: Message) => `archives/${message.channel}/p${message.ts.replace('.', '')}`;

/**
 * Message links from Slack (chat.getPermalink: the message itself, in any client). A failure
 * costs only the link (dashboards fall back to the archive link format), never the effect.
 *
 * A top-level message's permalink is the workspace's address followed by
 * `archives/<channel>/p<ts without the dot>` (SLACK.md). Once Slack has answered one card's
 * link in exactly that shape, the address is known and later cards get theirs without a call.
 * An answer in any other shape is never built on, and a thread reply's link (which names its
 * thread) is always asked for.
 */
export function createPermalinks(deps: { slack: WebClient; logger: Logger }) {
  let workspace: string | undefined;

  async function ask(message: Message): Promise<string | null> {
    try {
      const answer = await deps.slack.chat.getPermalink({ channel: message.channel, message_ts: message.ts });
      return answer.permalink ?? null;
    } catch (error) {
      deps.logger.warn({ err: error, channel: message.channel, ts: message.ts }, 'could not get the card permalink');
      return null;
    }
  }

  return {
    /** The link to a card (a top-level message in the channel). */
    async ofCard(card: Message): Promise<string | null> {
      if (workspace !== undefined) return `${workspace}${topLevelPath(card)}`;
      const permalink = await ask(card);
      const path = topLevelPath(card);
      if (permalink?.endsWith(path)) {
        const address = permalink.slice(0, -path.length);
        if (/^https?:\/\/[^/?#]+\/$/.test(address)) workspace = address;
      }
      return permalink;
    },
    /** The link to a line in a card's thread. */
    ofReply(line: Message): Promise<string | null> {
      return ask(line);
    },
  };
}
