import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { CONTROL_AREA_IDS } from '../../src/workflow/controls.ts';
import { reviewCard } from '../../views/card.ts';
import { historyLine } from '../../views/events.ts';
import { escapeMrkdwn, fitMrkdwn, link, slackDate } from '../../views/format.ts';
import { assignModal, reasonModal, templateModal } from '../../views/modals/admin.ts';
import { newApplicationDoneModal, newApplicationModal } from '../../views/modals/new-application.ts';
import { businessReviewModal } from '../../views/modals/stage1.ts';
import { recordAnswersModal, recordGapModal, requestInformationModal, resolveGapModal } from '../../views/modals/stage2.ts';
import {
  auditOutcomeModal,
  closeRemediationModal,
  markAnsweredModal,
  scheduleAuditModal,
  scheduleReviewModal,
} from '../../views/modals/stage3.ts';
import { conflictNotice, refusalNotice } from '../../views/notices.ts';
import { digestView, reminderText } from '../../views/reminders.ts';
import { ambiguousView, notFoundView, statusView } from '../../views/status.ts';
import type { ApplicationSummary, CardModel, HistoryEntry } from '../../views/types.ts';
import { blockKitProblems } from '../../views/validate.ts';

/** Characters Slack's mrkdwn reads as syntax: each must reach Slack escaped and whole. */
const NASTY = '&<>|*_~`:<!channel> <@U0REVIEW01> <https://evil.example|click> &amp; ';
const hostile = (n: number) => NASTY.repeat(Math.ceil(n / NASTY.length)).slice(0, n);
const now = new Date('2026-03-10T12:00:00Z');
const at = (i: number) => new Date(now.getTime() - (600 - i) * 3_600_000);

/** The largest application the intake schema accepts, every text full of characters to escape. */
const summary: ApplicationSummary = {
  id: 2_147_483_647,
  profileId: `amzn1.${'x'.repeat(122)}`,
  organizationName: hostile(200),
  website: `https://example.com/${'a&b<c>|'.repeat(283)}`.slice(0, 2000),
  country: 'DE',
  developerType: 'private',
  roles: Array.from({ length: 20 }, (_, i) => `Role ${i} & <co>`),
  marketplaces: Array.from({ length: 40 }, (_, i) => `M${i}&`),
  launchReadiness: 'in_production',
  submittedAt: at(0),
  receivedAt: at(0),
  stage: 'security',
  status: 'waiting_on_developer',
  statusSince: at(1),
  assigneeId: 'U0REVIEW01',
  version: 999_999,
  infoRounds: 99,
  architectId: 'U0ARCHIT01',
  productionSince: at(2),
};
const card: CardModel = {
  ...summary,
  openGaps: 999,
  gapsBySeverity: { low: 250, medium: 250, high: 250, critical: 249 },
  questionnaire: { version: hostile(40), total: 30, answered: 30, accepted: 10, toReview: 20 },
  commands: ['claim', 'assign', 'record_gap', 'resolve_gap', 'request_information', 'review_answers', 'withdraw', 'reopen'],
  meeting: { startsAt: at(3), durationMinutes: 90, architectId: 'U0ARCHIT01', status: 'scheduled' },
  openQuestions: 99,
  approvedAt: at(4),
  restrictedCallDueBy: at(5),
  lastRestrictedCallAt: at(6),
  auditDueOn: at(7),
  audit: { status: 'scheduled', auditor: hostile(200), scheduledFor: at(8) },
  openRemediation: Array.from({ length: 50 }, (_, i) => ({ text: hostile(500), dueOn: at(i) })),
};

const TYPES = [
  ['application.updated', { changedFields: Array.from({ length: 40 }, () => hostile(40)) }],
  ['application.reopened', { reason: hostile(2000), from: 'security', to: 'business' }],
  ['application.withdrawn', { reason: hostile(2000) }],
  ['gap.recorded', { severity: 'critical', area: CONTROL_AREA_IDS[0], description: hostile(2000) }],
  ['gap.resolved', { area: CONTROL_AREA_IDS[1], resolution: hostile(2000) }],
  ['questionnaire.answers_recorded', { questionIds: Array.from({ length: 30 }, () => hostile(20)) }],
  ['application.assigned', { assigneeId: 'U0REVIEW02' }],
] as const;
const history: HistoryEntry[] = Array.from({ length: 500 }, (_, i) => {
  const [type, payload] = TYPES[i % TYPES.length] ?? TYPES[0];
  return { id: i + 1, type, actor: i % 2 ? 'U0REVIEW01' : 'intake', at: at(i % 600), payload: { ...payload } };
});

const questionnaire = loadQuestionnaire();
const q30 = {
  ...questionnaire,
  version: hostile(40),
  maxAnswerChars: 3000,
  questions: Array.from({ length: 30 }, (_, i) => ({
    id: `Q${String(i).padStart(2, '0')}-${'x'.repeat(16)}`,
    area: CONTROL_AREA_IDS[i % CONTROL_AREA_IDS.length] ?? CONTROL_AREA_IDS[0],
    text: hostile(1000),
  })),
};
const gaps = Array.from({ length: 100 }, (_, i) => ({
  id: i + 1,
  area: CONTROL_AREA_IDS[0],
  severity: 'critical',
  description: hostile(2000),
}));

