import { describe, expect, it } from 'vitest';
import { reviewCard } from '../../views/card.ts';
import { calendarDate, escapeMrkdwn, escapeSlackText, slackDate, unescapeSlackText } from '../../views/format.ts';
import { helpView } from '../../views/help.ts';
import { ambiguousView, notFoundView, statusView } from '../../views/status.ts';
import type { ApplicationSummary, CardModel, HistoryEntry } from '../../views/types.ts';
import { blockKitProblems } from '../../views/validate.ts';
import { mrkdwnTexts } from '../support/fixtures.ts';

const now = new Date('2026-03-10T12:00:00Z');
const summary = (overrides: Partial<ApplicationSummary> = {}): ApplicationSummary => ({
  id: 7,
  profileId: 'amzn1.profile.7',
  organizationName: 'Adventure Works',
  website: 'https://adventure.example.com',
  country: 'US',
  developerType: 'public',
  roles: ['Tax Invoicing'],
  marketplaces: ['NA', 'US'],
  launchReadiness: 'beta',
  submittedAt: new Date('2026-03-01T08:00:00Z'),
  receivedAt: new Date('2026-03-01T08:00:05Z'),
  stage: 'business',
  status: 'new',
  statusSince: new Date('2026-03-01T08:00:05Z'),
  assigneeId: null,
  version: 1,
  infoRounds: 0,
  architectId: null,
  productionSince: null,
  ...overrides,
});
const cardModel = (overrides: Partial<CardModel> = {}): CardModel => ({
  ...summary(),
  openGaps: 0,
  gapsBySeverity: {},
  questionnaire: null,
  commands: ['claim', 'assign', 'business_review', 'withdraw'],
  meeting: null,
  openQuestions: 0,
  approvedAt: null,
  restrictedCallDueBy: null,
  lastRestrictedCallAt: null,
  productionSince: null,
  auditDueOn: null,
  audit: null,
  openRemediation: [],
  ...overrides,
});
const event = (id: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id,
  type: 'application.updated',
  actor: 'intake',
  at: new Date(now.getTime() - (1000 - id) * 60_000),
  payload: { changedFields: ['useCase', 'organization.website'] },
  ...overrides,
});

