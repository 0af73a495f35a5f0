import type { EarlierCycle } from '../src/reviews/cycles.ts';
import { controlArea } from '../src/workflow/controls.ts';
import { STAGE_LABELS, type Stage } from '../src/workflow/states.ts';
import { escapeMrkdwn, link, slackDate, truncate, userMention } from './format.ts';
import { about, context, type ModalView, modal, section, textInput } from './modals/kit.ts';
import type { ApplicationSummary, CardModel, HistoryEntry } from './types.ts';

/** Review cycles and role reviews: thread lines, card fields, the private Earlier cycles view, their forms. */

export const CYCLE_ACTIONS = { earlier: 'card.earlier_cycles' } as const;
export const CYCLE_CALLBACKS = { fastTrack: 'fast_track', askRoleMeeting: 'ask_role_meeting' } as const;
export const CYCLE_REASON_MAX = 2000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stageName = (v: unknown) => STAGE_LABELS[str(v) as Stage] ?? escapeMrkdwn(str(v));
export const roleList = (v: unknown) => strings(v).map(escapeMrkdwn).join(', ') || 'none';
const quote = (text: string) => `_${escapeMrkdwn(truncate(text.replace(/\s+/g, ' '), 300))}_`;
const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

/** How a cycle ended, in a few words: "rejected at Stage 2 · Security questions". */
export function cycleOutcome(outcome: string | null, stage: string | null): string {
  if (!outcome) return 'not ended';
  if (outcome === 'approved') return 'approved';
  if (outcome === 'revoked') return 'approved, then access revoked';
  return `${outcome}${stage ? ` at ${stageName(stage)}` : ''}`;
}

/** Thread lines of cycles and role reviews; undefined for any other event. */
export function describeCycleEvent(event: HistoryEntry, who: string): string | undefined {
  const p = event.payload;
  switch (event.type) {
    case 'application.resubmitted': {
      const fields = strings(p.changedFields).map((f) => `\`${escapeMrkdwn(f)}\``);
      return `${who} resubmitted the application after it was ${escapeMrkdwn(str(p.previousOutcome))} (changed: ${fields.join(', ') || 'no visible field'}). *Cycle ${Number(p.cycle)}* starts at Stage 1 with a clean slate; cycle ${Number(p.previousCycle)} is kept in the history.`;
    }
    case 'cycle.fast_tracked':
      return `${who} fast-tracked cycle ${Number(p.cycle)} to ${stageName(p.to)}, where cycle ${Number(p.previousCycle)} ended. The reason is recorded (Earlier cycles).`;
    case 'role_review.started': {
      const roles = strings(p.roles);
      return `${who} added the restricted ${plural(roles.length, 'role')} ${roleList(p.roles)}: a *role review* starts at Stage 1. The roles already approved stay approved, and production goes on.`;
    }
    case 'role_review.roles_added':
      return `${who} added ${roleList(p.roles)} to the role review under way.`;
    case 'roles.removed':
      return `${who} removed ${roleList(p.roles)} from the application: recorded, no review needed.`;
    case 'role_review.meeting_asked':
      return `${who} asked for an architecture review (Stage 3) in this role review: ${quote(str(p.reason))}`;
    case 'role_review.approved':
      return `${who} *approved* the role review: ${roleList(p.roles)} now approved, beside the roles approved before.`;
    case 'role_review.denied':
      return `${who} *denied* the role review: ${roleList(p.roles)} denied. The application stays approved with its earlier roles. The general denial text was recorded as sent to the developer.`;
    case 'role_review.withdrawn':
      return p.via === 'intake'
        ? `${who} dropped every role under review: the role review is over, and the application stays approved.`
        : `${who} withdrew the role review: ${roleList(p.roles)} removed. The application stays approved with its earlier roles.`;
    default:
      return undefined;
  }
}

const ROLE_STATUS_LABELS: Record<string, string> = { denied: 'Denied', removed: 'Removed' };

/**
 * The card's roles: once approved, the approved ones apart from those under review (and, on a
 * line of their field, those denied or removed); before, the roles as submitted. Two fields at
 * most: the card's summary holds ten (Slack refuses an eleventh with `invalid_blocks`), and
 * from cycle 2 on it has a cycle field besides its seven others.
 */
