import { ROLE_LABELS } from '../src/workflow/roles.ts';
import { accessLine } from './dashboard-audits.ts';
import { appLabel, assigneeText, linesToSections, moreText, stateText } from './dashboard-format.ts';
import type { ListItem, MeetingItem, MineModel, Slice } from './dashboard-types.ts';
import { slackDate, userMention } from './format.ts';
import type { Block, MessageView } from './types.ts';

export function itemLines(slice: Slice<ListItem>, now: Date, options: { assignee?: boolean } = {}): string[] {
  return slice.items.map(
    (i) => `• ${appLabel(i)} · ${stateText(i, now)}${options.assignee ? ` · ${assigneeText(i.assigneeId)}` : ''}`,
  );
}

export function meetingLines(slice: Slice<MeetingItem>, options: { architect?: boolean } = {}): string[] {
  return slice.items.map(
    (m) =>
      `• ${slackDate(m.startsAt)} (${m.durationMinutes} min) · ${appLabel({ id: m.applicationId, organizationName: m.organizationName, card: m.card })}${options.architect ? ` · ${userMention(m.architectId)}` : ''}`,
  );
}

function listSection<T>(title: string, slice: Slice<T> | undefined, lines: (s: Slice<T>) => string[], empty: string): string[] {
  if (!slice) return [];
  const more = moreText(slice.items.length, slice.total);
  return [`*${title}* (${slice.total})`, ...(slice.total === 0 ? [`_${empty}_`] : lines(slice)), ...(more ? [more] : []), ''];
}

/** `/pii mine`: what waits on the user, one list per role they hold. */
export function mineView(model: MineModel, now: Date): MessageView {
  if (model.roles.length === 0) {
    const text =
      'You hold no role in pii-review (reviewer, solution architect or admin), so nothing waits on you. An admin grants roles.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = [
    ...listSection(
      'Assigned to you, not waiting on the developer',
      model.assigned,
      (s) => itemLines(s, now),
      'Nothing assigned to you waits on you.',
    ),
    ...listSection(
      'Stage 3 reviews you are the architect of',
      model.architect,
      (s) => itemLines(s, now, { assignee: true }),
      'None.',
    ),
    ...listSection(
      model.roles.includes('admin')
        ? 'Upcoming architecture reviews'
        : 'Upcoming architecture reviews, yours and your applications’',
      model.meetings,
      (s) => meetingLines(s, { architect: true }),
      'No meeting scheduled.',
    ),
    ...listSection(
      'Unassigned open applications',
      model.unassigned,
      (s) => itemLines(s, now),
      'Every open application has an assignee.',
    ),
    ...listSection('Access at risk or suspended', model.access, (s) => s.items.map(accessLine), 'No access of yours is at risk.'),
  ];
  const roles = model.roles.map((r) => ROLE_LABELS[r]).join(', ');
  const blocks: Block[] = [
    { type: 'section', block_id: 'mine.summary', text: { type: 'mrkdwn', text: `*What waits on you* · as ${roles}` } },
    ...linesToSections(
      lines.filter((l, i, all) => !(l === '' && i === all.length - 1)),
      'mine.list',
    ),
  ];
  const counts = [model.assigned, model.architect, model.meetings, model.unassigned, model.access]
    .filter(Boolean)
    .map((s) => s?.total ?? 0);
  return { text: `What waits on you: ${counts.reduce((a, b) => a + b, 0)} item(s)`, blocks };
}
