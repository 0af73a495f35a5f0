import type { Button } from '@slack/types';
import { controlArea } from '../../src/workflow/controls.ts';
import { retentionBeyondGuidance } from '../../src/workflow/visibility.ts';
import { CARD_ACTIONS } from '../card.ts';
import { applicationRef, calendarDate, escapeMrkdwn, slackDate, truncate, websiteLink } from '../format.ts';
import { LIMITS } from '../limits.ts';
import { textSections } from '../split.ts';
import type { ApplicationSummary, Block } from '../types.ts';
import { CONTACT_ANSWER_WITHHELD, type ModalView, section } from './kit.ts';

export const SUBMISSION_CALLBACK = 'submission';
export const SUBMISSION_ACTIONS = {
  open: CARD_ACTIONS.viewSubmission,
  previous: 'submission.previous',
  next: 'submission.next',
} as const;

/**
 * A page holds at most this many content blocks and characters: far inside Slack's 100 blocks
 * per modal (three more frame each page), and short enough to read and to send. Slack documents
 * no limit on a view's total size, so the character budget is our own caution.
 */
export const PAGE_BLOCKS = 60;
export const PAGE_CHARS = 40_000;

export type SubmissionModel = {
  application: ApplicationSummary;
  profile: {
    useCase: string;
    businessDescription?: string;
    piiRetention: string;
    securityAnswers?: { topic: string; answer: string }[];
    impoc?: { name: string; email: string };
    contact: { name?: string; email: string; phone?: string };
    merchants?: { servedToday: boolean; channels?: string[] };
    employeeCount?: number;
    dataSharedWith?: string[];
    otherDataSources?: string[];
  };
  /** When the retention job deleted contact data and answers; null while they are kept. */
  purgedAt: Date | null;
  /** The assignee, the application's architect and admins (DOMAIN.md); nobody else sees contact data. */
  showContact: boolean;
  questionnaire: {
    version: string;
    items: {
      questionId: string;
      area: string;
      question: string;
      answer: string | null;
      review: string | null;
      /** An answer was given, but it is contact data this viewer may not read: `answer` is null. */
      withheld?: boolean;
    }[];
  } | null;
  /** Why a reviewer skipped the questionnaire (private track); private, so read here and not in the thread. */
  questionnaireSkipReason?: string | null;
  /** Every gap raised, open or resolved; their descriptions are private, so they are read here, not in the thread. */
  gaps: {
    area: string;
    severity: string;
    description: string;
    securityAnswer: number | null;
    questionId: string | null;
    resolvedAt: Date | null;
    resolution: string | null;
  }[];
  /** What was sent to the developer (denial, information requests), verbatim. */
  sentToDeveloper: { kind: string; body: string; sentAt: Date }[];
  /** Every implementation audit, oldest first, with its remediation items (history: audits may repeat). */
  audits?: {
    auditor: string;
    scheduledFor: Date;
    status: string;
    outcomeAt: Date | null;
    items: { text: string; dueOn: Date; closedAt: Date | null }[];
  }[];
  /** Earlier review cycles of the same profile (resubmissions after a denial); none are recorded yet. */
  earlierCycles: { endedAt: Date; outcome: string; summary: string }[];
};

const LAUNCH: Record<string, string> = { in_development: 'In development', beta: 'Beta', in_production: 'In production' };
const VERDICT: Record<string, string> = {
  pending: ':hourglass: to review',
  accepted: ':white_check_mark: accepted',
  gap: ':x: gap raised',
};
const SENT_KIND: Record<string, string> = {
  denial: 'Denial text',
  information_request: 'Information request',
  clarification: 'Clarification questions',
};

const heading = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
const note = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const plainList = (items: readonly string[] | undefined) => (items ?? []).map((i) => `• ${i}`).join('\n');

function overview(m: SubmissionModel): Block[] {
  const a = m.application;
  const p = m.profile;
  const retention = `${escapeMrkdwn(p.piiRetention)} days after shipment${
    retentionBeyondGuidance(p.piiRetention)
      ? '\n:warning: *Longer than Amazon’s guidance*: PII deleted within 30 days of delivery'
      : ''
  }`;
  const fields = [
    `*Organization*\n${escapeMrkdwn(a.organizationName)}\n${websiteLink(a.website)}${a.country ? ` · ${escapeMrkdwn(a.country)}` : ''}`,
    `*Developer type*\n${a.developerType === 'public' ? 'Public (Appstore)' : 'Private'}`,
    `*Roles*\n${a.roles.map(escapeMrkdwn).join(', ')}`,
    `*Regions*\n${a.marketplaces.map(escapeMrkdwn).join(', ')}`,
    `*Launch readiness*\n${LAUNCH[a.launchReadiness] ?? escapeMrkdwn(a.launchReadiness)}`,
    `*PII retention*\n${retention}`,
    `*Incident contact (IMPOC)*\n${p.impoc ? 'Named' : m.purgedAt ? '_Deleted (retention)_' : ':warning: Not named'}`,
    ...(p.employeeCount !== undefined ? [`*Employees*\n${p.employeeCount}`] : []),
    ...(p.merchants ? [`*Serves merchants today*\n${p.merchants.servedToday ? 'Yes' : 'No'}`] : []),
  ];
  return [
    {
      type: 'section',
      block_id: 'submission.overview',
      fields: fields.map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
    },
  ];
}

