import type { MessageView } from './types.ts';

export const COMMAND = '/pii';

const USAGE = [
  ['help', 'this list'],
  ['status <number | profile id | organization>', 'where an application stands, with its gaps, questionnaire and history'],
  ['template denial', 'edit the general denial text (admins)'],
] as const;

export function helpView(intro?: string): MessageView {
  const lines = USAGE.map(([args, what]) => `• \`${COMMAND} ${args}\`: ${what}`);
  const text = [intro, `*pii-review* helps the team review applications for restricted (PII) SP-API roles.`, ...lines]
    .filter(Boolean)
    .join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