describe('every view at the largest inputs the schemas allow passes the strict validator', () => {
  const messages = {
    'review card': reviewCard(card, now),
    'status, 500 events': statusView(card, history, now),
    'status, business stage, 500 events': statusView(
      { ...card, stage: 'business', openGaps: 0, questionnaire: null },
      history,
      now,
    ),
    'not found': notFoundView(hostile(5000)),
    ambiguous: ambiguousView(
      hostile(200),
      Array.from({ length: 100 }, () => summary),
    ),
    refusal: refusalNotice(hostile(2000)),
    conflict: conflictNotice({
      by: 'U0REVIEW01',
      at: now,
      changes: Array.from({ length: 5 }, (_, i) => ({
        id: i,
        type: 'application.updated',
        actor: 'intake',
        at: now,
        payload: { changedFields: Array.from({ length: 50 }, () => hostile(200)) },
      })),
    }),
    digest: digestView('2026-03-10', {
      stale: { count: 500, items: Array.from({ length: 100 }, (_, i) => ({ id: i, org: hostile(200), businessDays: 99 })) },
      atRisk: { count: 500, items: Array.from({ length: 100 }, (_, i) => ({ id: i, org: hostile(200) })) },
      eligible: { count: 500, items: Array.from({ length: 100 }, (_, i) => ({ id: i, org: hostile(200) })) },
      awaitingOutcome: {
        count: 500,
        items: Array.from({ length: 100 }, (_, i) => ({ id: i, org: hostile(200), scheduledFor: now.toISOString() })),
      },
      remediationOverdue: {
        count: 500,
        items: Array.from({ length: 100 }, (_, i) => ({ id: i, org: hostile(200), overdue: 999, dueOn: now.toISOString() })),
      },
      meetingsAhead: {
        count: 50,
        items: Array.from({ length: 50 }, (_, i) => ({ id: i, org: hostile(200), startsAt: now.toISOString() })),
      },
    }),
  };
  for (const [name, view] of Object.entries(messages)) {
    it(`${name} (message)`, () => {
      expect(blockKitProblems('message', view)).toEqual([]);
      expect(view.text.length).toBeLessThanOrEqual(40_000);
    });
  }

  const modals = {
    'new application': newApplicationModal('G0PIIREVIEW'),
    'new application done': newApplicationDoneModal(summary, 'G0PIIREVIEW'),
    'business review': businessReviewModal(
      summary,
      { version: 99, body: hostile(3000) },
      { useCase: hostile(2000), businessDescription: hostile(500) },
    ),
    'record gap': recordGapModal(summary),
    'resolve gap, 100 open': resolveGapModal(summary, gaps),
    'request information, 100 gaps': requestInformationModal(summary, gaps, 99),
    'record answers, 30 questions': recordAnswersModal(
      summary,
      q30,
      q30.questions.map((q) => ({ questionId: q.id, answer: hostile(3000), review: 'pending' })),
      true,
    ),
    'mark answered, 100 questions': markAnsweredModal(
      summary,
      Array.from({ length: 100 }, (_, i) => ({ id: i, text: hostile(1000) })),
    ),
    'close remediation, 100 items': closeRemediationModal(
      summary,
      Array.from({ length: 100 }, (_, i) => ({ id: i, text: hostile(500), dueOn: at(i) })),
    ),
    'schedule review': scheduleReviewModal(
      summary,
      { startsAt: at(1), durationMinutes: 90, architectId: 'U0ARCHIT01', agenda: hostile(3000) },
      true,
    ),
    'schedule audit': scheduleAuditModal(summary, at(1)),
    'audit outcome': auditOutcomeModal(summary),
    assign: assignModal(summary),
    withdraw: reasonModal(summary, 'withdraw'),
    template: templateModal({ version: 999, body: hostile(3000) }),
  };
  for (const [name, view] of Object.entries(modals)) {
    it(`${name} (modal)`, () => expect(blockKitProblems('modal', view)).toEqual([]));
  }

  it('/pii status with a long history stays within 50 blocks and says what it left out', () => {
    const view = statusView(card, history, now);
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(view.blocks)).toMatch(/\d+ earlier events are not shown here/);
  });

  it('reminder lines keep hostile text escaped', () => {
    const text = reminderText('remediation_due', { assigneeId: 'U0REVIEW01', text: hostile(500), dueOn: now.toISOString() });
    expect(text).not.toContain('<!channel>');
    expect(text.length).toBeLessThanOrEqual(40_000);
  });
});

/** Every `&…;` and `<…>` in a text is whole: an escape, or a complete link, mention or date token. */
function tokensWhole(text: string): boolean {
  const outsideTokens = text.replace(/<[^<>\n]*>/g, '').replace(/&(?:amp|lt|gt);/g, '');
  return !/[<>&]/.test(outsideTokens);
}

describe('fitting mrkdwn', () => {
  const pieces = fc.oneof(
    fc.string({ maxLength: 20 }).map(escapeMrkdwn),
    fc.constant(link('https://example.com/a?b=1&c=2', 'label & <more>')),
    fc.constant(slackDate(now)),
    fc.constant('<@U0REVIEW01>'),
    fc.constant('&amp;&lt;&gt;'),
  );

  it('never splits an escape, a link, a mention or a date token, and stays within the limit', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.integer({ min: 1, max: 400 }), (parts, max) => {
        const text = parts.join('');
        const fitted = fitMrkdwn(text, max);
        expect(fitted.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(tokensWhole(fitted)).toBe(true);
        if (text.length <= max) expect(fitted).toBe(text);
      }),
    );
  });

  it('cuts before a token that would straddle the limit', () => {
    expect(fitMrkdwn('ab &amp; cd', 5)).toBe('ab…');
    expect(fitMrkdwn(`see ${slackDate(now)}`, 12)).toBe('see…');
  });

  it('a history line of maximal size keeps its date token whole', () => {
    for (const event of history.slice(0, TYPES.length)) {
      const fitted = fitMrkdwn(historyLine(event), 3000);
      expect(tokensWhole(fitted)).toBe(true);
      expect(fitted.startsWith('<!date^')).toBe(true);
    }
  });
});