function profileBlocks(m: SubmissionModel): Block[] {
  const p = m.profile;
  return [
    ...textSections('Use case', p.useCase),
    ...(p.businessDescription ? textSections('Business description', p.businessDescription) : []),
    ...(p.merchants?.channels?.length
      ? textSections('Sales channels of the merchants served', plainList(p.merchants.channels))
      : []),
    ...(p.dataSharedWith?.length ? textSections('Outside parties the data is shared with', plainList(p.dataSharedWith)) : []),
    ...(p.otherDataSources?.length ? textSections('Non-Amazon data sources', plainList(p.otherDataSources)) : []),
  ];
}

function securityBlocks(m: SubmissionModel): Block[] {
  const answers = m.profile.securityAnswers ?? [];
  const blocks: Block[] = [{ type: 'divider' }, heading(`Security answers (${answers.length})`)];
  if (answers.length === 0) blocks.push(note(m.purgedAt ? '_Deleted under the retention policy._' : '_None given._'));
  answers.forEach((a, i) => {
    blocks.push(...textSections(`${i + 1}. ${escapeMrkdwn(truncate(a.topic, 300))}`, a.answer));
  });
  return blocks;
}

function gapBlocks(m: SubmissionModel): Block[] {
  if (m.gaps.length === 0) return [];
  const open = m.gaps.filter((g) => !g.resolvedAt).length;
  return [
    { type: 'divider' },
    heading(`Gaps (${open} open, ${m.gaps.length - open} resolved)`),
    ...m.gaps.flatMap((g) => {
      const about = [
        g.securityAnswer ? `security answer ${g.securityAnswer}` : '',
        g.questionId ? `questionnaire ${escapeMrkdwn(g.questionId)}` : '',
      ].filter(Boolean);
      const title = `${escapeMrkdwn(controlArea(g.area)?.label ?? g.area)} · ${escapeMrkdwn(g.severity)} · ${
        g.resolvedAt ? `resolved ${slackDate(g.resolvedAt)}` : 'open'
      }${about.length ? ` · on ${about.join(', ')}` : ''}`;
      return textSections(title, g.resolution ? `${g.description}\n\nResolution: ${g.resolution}` : g.description);
    }),
  ];
}

function questionnaireBlocks(m: SubmissionModel): Block[] {
  const q = m.questionnaire;
  if (!q && m.questionnaireSkipReason)
    return [{ type: 'divider' }, heading('Questionnaire skipped'), ...textSections('Reason', m.questionnaireSkipReason)];
  if (!q) return [];
  const answered = q.items.filter((i) => i.answer !== null || i.withheld).length;
  const blocks: Block[] = [
    { type: 'divider' },
    heading(truncate(`Questionnaire v${q.version} (${answered}/${q.items.length} answered)`, LIMITS.headerText)),
  ];
  for (const item of q.items) {
    const area = controlArea(item.area)?.label ?? item.area;
    const missing = m.purgedAt ? '_deleted (retention)_' : '_not answered_';
    const given = item.answer !== null || item.withheld;
    const verdict = !given ? missing : (VERDICT[item.review ?? ''] ?? escapeMrkdwn(item.review ?? ''));
    blocks.push(
      section(
        `*${escapeMrkdwn(item.questionId)}* · ${escapeMrkdwn(area)} · ${verdict}\n_${escapeMrkdwn(truncate(item.question, 1000))}_`,
      ),
    );
    if (item.withheld) blocks.push(note(`_${CONTACT_ANSWER_WITHHELD}_`));
    else if (item.answer !== null) blocks.push(...textSections(`Answer to ${escapeMrkdwn(item.questionId)}`, item.answer));
  }
  return blocks;
}

function contactBlocks(m: SubmissionModel): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, heading('Contacts')];
  if (m.purgedAt) return [...blocks, note(`Deleted under the retention policy (${slackDate(m.purgedAt)}).`)];
  if (!m.showContact) {
    return [...blocks, note('Contact and IMPOC details are shown only to the assignee, the application’s architect and admins.')];
  }
  const c = m.profile.contact;
  const lines = [
    `*Primary contact*: ${escapeMrkdwn(c.name ?? '—')} · ${escapeMrkdwn(c.email)}${c.phone ? ` · ${escapeMrkdwn(c.phone)}` : ''}`,
    `*IMPOC*: ${m.profile.impoc ? `${escapeMrkdwn(m.profile.impoc.name)} · ${escapeMrkdwn(m.profile.impoc.email)}` : '_not named_'}`,
  ];
  return [...blocks, section(lines.join('\n'), 'submission.contact')];
}

