import type { MessageView } from './types.ts';

export const COMMAND = '/pii';

export const USAGE = [
  ['help', 'this list'],
  ['status <number | profile id | organization>', 'where an application stands, with its gaps, questionnaire and history'],
  [
    'queue [business | security | architecture | 1 | 2 | 3]',
    'open applications by stage and status, oldest first, with age and assignee',
  ],
  ['mine', 'what waits on you, by your roles'],
  [
    'audits',
    'access at risk and suspended; implementation audits awaiting an outcome, scheduled, and eligible (none scheduled); remediation items open (overdue marked)',
  ],
  ['stats [days]', 'received, approved, rejected and time per stage over the last 1–365 days (default 30)'],
  ['new', 'enter an application by hand (reviewers, admins)'],
  ['export [days]', 'CSV of applications and their events of the last 1–365 days (default 30), sent to you as a DM (admins)'],
  ['template denial', 'edit the general denial text (admins)'],
  ['retry-parked', 'send again the Slack updates Slack refused for good, once their cause is fixed (admins)'],
] as const;

export function helpView(intro?: string): MessageView {
  const lines = USAGE.map(([args, what]) => `• \`${COMMAND} ${args}\`: ${what}`);
  const text = [intro, `*pii-review* helps the team review applications for restricted (PII) SP-API roles.`, ...lines]
    .filter(Boolean)
    .join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
