import { describeEvent } from './events.ts';
import { fitMrkdwn, slackDate, userMention } from './format.ts';
import { LIMITS } from './limits.ts';
import type { HistoryEntry, MessageView } from './types.ts';

const notice = (message: string): MessageView => {
  const text = fitMrkdwn(message, LIMITS.sectionText);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
};

export function refusalNotice(message: string): MessageView {
  return notice(`:no_entry: ${message} Nothing was changed.`);
}

/** A decision that came after the application changed: who changed it last, when, and what changed (oldest first). */
export type Conflict = { by: string; at: Date; changes?: readonly HistoryEntry[] };

const byPerson = (actor: string) => actor !== 'intake' && actor !== 'system';

/** What changed fits in a section with the words around it. */
const CHANGES_MAX = 2000;

/**
 * What changed, in the words of the card's thread: those name fields, areas and severities,
 * never what a developer wrote, so they may be shown wherever the thread may be read.
 */
export function changeLines(changes: readonly HistoryEntry[]): string {
  return fitMrkdwn(changes.map((c) => `• ${describeEvent(c)}`).join('\n'), CHANGES_MAX);
}

/**
 * The decision was not taken: the application changed since the card or form was shown, and
 * the change leaves nothing for it to do. A reviewer's or admin's change already decided; a
 * developer's update or the bot's own (access at risk, retention) only changed the application.
 */
export function conflictNotice(conflict: Conflict): MessageView {
  const { by, at, changes = [] } = conflict;
  const decided = byPerson(by);
  const what =
    changes.length > 0
      ? `${decided ? 'Already decided' : 'The application changed'} (${slackDate(at)}):\n${changeLines(changes)}\n`
      : decided
        ? `Already decided by ${userMention(by)} (${slackDate(at)}). `
        : `The application changed (${slackDate(at)}: ${by === 'intake' ? 'an update from the developer arrived' : 'pii-review recorded a change'}). `;
  return notice(
    `:hourglass: ${what}Nothing was changed: look at the card for the current state and try again if it still applies.`,
  );
}

export function missingNotice(id: number | string): MessageView {
  return notice(`:grey_question: Application #${id} no longer exists. Nothing was changed.`);
}