function sentBlocks(m: SubmissionModel): Block[] {
  if (m.sentToDeveloper.length === 0) return [];
  return [
    { type: 'divider' },
    heading('Sent to the developer'),
    ...m.sentToDeveloper.flatMap((s) =>
      textSections(`${SENT_KIND[s.kind] ?? escapeMrkdwn(s.kind)}, ${slackDate(s.sentAt)}`, s.body),
    ),
  ];
}

const AUDIT_STATUS: Record<string, string> = {
  scheduled: 'scheduled',
  remediation: 'remediation required',
  passed: 'passed',
  failed: 'failed',
  cancelled: 'cancelled: access was revoked',
};

/** An item closed by the revocation that cancelled its audit (the same instant), not by a reviewer. */
const cancelledWith = (a: { status: string; outcomeAt: Date | null }, closedAt: Date) =>
  a.status === 'cancelled' && a.outcomeAt?.getTime() === closedAt.getTime();

function auditBlocks(m: SubmissionModel): Block[] {
  if (!m.audits || m.audits.length === 0) return [];
  const lines = m.audits.map((a, i) => {
    const items = a.items.map(
      (item) =>
        `\n    ◦ ${escapeMrkdwn(truncate(item.text.replace(/\s+/g, ' '), 200))} (due ${calendarDate(item.dueOn)}${item.closedAt ? (cancelledWith(a, item.closedAt) ? ', cancelled' : ', closed') : ''})`,
    );
    return `• Audit ${i + 1}: ${escapeMrkdwn(a.auditor)}, ${calendarDate(a.scheduledFor)}: *${AUDIT_STATUS[a.status] ?? escapeMrkdwn(a.status)}*${items.join('')}`;
  });
  return [{ type: 'divider' }, heading('Implementation audits'), section(truncate(lines.join('\n'), LIMITS.sectionText))];
}

function cycleBlocks(m: SubmissionModel): Block[] {
  const lines = m.earlierCycles.map(
    (c) => `• Ended ${slackDate(c.endedAt)}: *${escapeMrkdwn(c.outcome)}*. ${escapeMrkdwn(truncate(c.summary, 500))}`,
  );
  return [
    { type: 'divider' },
    heading('Earlier review cycles'),
    lines.length === 0
      ? note('None: this is the first review of this profile.')
      : section(truncate(lines.join('\n'), LIMITS.sectionText)),
  ];
}

/** Every block of the submission, in reading order, before it is cut into pages. */
export function submissionBlocks(m: SubmissionModel): Block[] {
  return [
    ...overview(m),
    ...profileBlocks(m),
    ...securityBlocks(m),
    ...gapBlocks(m),
    ...questionnaireBlocks(m),
    ...sentBlocks(m),
    ...auditBlocks(m),
    ...contactBlocks(m),
    ...cycleBlocks(m),
  ];
}

const size = (block: Block) => JSON.stringify(block).length;

/** Cuts the blocks into pages of at most PAGE_BLOCKS blocks and about PAGE_CHARS characters. */
export function paginate(blocks: readonly Block[]): Block[][] {
  const pages: Block[][] = [];
  let page: Block[] = [];
  let chars = 0;
  for (const block of blocks) {
    if (page.length > 0 && (page.length >= PAGE_BLOCKS || chars + size(block) > PAGE_CHARS)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(block);
    chars += size(block);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/**
 * The submission, privately, one page at a time (Slack allows 100 blocks per modal). Built for
 * one viewer: contact data is in it only when `showContact`. No inputs, so no submit button.
 */
export function submissionModal(m: SubmissionModel, requestedPage = 0, pages = paginate(submissionBlocks(m))): ModalView {
  const page = Math.min(Math.max(0, requestedPage), pages.length - 1);
  const value = (p: number) => `${m.application.id}:${p}`;
  const nav: Button[] = [];
  if (page > 0) {
    nav.push({
      type: 'button',
      action_id: SUBMISSION_ACTIONS.previous,
      text: { type: 'plain_text', text: '← Previous page' },
      value: value(page - 1),
    });
  }
  if (page < pages.length - 1) {
    nav.push({
      type: 'button',
      action_id: SUBMISSION_ACTIONS.next,
      text: { type: 'plain_text', text: 'Next page →' },
      value: value(page + 1),
      style: 'primary',
    });
  }
  const blocks: Block[] = [
    note(
      `${applicationRef(m.application.id)} *${escapeMrkdwn(m.application.organizationName)}* · private: never paste it in the channel${
        pages.length > 1 ? ` · page ${page + 1} of ${pages.length}` : ''
      }`,
    ),
    ...(pages[page] ?? []),
    ...(nav.length > 0 ? [{ type: 'actions' as const, block_id: 'submission.pages', elements: nav }] : []),
  ];
  return {
    type: 'modal',
    callback_id: SUBMISSION_CALLBACK,
    title: { type: 'plain_text', text: 'Submission', emoji: true },
    close: { type: 'plain_text', text: 'Close', emoji: true },
    private_metadata: JSON.stringify({ id: m.application.id, page }),
    blocks,
  } as unknown as ModalView;
}
