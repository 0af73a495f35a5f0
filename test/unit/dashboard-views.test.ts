import type { ActionsBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { auditsView } from '../../views/dashboard-audits.ts';
import { cardUrl, linesToSections } from '../../views/dashboard-format.ts';
import { mineView } from '../../views/dashboard-mine.ts';
import { statsView } from '../../views/dashboard-stats.ts';
import type { AuditItem, HomeModel, ListItem, MeetingItem, QueuePage, Slice } from '../../views/dashboard-types.ts';
import { helpView } from '../../views/help.ts';
import { homeView } from '../../views/home.ts';
import { LIMITS } from '../../views/limits.ts';
import { newApplicationDoneModal, newApplicationModal } from '../../views/modals/new-application.ts';
import { parseQueuePageValue, parseStageArgument, QUEUE_PAGE_ACTION, queuePageValue, queueView } from '../../views/queue.ts';
import { blockKitProblems } from '../../views/validate.ts';
import { mrkdwnTexts } from '../support/fixtures.ts';

const now = new Date('2026-03-10T12:00:00Z');
const LONG_NAME = `${'Very Long Organization Name & <Partners> '.repeat(5)}`.slice(0, 200);

const item = (id: number, overrides: Partial<ListItem> = {}): ListItem => ({
  id,
  organizationName: LONG_NAME,
  stage: (['business', 'security', 'architecture'] as const)[id % 3] ?? 'business',
  status: (['new', 'in_review', 'waiting_on_developer'] as const)[id % 3] ?? 'new',
  statusSince: new Date(now.getTime() - id * 3_600_000),
  receivedAt: new Date(now.getTime() - id * 7_200_000),
  assigneeId: id % 2 ? 'U0REVIEW01' : null,
  architectId: null,
  version: 3,
  card: { channel: 'G0PIIREVIEW', ts: `1767600000.${String(id).padStart(6, '0')}` },
  ...overrides,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => item(i + 1));
const slice = <T>(all: T[], total = all.length): Slice<T> => ({ items: all, total });
const meeting = (id: number): MeetingItem => ({
  meetingId: id,
  applicationId: id,
  organizationName: LONG_NAME,
  architectId: 'U0ARCHIT01',
  startsAt: new Date(now.getTime() + id * 86_400_000),
  durationMinutes: 60,
  card: { channel: 'G0PIIREVIEW', ts: '1767600000.000001' },
});
const audit = (id: number, overrides: Partial<AuditItem> = {}): AuditItem => ({
  applicationId: id,
  organizationName: LONG_NAME,
  productionSince: new Date('2025-11-01T00:00:00Z'),
  dueOn: new Date('2026-01-30T00:00:00Z'),
  audit: null,
  card: null,
  ...overrides,
});

describe('/pii queue view', () => {
  const page = (overrides: Partial<QueuePage> = {}): QueuePage => ({
    stage: null,
    offset: 0,
    pageSize: 40,
    total: 153,
    items: items(40),
    ...overrides,
  });

  it('a full page of long names stays inside message limits and says which range it shows', () => {
    const view = queueView(page(), now);
    expect(blockKitProblems('message', view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(view.text).toContain('showing 1–40 of 153');
    const next = JSON.stringify(view.blocks);
    expect(next).toContain(`"action_id":"${QUEUE_PAGE_ACTION}"`);
    expect(next).toContain('"value":"all:40"');
    expect(next).not.toContain('Previous page');
  });

  it('a middle page has both buttons, each in its own block (action ids stay unique per block)', () => {
    const view = queueView(page({ stage: 'security', offset: 40 }), now);
    const actions = view.blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(2);
    expect(JSON.stringify(actions)).toContain('"value":"security:0"');
    expect(JSON.stringify(actions)).toContain('"value":"security:80"');
    expect(view.text).toContain('showing 41–80 of 153');
  });

  it('the last page has no Next button; an empty queue says so', () => {
    expect(JSON.stringify(queueView(page({ offset: 120, total: 153, items: items(33) }), now).blocks)).not.toContain('Next page');
    const empty = queueView(page({ total: 0, items: [] }), now);
    expect(empty.text).toContain('No open applications');
    expect(blockKitProblems('message', empty)).toEqual([]);
  });

  it('escapes organization names and links each to its card', () => {
    const texts = mrkdwnTexts(queueView(page({ items: [item(1, { organizationName: '<!channel> & co' })], total: 1 }), now));
    expect(texts.join('\n')).not.toContain('<!channel>');
    expect(texts.join('\n')).toContain('&lt;!channel&gt;');
    expect(texts.join('\n')).toContain(cardUrl({ channel: 'G0PIIREVIEW', ts: '1767600000.000001' }));
  });

  it('page values and stage arguments round-trip; anything else is refused', () => {
    expect(parseQueuePageValue(queuePageValue('architecture', 80))).toEqual({ stage: 'architecture', offset: 80 });
    expect(parseQueuePageValue(queuePageValue(null, 0))).toEqual({ stage: null, offset: 0 });
    for (const bad of ['', 'x:1', 'all:-1', 'all:1e3', 'approved:0']) expect(parseQueuePageValue(bad)).toBeUndefined();
    expect(parseStageArgument('2')).toBe('security');
    expect(parseStageArgument('Business')).toBe('business');
    expect(parseStageArgument('7')).toBeUndefined();
    expect(parseStageArgument('approved')).toBeUndefined();
  });
});

describe('line sections', () => {
  it('packs lines into sections of at most 3000 characters and cuts a single overlong line', () => {
    const sections = linesToSections([...Array.from({ length: 100 }, () => 'x'.repeat(199)), 'y'.repeat(5000)]);
    for (const s of sections) expect((s as SectionBlock).text?.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(sections.length).toBe(8);
  });
});

describe('/pii mine, audits and stats views', () => {
  it('mine lists every role held, counts what is not shown, and fits a message', () => {
    const model = {
      userId: 'U0ADMIN001',
      roles: ['reviewer', 'architect', 'admin'] as const,
      assigned: slice(items(15), 42),
      architect: slice(items(15), 15),
      meetings: slice(
        Array.from({ length: 15 }, (_, i) => meeting(i + 1)),
        20,
      ),
      unassigned: slice(items(15), 99),
    };
    const view = mineView({ ...model, roles: [...model.roles] }, now);
    expect(blockKitProblems('message', view)).toEqual([]);
    const text = mrkdwnTexts(view).join('\n');
    expect(text).toContain('…and 27 more');
    expect(text).toContain('…and 84 more');
    expect(text).toContain('…and 5 more');
  });

  it('mine tells someone without a role that nothing waits on them', () => {
    expect(mineView({ userId: 'U0OUTSID01', roles: [] }, now).text).toContain('no role');
  });

  it('audits list eligible ones without a warning, those awaiting an outcome, access at risk and remediation past due', () => {
    const view = auditsView(
      {
        eligible: slice([audit(1)]),
        awaitingOutcome: slice([
          audit(2, { audit: { status: 'scheduled', auditor: 'Deloitte', scheduledFor: new Date('2026-03-01T00:00:00Z') } }),
        ]),
        scheduled: slice([
          audit(3, { audit: { status: 'scheduled', auditor: 'PwC', scheduledFor: new Date('2026-04-01T00:00:00Z') } }),
        ]),
        atRisk: slice([
          {
            applicationId: 6,
            organizationName: 'Tailspin',
            status: 'at_risk',
            since: new Date('2026-02-01T00:00:00Z'),
            reason: 'inactive',
            assigneeId: null,
            card: null,
          },
        ]),
        suspended: slice([]),
        remediationOverdue: 1,
        remediation: slice(
          [
            {
              itemId: 1,
              applicationId: 5,
              organizationName: 'Fabrikam',
              text: 'Rotate keys',
              dueOn: new Date('2026-03-01T00:00:00Z'),
              card: null,
            },
          ],
          3,
        ),
      },
      now,
      90,
    );
    expect(blockKitProblems('message', view)).toEqual([]);
    const text = mrkdwnTexts(view).join('\n');
    expect(text).toContain('eligible since');
    expect(text).not.toContain(':warning:');
    expect(text).toContain('awaiting the outcome*');
    expect(text).toContain('at risk since');
    expect(text).toContain('*overdue, was due');
    expect(text).toContain('…and 2 more');
  });

  it('stats shows counts, per-stage median and 90th percentile, and the wait on developers', () => {
    const view = statsView({
      days: 30,
      since: new Date('2026-02-08T12:00:00Z'),
      until: now,
      received: 12,
      approved: 3,
      rejected: 2,
      stages: [
        { stage: 'business', count: 5, medianMs: 2 * 86_400_000, p90Ms: 6 * 86_400_000 },
        { stage: 'security', count: 0, medianMs: null, p90Ms: null },
        { stage: 'architecture', count: 1, medianMs: 3_600_000, p90Ms: 3_600_000 },
      ],
      waitingOnDeveloper: { count: 4, medianAgeMs: 5 * 86_400_000, oldestAgeMs: 20 * 86_400_000 },
    });
    expect(blockKitProblems('message', view)).toEqual([]);
    const text = mrkdwnTexts(view).join('\n');
    expect(text).toContain('median 2 days · 90th percentile 6 days · 5 stays');
    expect(text).toContain('no stay ended in the window');
    expect(text).toContain('median 5 days, longest 20 days');
  });
});

describe('App Home view', () => {
  const figures = {
    open: 130,
    unassigned: 90,
    waitingOnDeveloper: 12,
    byStage: { business: 100, security: 20, architecture: 10 },
    receivedLast30Days: 40,
    approvedLast30Days: 5,
  };
  const full: HomeModel = {
    userId: 'U0ADMIN001',
    roles: ['reviewer', 'architect', 'admin'],
    now,
    waitingOnYou: slice(
      items(10).map((i) => ({ ...i, reason: 'assigned' as const })),
      25,
    ),
    unassigned: slice(items(10), 90),
    meetings: slice(
      Array.from({ length: 10 }, (_, i) => meeting(i + 1)),
      11,
    ),
    audits: slice(
      Array.from({ length: 10 }, (_, i) => audit(i + 1)),
      10,
    ),
    waitingOnDevelopers: slice(items(10), 12),
    figures,
  };

  it('with every list full, stays inside 100 blocks and says how many more there are', () => {
    const view = homeView(full);
    expect(blockKitProblems('home', view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    const text = mrkdwnTexts(view).join('\n');
    expect(text).toContain('…and 15 more — use `/pii mine`');
    expect(text).toContain('…and 80 more — use `/pii queue`');
  });

  it('each unassigned application has the card’s own Claim button with the card value format', () => {
    const view = homeView(full);
    const claim = view.blocks.find((b) => b.block_id === 'home.claim.1') as ActionsBlock;
    expect(claim.elements[0]).toMatchObject({ action_id: 'card.claim', value: '1:3' });
    expect(claim.elements[1]).toMatchObject({ url: cardUrl({ channel: 'G0PIIREVIEW', ts: '1767600000.000001' }) });
  });

  it('someone without a role sees no applications, only the team figures', () => {
    const view = homeView({
      ...full,
      roles: [],
      waitingOnYou: null,
      unassigned: null,
      meetings: null,
      audits: null,
      waitingOnDevelopers: null,
    });
    expect(blockKitProblems('home', view)).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('card.claim');
    expect(JSON.stringify(view)).toContain('no role');
  });
});

describe('help and the new-application modal', () => {
  it('help lists every subcommand', () => {
    const text = helpView().text;
    for (const sub of ['status', 'queue', 'mine', 'audits', 'stats', 'new', 'export', 'template denial']) {
      expect(text).toContain(`/pii ${sub}`);
    }
  });

  it('help says what /pii audits shows, in the domain’s words: eligible for an audit, never overdue', () => {
    const line = helpView()
      .text.split('\n')
      .find((l) => l.includes('/pii audits'));
    expect(line).toContain('access at risk and suspended');
    expect(line).toContain('awaiting an outcome, scheduled, and eligible');
    expect(line).toContain('remediation items open');
    expect(line).not.toContain('audits due');
    // Only remediation items can be overdue.
    expect(line?.replace('remediation items open (overdue marked)', '')).not.toContain('overdue');
  });

  it('the modal and its confirmation respect modal limits', () => {
    expect(blockKitProblems('modal', newApplicationModal('G0PIIREVIEW') as never)).toEqual([]);
    const done = newApplicationDoneModal({ id: 5, organizationName: LONG_NAME, profileId: 'manual-1' }, 'G0PIIREVIEW');
    expect(blockKitProblems('modal', done as never)).toEqual([]);
  });
});
