import type { WebClient } from '@slack/web-api';
import type { MessageView } from '../../views/types.ts';
import { slackErrorCode } from '../jobs/slack-errors.ts';
import type { Logger } from '../logger.ts';

/**
 * Slack's answers to an ephemeral for someone who cannot see the channel: they left it, were
 * never in it (an admin working from the App Home), or the bot itself is not in it.
 */
const NOT_THERE = new Set(['user_not_in_channel', 'not_in_channel', 'channel_not_found', 'is_archived']);

/**
 * A private notice to one person: an ephemeral in the review channel, or a direct message
 * (conversations.open + chat.postMessage, scope im:write) when Slack says they cannot see it
 * there. Modals and the App Home have no response_url, so this is their only way to answer.
 * A failure of both is logged: the change the notice reports is already committed.
 */
export async function notifyPerson(
  deps: { slack: WebClient; reviewChannelId: string; logger: Logger },
  user: string,
  notice: Pick<MessageView, 'text'> & Partial<Pick<MessageView, 'blocks'>>,
): Promise<void> {
  try {
    await deps.slack.chat.postEphemeral({ channel: deps.reviewChannelId, user, ...notice });
    return;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined || !NOT_THERE.has(code)) {
      deps.logger.warn({ err: error, user }, 'could not send an ephemeral notice');
      return;
    }
  }
  try {
    const opened = await deps.slack.conversations.open({ users: user });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open answered without a channel');
    await deps.slack.chat.postMessage({ channel, ...notice, unfurl_links: false });
  } catch (error) {
    deps.logger.warn({ err: error, user }, 'could not send a notice by direct message either');
  }
}
