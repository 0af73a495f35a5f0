import { escapeMrkdwn, slackDate, userMention } from './format.ts';
import type { HistoryEntry } from './types.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function actorName(actor: string): string {
  if (actor === 'intake') return 'The developer';
  if (actor === 'system') return 'pii-review';
  return userMention(actor);
}

/** One line of history in mrkdwn; the same line is posted in the card's thread. */
export function describeEvent(event: HistoryEntry): string {
  const who = actorName(event.actor);
  switch (event.type) {
    case 'application.received':
      return 'Application received through intake.';
    case 'application.updated': {
      const fields = strings(event.payload.changedFields).map((f) => `\`${escapeMrkdwn(f)}\``);
      const after = event.payload.after as { status?: string } | undefined;
      const before = event.payload.before as { status?: string } | undefined;
      const back = before?.status === 'waiting_on_developer' && after?.status === 'in_review' ? ' It is back in review.' : '';
      return `${who} updated the application: ${fields.join(', ') || 'no visible field'}.${back}`;
    }
    default:
      return `${who}: ${escapeMrkdwn(event.type)}`;
  }
}

export function historyLine(event: HistoryEntry): string {
  return `${slackDate(event.at)} · ${describeEvent(event)}`;
}
