import { slackDate } from './format.ts';
import type { MessageView } from './types.ts';

const notice = (text: string): MessageView => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

export function exportPreparingView(days: number): MessageView {
  return notice(
    `:hourglass_flowing_sand: Preparing the export of the last ${days} day${days === 1 ? '' : 's'}… The CSV files will arrive in a direct message from pii-review.`,
  );
}

/** The comment on the DM that carries the files. */
export function exportComment(args: { days: number; since: Date; until: Date; applications: number; events: number }): string {
  return `Export of the last ${args.days} day${args.days === 1 ? '' : 's'} (${slackDate(args.since)} to ${slackDate(args.until)}): ${args.applications} application(s), ${args.events} event(s). No contact data or security answers are included.`;
}

export function exportFailedView(): MessageView {
  return notice(
    ':warning: The export could not be sent. Nothing was shared; please try again in a moment, and tell an admin if it keeps failing.',
  );
}