export function roleFields(card: CardModel): string[] {
  const statuses = card.roleStatuses ?? [];
  if (statuses.length === 0) return [`*Roles*\n${card.roles.map(escapeMrkdwn).join(', ')}`];
  const by = (status: string) => statuses.filter((r) => r.status === status).map((r) => escapeMrkdwn(r.role));
  const ended = Object.keys(ROLE_STATUS_LABELS).flatMap((s) =>
    by(s).map((r) => `${r} (${ROLE_STATUS_LABELS[s]?.toLowerCase()})`),
  );
  const approved = `*Approved roles*\n${by('approved').join(', ') || '_None_'}${ended.length > 0 ? `\n_Not granted:_ ${ended.join(', ')}` : ''}`;
  const underReview = by('under_review');
  return underReview.length > 0 ? [approved, `*Roles under review*\n${underReview.join(', ')}`] : [approved];
}

/** The card's cycle line, from cycle 2 on: the number, and how the previous cycle ended (linked to its line). */
export function cycleField(card: CardModel): string | undefined {
  if ((card.cycle ?? 1) < 2) return undefined;
  const prev = card.previousCycle;
  const ended = prev ? `cycle ${prev.number} ${cycleOutcome(prev.outcome, prev.endedAtStage)}` : '';
  const linked = prev?.permalink ? link(prev.permalink, ended) : ended;
  return `*Cycle*\nCycle ${card.cycle}${linked ? ` · ${linked}` : ''}`;
}

/** Fast-track a new cycle to where the last one ended; the reason is the team's. */
export function fastTrackModal(app: ApplicationSummary, to: Stage | null): ModalView {
  return modal({
    callbackId: CYCLE_CALLBACKS.fastTrack,
    title: 'Fast-track cycle',
    submit: 'Fast-track',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        `Cycle ${app.cycle ?? 1} starts at Stage 1. The last cycle ended at ${to ? STAGE_LABELS[to] : '—'}: fast-tracking moves this one there.`,
      ),
      textInput('reason', 'Why the stages passed before need no second look', {
        multiline: true,
        max: CYCLE_REASON_MAX,
        hint: 'Kept with the cycle for the team (Earlier cycles); not posted in the channel.',
      }),
    ],
  });
}

/** A role review goes through Stage 3 only when a reviewer asks for it. */
export function askRoleMeetingModal(app: ApplicationSummary): ModalView {
  return modal({
    callbackId: CYCLE_CALLBACKS.askRoleMeeting,
    title: 'Ask for a meeting',
    submit: 'Ask',
    meta: { id: app.id, v: app.version },
    blocks: [
      about(app),
      context(
        'After its current stage, the role review goes through the architecture review (Stage 3) before the roles are approved.',
      ),
      textInput('reason', 'What should the architecture review look at?', { multiline: true, max: CYCLE_REASON_MAX }),
    ],
  });
}

/** Earlier cycles, for the review team only (a modal): outcome, denial text and the internal reasons. */
export function earlierCyclesModal(app: ApplicationSummary, cycles: readonly EarlierCycle[]): ModalView {
  const blocks = cycles.slice(-10).flatMap((c) => {
    const lines = [
      `*Cycle ${c.number}*: ${cycleOutcome(c.outcome, c.endedAtStage)}${c.endedAt ? ` (${slackDate(c.endedAt)})` : ''}${c.outcomePermalink ? ` · ${link(c.outcomePermalink, 'outcome in the thread')}` : ''}`,
      `Started ${slackDate(c.startedAt)}`,
      ...(c.fastTrackedTo
        ? [
            `Fast-tracked to ${stageName(c.fastTrackedTo)}${c.fastTrackedBy ? ` by ${userMention(c.fastTrackedBy)}` : ''}: ${quote(c.fastTrackReason ?? '')}`,
          ]
        : []),
      ...(c.denialText ? [`Denial text sent: ${quote(c.denialText)}`] : []),
      ...c.reasons.map(
        (r) =>
          `Internal reason (${stageName(r.stage)}): ${[
            r.area ? (controlArea(r.area)?.label ?? escapeMrkdwn(r.area)) : '',
            r.note ? quote(r.note) : '',
          ]
            .filter(Boolean)
            .join(' · ')}`,
      ),
    ];
    return [section(lines.join('\n'))];
  });
  return modal({
    title: 'Earlier cycles',
    callbackId: 'earlier_cycles',
    close: 'Close',
    blocks: [
      about(app),
      context('For the review team: the internal reasons are never sent to the developer or posted in the channel.'),
      ...(blocks.length > 0 ? blocks : [section('_No earlier cycle._')]),
    ],
  });
}
