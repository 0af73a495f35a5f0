import { slackDate } from './format.ts';
import type { Block, MessageView } from './types.ts';

/** The admins' Home button that puts parked effects back in the queue. */
export const HOME_RETRY_PARKED_ACTION = 'home.retry_parked';

type Causes = { cause: string; count: number }[];

/** What each parking cause asks of an admin; a code not listed gets the generic advice. */
const ADVICE: Record<string, string> = {
  channel_not_found: 'The review channel cannot be found: check REVIEW_CHANNEL_ID.',
  not_in_channel: 'The bot is not a member of the review channel: invite it (`/invite @pii-review`).',
  is_archived: 'The review channel is archived: unarchive it or point REVIEW_CHANNEL_ID at another channel.',
  invalid_blocks: 'Slack refused the message layout: a defect in the bot, worth a bug report with the log line.',
  msg_too_long: 'Slack refused a message as too long: a defect in the bot, worth a bug report with the log line.',
  missing_scope: 'The app lacks a scope it needs: reinstall it from manifest.yml.',
};

const KIND_NAMES: Record<string, string> = {
  'card.sync': 'a card update',
  'thread.event': 'a thread line',
  'thread.reminder': 'a reminder',
  'thread.file': 'a file',
  'channel.digest': 'the digest',
};

/**
 * The admin alert posted once per cause when Slack refuses an effect for good. It names the cause
 * and the kind of effect only: no organization, no applicant data (DOMAIN.md "Who may see what").
 */
export function parkedAlert(cause: string, kind: string): MessageView {
  const what = KIND_NAMES[kind] ?? 'a message';
  const advice = ADVICE[cause] ?? 'Slack will refuse it the same way on every retry.';
  const text = `:warning: Slack refused ${what} with \`${cause}\`. It is parked; the application's later updates go on. ${advice} Admins: once fixed, retry from the App Home or with \`/pii retry-parked\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Posted when the token works again after Slack refused it: delivery stopped meanwhile. */
export function tokenBackAlert(code: string, since: Date, waiting: number): MessageView {
  const text = `:white_check_mark: Slack refused the bot's token (\`${code}\`) from ${slackDate(since)} until now; it works again and delivery resumed (${waiting} ${waiting === 1 ? 'update was' : 'updates were'} waiting).`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The admins' App Home line and `/pii retry-parked`'s summary. */
export function parkedSummaryText(causes: Causes): string {
  const total = causes.reduce((n, c) => n + c.count, 0);
  if (total === 0) return 'No Slack effects are parked.';
  const list = causes.map((c) => `\`${c.cause}\` ×${c.count}`).join(', ');
  return `:warning: ${total} Slack ${total === 1 ? 'effect is' : 'effects are'} parked (${list}).`;
}

/** The admins' Home: parked effects and the button to retry them; nothing when none are parked. */
export function parkedHomeBlocks(causes: Causes | null): Block[] {
  if (!causes || causes.length === 0) return [];
  return [
    {
      type: 'section',
      block_id: 'home.parked',
      text: {
        type: 'mrkdwn',
        text: `${parkedSummaryText(causes)} Slack refused them in a way no retry fixes; fix the cause, then retry.`,
      },
      accessory: {
        type: 'button',
        action_id: HOME_RETRY_PARKED_ACTION,
        text: { type: 'plain_text', text: 'Retry parked' },
        value: 'retry',
      },
    },
  ];
}

/** The answer to an admin's retry (`/pii retry-parked` or the Home button). */
export function retriedNotice(causes: Causes): MessageView {
  const total = causes.reduce((n, c) => n + c.count, 0);
  const text =
    total === 0
      ? ':information_source: No Slack effects are parked. Nothing was changed.'
      : `:arrows_counterclockwise: ${total} parked Slack ${total === 1 ? 'effect went' : 'effects went'} back in the queue (${causes.map((c) => `\`${c.cause}\` ×${c.count}`).join(', ')}). If Slack refuses them again they are parked again.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