describe('review card', () => {
  it('shows organization, roles, regions, developer type, stage, status and a date token for submission', () => {
    const card = reviewCard(cardModel(), now);
    const text = JSON.stringify(card.blocks);
    for (const expected of [
      'Adventure Works',
      'Tax Invoicing',
      'NA, US',
      'Public (Appstore)',
      'Stage 1 · Business criteria',
      `Awaiting review since <!date^${Math.floor(new Date('2026-03-01T08:00:05Z').getTime() / 1000)}^`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`<!date^${Math.floor(new Date('2026-03-01T08:00:00Z').getTime() / 1000)}^`);
    expect(card.text).toContain('#7 Adventure Works');
    expect(blockKitProblems('message', card)).toEqual([]);
  });

  it('stays within Block Kit limits with extreme content', () => {
    const card = reviewCard(
      cardModel({
        organizationName: 'N'.repeat(400),
        profileId: 'p'.repeat(128),
        roles: Array.from({ length: 20 }, (_, i) => `Role ${'r'.repeat(90)} ${i}`),
        marketplaces: Array.from({ length: 40 }, (_, i) => `M${i}${'x'.repeat(60)}`),
      }),
      now,
    );
    expect(blockKitProblems('message', card)).toEqual([]);
  });

  it('holds every field at once within Block Kit limits: a later cycle, a role review, roles not granted, the production life', () => {
    const card = reviewCard(
      cardModel({
        cycle: 3,
        previousCycle: {
          number: 2,
          outcome: 'revoked',
          endedAtStage: 'approved',
          permalink: 'https://example.slack.com/archives/C1/p1',
        },
        roleReview: true,
        productionLife: true,
        stage: 'architecture',
        status: 'waiting_on_developer',
        roleStatuses: [
          { role: 'Tax Invoicing', status: 'approved' },
          { role: 'Tax Remittance', status: 'under_review' },
          { role: 'Direct-to-Consumer Shipping', status: 'denied' },
          { role: 'Pricing', status: 'removed' },
        ],
        openGaps: 2,
        gapsBySeverity: { high: 1, low: 1 },
        infoRounds: 2,
        questionnaire: { version: '1', accepted: 10, total: 14, answered: 14, toReview: 4 },
        meeting: { startsAt: now, durationMinutes: 60, architectId: 'UARCH', status: 'scheduled' },
        openQuestions: 2,
        approvedAt: new Date('2026-01-01T00:00:00Z'),
        productionSince: new Date('2026-01-10T00:00:00Z'),
        access: { status: 'suspended', since: now, reason: 'audit_failed' },
        audit: { status: 'remediation', auditor: 'Deloitte', scheduledFor: now },
        openRemediation: [{ text: 'Rotate keys', dueOn: now }],
      }),
      now,
    );
    expect(blockKitProblems('message', card)).toEqual([]);
    const text = JSON.stringify(card.blocks);
    for (const shown of [
      'Cycle 3',
      'Tax Invoicing',
      '*Roles under review*\\nTax Remittance',
      'Direct-to-Consumer Shipping (denied)',
      'Pricing (removed)',
    ])
      expect(text).toContain(shown);
  });

  it('escapes developer text in mrkdwn', () => {
    const card = reviewCard(cardModel({ organizationName: '<!here> & <@U123>', roles: ['<!channel>'] }), now);
    const texts = mrkdwnTexts(card).join('\n');
    expect(texts).not.toMatch(/<!here>|<!channel>|<@U123>/);
    expect(texts).toContain('&lt;!here&gt; &amp; &lt;@U123&gt;');
  });

  it.each(['scheduled', 'remediation', 'passed'])('escapes the auditor typed in the audit modal (%s)', (status) => {
    const audit = { status, auditor: '<!channel> Ann & co', scheduledFor: new Date('2026-06-01T00:00:00Z') };
    const card = reviewCard(cardModel({ stage: 'approved', status: 'approved', productionSince: now, audit }), now);
    const texts = mrkdwnTexts(card).join('\n');
    expect(texts).not.toContain('<!channel>');
    expect(texts).toContain('&lt;!channel&gt; Ann &amp; co');
  });
});

describe('status view', () => {
  it('lists the history with dates, newest last', () => {
    const view = statusView(cardModel(), [event(1, { type: 'application.received', payload: {} }), event(2)], now);
    const text = mrkdwnTexts(view).join('\n');
    expect(text.indexOf('Application received')).toBeLessThan(text.indexOf('updated the application'));
    expect(text).toContain('2 events');
    expect(blockKitProblems('message', view)).toEqual([]);
  });

  it('never breaks a limit with a very long history, and says how much it left out', () => {
    const history = Array.from({ length: 3000 }, (_, i) => event(i + 1));
    const view = statusView(cardModel(), history, now);
    expect(blockKitProblems('message', view)).toEqual([]);
    const text = mrkdwnTexts(view).join('\n');
    expect(text).toMatch(/\d+ earlier events are not shown here\./);
    expect(text).toContain('3000 events');
  });

  it('answers unknown and ambiguous queries plainly', () => {
    expect(notFoundView('<!channel>').text).toContain('&lt;!channel&gt;');
    const many = ambiguousView('adv', [summary(), summary({ id: 8, organizationName: 'Adventure Playground' })]);
    expect(many.text).toContain('2 applications match');
    expect(blockKitProblems('message', many)).toEqual([]);
  });
});

describe('format helpers', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & <b> "c"')).toBe('a &amp; &lt;b&gt; "c"');
  });

  it('writes a day without a time as the same calendar day for every reader', () => {
    expect(calendarDate(new Date('2026-07-01T00:00:00Z'))).toBe('Jul 1, 2026');
    expect(calendarDate(new Date('2026-07-01T23:59:59Z'))).toBe('Jul 1, 2026');
    expect(calendarDate(new Date('2026-07-01T00:00:00Z'))).not.toContain('<!date');
  });

  it('reads text as Slack sends it back as typed, a typed entity included', () => {
    for (const typed of ['Smith & Sons', '<!channel>', 'a &lt; b', 'R&amp;D', '>_<'])
      expect(unescapeSlackText(escapeSlackText(typed))).toBe(typed);
  });

  it('writes a Slack date token with a UTC fallback', () => {
    expect(slackDate(new Date('2026-03-01T08:00:00Z'))).toBe(
      '<!date^1772352000^{date_short_pretty} at {time}|2026-03-01 08:00 UTC>',
    );
  });

  it('help lists the subcommands', () => {
    expect(helpView().text).toContain('/pii status');
  });
});

describe('blockKitProblems', () => {
  it('finds broken limits', () => {
    const problems = blockKitProblems('message', {
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'z'.repeat(76) }, action_id: 'a' }] },
        ...Array.from({ length: 48 }, () => ({ type: 'divider' })),
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'must have at most 50 items (has 51) [json-pointer:/blocks]',
        'a message with blocks needs a `text` fallback [json-pointer:/text]',
        'must be at most 150 characters [json-pointer:/blocks/0/text/text]',
        'must be at most 3000 characters [json-pointer:/blocks/1/text/text]',
        'must be at most 75 characters [json-pointer:/blocks/2/elements/0/text/text]',
      ]),
    );
  });

  it('checks modal titles and submit buttons', () => {
    const problems = blockKitProblems('modal', {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long' },
      blocks: [
        { type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', action_id: 'a' } },
      ],
    });
    expect(problems).toEqual([
      'must be at most 24 characters [json-pointer:/view/title/text]',
      'is required when the view has input blocks [json-pointer:/view/submit]',
    ]);
  });
});
