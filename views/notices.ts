import { slackDate, userMention } from './format.ts';
import type { MessageView } from './types.ts';

const notice = (text: string): MessageView => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

export function refusalNotice(message: string): MessageView {
  return notice(`:no_entry: ${message} Nothing was changed.`);
}

export function conflictNotice(by: string, at: Date): MessageView {
  const who = by === 'intake' ? 'the developer (an update arrived)' : userMention(by);
  return notice(
    `:hourglass: Already decided by ${who} (${slackDate(at)}). Nothing was changed: look at the card for the current state and try again if it still applies.`,
  );
}

export function missingNotice(id: number | string): MessageView {
  return notice(`:grey_question: Application #${id} no longer exists. Nothing was changed.`);
}
