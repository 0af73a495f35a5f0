import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, audits, events, meetings, remediationItems, templates } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { teamStats } from '../../src/dashboard/stats.ts';
import { TEAM_ID } from '../../src/sandbox/emulator/state.ts';
import { LIMITS } from '../../views/limits.ts';
import { blockKitProblems } from '../../views/validate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { mrkdwnTexts } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { input, inputMore, reviewer } from '../support/reviewer.ts';
import { seedApplications } from '../support/seed.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-03-02T09:00:00Z');
  await h.reset();
});

const seed = (rows: Parameters<typeof seedApplications>[2]) => seedApplications(database.db, clock.now(), rows);
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY);
const text = (answer: { json: unknown }) => mrkdwnTexts(answer.json).join('\n');
const pii = (user: string, command: string) => h.slack.command({ user, text: command });

/** A click in an ephemeral message: Slack sends the message's response_url, and there is no stored message to update. */
async function clickEphemeral(user: string, actionId: string, value: string) {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user, name: user, team_id: TEAM_ID },
    api_app_id: 'APIIREVIEW',
    token: 'sandbox-verification-token',
    container: { type: 'message', message_ts: '1767600000.000001', channel_id: CHANNEL, is_ephemeral: true },
    trigger_id: h.emulator.state.issueTrigger(user, Date.now()),
    team: { id: TEAM_ID, domain: 'sandbox' },
    channel: { id: CHANNEL, name: 'pii-review' },
    response_url: h.emulator.responseUrl(h.emulator.url, { user, channel: CHANNEL }),
    actions: [{ action_id: actionId, block_id: 'queue.next', type: 'button', value, action_ts: String(Date.now() / 1000) }],
    state: { values: {} },
  };
  const before = h.emulator.state.calls.filter((c) => c.method === 'response_url').length;
  const res = await h.slack.send({
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(res.status).toBe(200);
  await expect.poll(() => h.emulator.state.calls.filter((c) => c.method === 'response_url').length).toBe(before + 1);
  return h.emulator.state.calls.filter((c) => c.method === 'response_url').at(-1)?.args as Record<string, any>;
}
const buttonValue = (blocks: unknown, label: string) =>
  (blocks as { type: string; elements?: { text: { text: string }; value: string }[] }[])
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.text?.text === label)?.value;

describe('/pii help and usage', () => {
  it('help lists every subcommand', async () => {
    const answer = text(await pii(USERS.reviewer, 'help'));
    for (const sub of ['status', 'queue', 'mine', 'audits', 'stats [days]', 'new', 'export [days]', 'template denial']) {
      expect(answer).toContain(`/pii ${sub}`);
    }
  });

  it.each([
    ['frobnicate', 'is not a /pii subcommand'],
    ['queue 7', '`/pii queue` takes a stage'],
    ['queue approved', '`/pii queue` takes a stage'],
    ['stats abc', '`/pii stats` takes a number of days'],
    ['stats 0', '`/pii stats` takes a number of days'],
    ['stats 366', '`/pii stats` takes a number of days'],
    ['mine everything', '`/pii mine` takes no arguments'],
    ['audits soon', '`/pii audits` takes no arguments'],
  ])('`%s` answers with the usage', async (command, hint) => {
    const answer = text(await pii(USERS.reviewer, command));
    expect(answer).toContain(hint);
    expect(answer).toContain('/pii queue');
  });
});

describe('/pii queue', () => {
  it('pages 120 open applications by stage and status, oldest first, never cutting silently', async () => {
    await seed(
      Array.from({ length: 120 }, (_, i) => ({
        organizationName: `Queue ${String(i).padStart(3, '0')} ${'x'.repeat(150)}`,
        stage: (['business', 'security', 'architecture'] as const)[i % 3],
        status: (['new', 'in_review', 'waiting_on_developer'] as const)[Math.floor(i / 3) % 3],
        statusSince: ago(i % 50),
        assigneeId: i % 2 ? USERS.reviewer : null,
        cardChannel: CHANNEL,
        cardTs: `1767600000.${String(i).padStart(6, '0')}`,
      })),
    );
    await seed([
      { stage: 'closed', status: 'rejected' },
      { stage: 'approved', status: 'approved' },
    ]);

    const first = (await pii(USERS.reviewer, 'queue')).json as { text: string; blocks: unknown[] };
    expect(first.text).toContain('showing 1–40 of 120');
    expect(blockKitProblems('message', first)).toEqual([]);
    expect(first.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const body = mrkdwnTexts(first).join('\n');
    expect(body.indexOf('Stage 1 · Business criteria — Awaiting review')).toBeGreaterThan(-1);
    expect(body).toContain('<https://slack.com/archives/G0PIIREVIEW/p');
    expect(body).toContain(`<@${USERS.reviewer}>`);
    expect(body).toContain('_unassigned_');

    const pages = [first];
    for (let page = 1; page < 3; page += 1) {
      const next = buttonValue(pages[page - 1]?.blocks, 'Next page');
      expect(next).toBe(`all:${page * 40}`);
      const replaced = await clickEphemeral(USERS.reviewer, 'queue.page', next ?? '');
      expect(replaced.replace_original).toBe(true);
      expect(blockKitProblems('message', replaced)).toEqual([]);
      pages.push(replaced as never);
    }
    expect(pages[2]?.text).toContain('showing 81–120 of 120');
    expect(buttonValue(pages[2]?.blocks, 'Next page')).toBeUndefined();
    expect(buttonValue(pages[2]?.blocks, 'Previous page')).toBe('all:40');

    // Every open application appears exactly once across the pages, in stage order.
    const ids = pages.flatMap((p) => [...JSON.stringify(p.blocks).matchAll(/\|#(\d+) Queue/g)].map((m) => Number(m[1])));
    expect(new Set(ids).size).toBe(120);
  });

  it('filters by stage name or number; each group is oldest first', async () => {
    await seed([
      { organizationName: 'Young', stage: 'security', status: 'in_review', statusSince: ago(1) },
      { organizationName: 'Old', stage: 'security', status: 'in_review', statusSince: ago(9) },
      { organizationName: 'Elsewhere', stage: 'business', status: 'new' },
    ]);
    for (const arg of ['security', '2']) {
      const answer = text(await pii(USERS.reviewer, `queue ${arg}`));
      expect(answer).toContain('showing 1–2 of 2');
      expect(answer.indexOf('Old')).toBeLessThan(answer.indexOf('Young'));
      expect(answer).toContain('9 days');
      expect(answer).not.toContain('Elsewhere');
    }
    expect(text(await pii(USERS.reviewer, 'queue 3'))).toContain('No open applications in Stage 3');
  });
});

describe('/pii status by name', () => {
  it('says when more applications match than it lists, and how to name one', async () => {
    const many = await seed(Array.from({ length: 37 }, (_, i) => ({ organizationName: `Contoso ${i}` })));
    const answer = text(await pii(USERS.reviewer, 'status contoso'));
    expect(answer).toContain('More than 10 applications match `contoso`; the first 10 by number');
    expect(answer).toContain('developer profile id');
    expect(new Set(answer.match(/^• #\d+/gm)).size).toBe(10);
    expect(answer).toContain(`#${many[9]?.id} Contoso 9`);
    expect(answer).not.toContain(`#${many[10]?.id} Contoso 10`);
  });

  it('counts the matches when it lists them all', async () => {
    await seed(Array.from({ length: 10 }, (_, i) => ({ organizationName: `Northwind ${i}` })));
    const answer = text(await pii(USERS.reviewer, 'status northwind'));
    expect(answer).toContain('10 applications match `northwind`; name one by its number or its developer profile id');
    expect(answer).not.toContain('More than');
  });
});

describe('/pii mine', () => {
  it('shows each role its own work', async () => {
    const [mineOpen, , , stage3, unassigned, , adminClaimed] = await seed([
      { organizationName: 'Mine open', assigneeId: USERS.reviewer, status: 'in_review', statusSince: ago(3) },
      { organizationName: 'Mine waiting', assigneeId: USERS.reviewer, stage: 'security', status: 'waiting_on_developer' },
      { organizationName: 'Someone elses', assigneeId: USERS.reviewer2, status: 'in_review' },
      {
        organizationName: 'Arch review',
        stage: 'architecture',
        status: 'in_review',
        architectId: USERS.architect,
        assigneeId: USERS.reviewer2,
      },
      { organizationName: 'Nobody has it', status: 'new' },
      {
        organizationName: 'Arch clarifying',
        stage: 'architecture',
        status: 'waiting_on_developer',
        architectId: USERS.architect,
        assigneeId: USERS.reviewer2,
      },
      { organizationName: 'Admin claimed', assigneeId: USERS.admin, status: 'in_review' },
    ]);
    await database.db.insert(meetings).values({
      applicationId: stage3?.id ?? 0,
      architectId: USERS.architect,
      startsAt: new Date(clock.now().getTime() + 2 * DAY),
      durationMinutes: 60,
      agenda: 'Data flows',
      scheduledBy: USERS.reviewer2,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });

    const asReviewer = text(await pii(USERS.reviewer, 'mine'));
    expect(asReviewer).toContain(`#${mineOpen?.id} Mine open`);
    expect(asReviewer).not.toContain('Mine waiting');
    expect(asReviewer).not.toContain('Someone elses');
    expect(asReviewer).not.toContain('Unassigned open applications');

    const asArchitect = text(await pii(USERS.architect, 'mine'));
    expect(asArchitect).toContain('Arch review');
    expect(asArchitect).toContain('Stage 3 reviews you are the architect of* (1)');
    expect(asArchitect).not.toContain('Arch clarifying');
    const meetingDate = `<!date^${Math.floor((clock.now().getTime() + 2 * DAY) / 1000)}^`;
    expect(asArchitect).toContain('Upcoming architecture reviews, yours and your applications’* (1)');
    expect(asArchitect).toContain(meetingDate);

    // The App Home sends everyone here for the rest of its lists, so the scope is the Home's:
    // the reviewer assigned to a Stage 3 application sees its meeting, and an admin sees
    // what was assigned to them and every meeting.
    const asAssignee = text(await pii(USERS.reviewer2, 'mine'));
    expect(asAssignee).toContain('Upcoming architecture reviews, yours and your applications’* (1)');
    expect(asAssignee).toContain(meetingDate);

    const asAdmin = text(await pii(USERS.admin, 'mine'));
    expect(asAdmin).toContain(`#${unassigned?.id} Nobody has it`);
    expect(asAdmin).toContain('Assigned to you, not waiting on the developer* (1)');
    expect(asAdmin).toContain(`#${adminClaimed?.id} Admin claimed`);
    expect(asAdmin).toContain('Upcoming architecture reviews* (1)');
    expect(asAdmin).toContain(meetingDate);
    expect(asAdmin).not.toContain('Mine open');

    expect(text(await pii(USERS.outsider, 'mine'))).toContain('no role');
  });
});

describe('/pii template denial', () => {
  async function openTemplate(): Promise<string> {
    const before = h.emulator.state.views.size;
    await pii(USERS.admin, 'template denial');
    await expect.poll(() => h.emulator.state.views.size).toBeGreaterThan(before);
    expect(r.modal(USERS.admin).view.callback_id).toBe('edit_template');
    return r.modal(USERS.admin).id;
  }
  const versions = async () =>
    (await database.db.select().from(templates).orderBy(templates.version)).map((t) => [t.version, t.createdBy, t.body]);

  it('refuses a save made from a version another admin replaced meanwhile, naming them, and keeps the form open', async () => {
    const form = await openTemplate();
    // Another admin saves v2 while this form still shows v1.
    await database.db
      .insert(templates)
      .values({ name: 'denial', version: 2, body: 'Their wording.', createdBy: USERS.reviewer2, createdAt: clock.now() });
    const answer = await r.submit(USERS.admin, { body: input.text('My wording.') }, form);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_action: 'errors' });
    const error = (answer.json as { errors: Record<string, string> }).errors.body ?? '';
    expect(error).toContain('Not saved: sam saved v2 while you were editing v1.');
    expect(error).toContain('/pii template denial');
    expect(await versions()).toEqual([[2, USERS.reviewer2, 'Their wording.']]);

    // Opened anew, the form shows v2 and saves v3.
    const fresh = await openTemplate();
    expect(JSON.stringify(r.modal(USERS.admin).view)).toContain('Current version: v2. Saving makes v3');
    const saved = await r.submit(USERS.admin, { body: input.text('My wording.') }, fresh);
    expect(saved.text).toBe('');
    expect((await versions()).at(-1)).toEqual([3, USERS.admin, 'My wording.']);
  });

  it('of two forms open on the same version, the second save is refused', async () => {
    const first = await openTemplate();
    const second = await openTemplate();
    expect((await r.submit(USERS.admin, { body: input.text('First.') }, second)).text).toBe('');
    const answer = await r.submit(USERS.admin, { body: input.text('Second.') }, first);
    expect((answer.json as { errors: Record<string, string> }).errors.body).toContain(
      'Not saved: you saved v2 while you were editing v1.',
    );
    expect(await versions()).toEqual([[2, USERS.admin, 'First.']]);
  });
});

describe('/pii audits', () => {
  it('lists access at risk and suspended, audits awaiting an outcome, scheduled and eligible, and remediation items due', async () => {
    const approved = { stage: 'approved', status: 'approved', approvedAt: ago(200) } as const;
    const [notScheduled, pastNoOutcome, scheduled, coming, passed, remediating] = await seed([
      { ...approved, organizationName: 'Due unscheduled', productionSince: ago(100) },
      // The audit status on the application mirrors the audits rows below, as the use cases keep it.
      { ...approved, organizationName: 'Past no outcome', productionSince: ago(120), auditStatus: 'scheduled' },
      { ...approved, organizationName: 'Booked', productionSince: ago(95), auditStatus: 'scheduled' },
      { ...approved, organizationName: 'Not yet due', productionSince: ago(10) },
      { ...approved, organizationName: 'Passed already', productionSince: ago(150), auditStatus: 'passed' },
      { ...approved, organizationName: 'Remediating', productionSince: ago(130), auditStatus: 'remediation' },
    ]);
    await seed([
      { ...approved, organizationName: 'Not live' },
      { ...approved, organizationName: 'Risky access', accessStatus: 'at_risk', accessSince: ago(3), accessReason: 'inactive' },
      {
        ...approved,
        organizationName: 'Held access',
        accessStatus: 'suspended',
        accessSince: ago(2),
        accessReason: 'audit_failed',
      },
    ]);
    const auditRow = (applicationId: number, scheduledFor: Date, status = 'scheduled') => ({
      applicationId,
      auditor: 'Deloitte',
      scheduledFor,
      status,
      scheduledBy: USERS.admin,
      ...(status === 'scheduled' ? {} : { outcomeAt: ago(5) }),
    });
    const inserted = await database.db
      .insert(audits)
      .values([
        auditRow(pastNoOutcome?.id ?? 0, ago(3)),
        auditRow(scheduled?.id ?? 0, new Date(clock.now().getTime() + 7 * DAY)),
        auditRow(passed?.id ?? 0, ago(40), 'passed'),
        auditRow(remediating?.id ?? 0, ago(30), 'remediation'),
      ])
      .returning();
    await database.db.insert(remediationItems).values([
      { auditId: inserted[3]?.id ?? 0, text: 'Rotate the KMS keys', dueOn: ago(2) },
      { auditId: inserted[3]?.id ?? 0, text: 'Closed item', dueOn: ago(2), closedAt: ago(1), closedBy: USERS.admin },
    ]);

    const res = await pii(USERS.reviewer, 'audits');
    expect(blockKitProblems('message', res.json as never)).toEqual([]);
    const answer = text(res);
    const section = (title: string, next: string) => answer.slice(answer.indexOf(title), answer.indexOf(next));
    expect(section('*Access at risk*', '*Access suspended*')).toContain('Risky access');
    expect(section('*Access suspended*', '*Awaiting')).toContain('Held access');
    expect(section('*Access suspended*', '*Awaiting')).toContain('(Audit failed)');
    expect(section('*Awaiting an outcome*', '*Scheduled*')).toContain(`#${pastNoOutcome?.id} Past no outcome`);
    expect(section('*Scheduled*', '*Remediation')).toContain('Booked');
    // Eligible is not overdue: no warning, and not yet eligible is not listed.
    expect(section('*Eligible', 'zzz')).toContain(`#${notScheduled?.id} Due unscheduled`);
    expect(answer).not.toContain(`#${coming?.id} Not yet due`);
    expect(answer).not.toContain(':warning:');
    expect(answer).toContain('Rotate the KMS keys');
    expect(answer).not.toContain('Closed item');
    expect(answer).not.toContain('Passed already');
    expect(answer).not.toContain('Not live');
  });
});

describe('/pii stats', () => {
  async function event(applicationId: number, type: string, at: Date, payload: Record<string, unknown>) {
    await database.db.insert(events).values({ applicationId, type, actor: USERS.reviewer, at, payload });
  }
  const move = (from: [string, string], to: [string, string]) => ({
    before: { stage: from[0], status: from[1] },
    after: { stage: to[0], status: to[1] },
  });

  it('counts the window and derives time per stage from events', async () => {
    const [a, b, c, old] = await seed([
      { stage: 'architecture', status: 'in_review' },
      { stage: 'closed', status: 'rejected' },
      { stage: 'security', status: 'waiting_on_developer', statusSince: ago(4) },
      { stage: 'approved', status: 'approved' },
    ]);
    const ids = [a, b, c, old].map((x) => x?.id ?? 0) as [number, number, number, number];
    await event(ids[0], 'application.received', ago(20), { stage: 'business', status: 'new' });
    await event(ids[0], 'application.claimed', ago(19), move(['business', 'new'], ['business', 'in_review']));
    await event(ids[0], 'business_review.passed', ago(18), move(['business', 'in_review'], ['security', 'in_review']));
    await event(ids[0], 'security.passed', ago(10), move(['security', 'in_review'], ['architecture', 'in_review']));
    await event(ids[1], 'application.received', ago(10), { stage: 'business', status: 'new' });
    await event(ids[1], 'business_review.rejected', ago(6), move(['business', 'in_review'], ['closed', 'rejected']));
    await event(ids[2], 'application.received', ago(8), { stage: 'business', status: 'new' });
    await event(ids[2], 'business_review.passed', ago(7), move(['business', 'in_review'], ['security', 'in_review']));
    await event(ids[2], 'information.requested', ago(4), move(['security', 'in_review'], ['security', 'waiting_on_developer']));
    // Outside a 30-day window: received 60 days ago, approved 40 days ago.
    await event(ids[3], 'application.received', ago(60), { stage: 'business', status: 'new' });
    await event(ids[3], 'review.approved', ago(40), move(['architecture', 'in_review'], ['approved', 'approved']));

    const stats = await teamStats({ db: database.db }, { now: clock.now(), days: 30 });
    expect(stats).toMatchObject({ received: 3, approved: 0, rejected: 1 });
    const business = stats.stages.find((s) => s.stage === 'business');
    // Stays in Stage 1: 2 days (a), 4 days (b), 1 day (c).
    expect(business).toMatchObject({ count: 3, medianMs: 2 * DAY });
    expect(business?.p90Ms).toBeCloseTo(3.6 * DAY, -3);
    expect(stats.stages.find((s) => s.stage === 'security')).toMatchObject({ count: 1, medianMs: 8 * DAY });
    expect(stats.stages.find((s) => s.stage === 'architecture')).toMatchObject({ count: 0, medianMs: null });
    expect(stats.waitingOnDeveloper).toMatchObject({ count: 1, medianAgeMs: 4 * DAY });

    const answer = text(await pii(USERS.reviewer, 'stats'));
    expect(answer).toContain('*Received*\n3');
    expect(answer).toContain('*Rejected*\n1');
    expect(answer).toContain('median 2 days · 90th percentile 4 days · 3 stays');
    expect(answer).toContain('*Waiting on developers now*\n1 · median 4 days');

    const longer = await teamStats({ db: database.db }, { now: clock.now(), days: 90 });
    expect(longer).toMatchObject({ received: 4, approved: 1 });
    expect(text(await pii(USERS.reviewer, 'stats 90'))).toContain('last 90 days');
  });
});

describe('/pii new', () => {
  const form = (overrides: Record<string, unknown> = {}) => ({
    'organization.name': input.text('Contoso Manual'),
    'organization.website': input.text('https://contoso.example.com'),
    'contact.email': input.text('dev@contoso.example.com'),
    developerType: input.radio('private'),
    roles: inputMore.multi(['Tax Invoicing']),
    marketplaces: inputMore.multi(['EU', 'DE']),
    useCase: input.text('Invoices for EU merchants.'),
    launchReadiness: input.select('beta'),
    piiRetention: input.select('<31'),
    ...overrides,
  });
  const openForm = async (user: string) => {
    const before = h.emulator.state.views.size;
    const res = await pii(user, 'new');
    expect(res.status).toBe(200);
    await expect.poll(() => h.emulator.state.views.size).toBeGreaterThan(before);
    expect(r.modal(user).view.callback_id).toBe('new_application');
    return r.modal(user).id;
  };

  it('refuses people who are neither reviewer nor admin, naming the roles', async () => {
    const answer = text(await pii(USERS.architect, 'new'));
    expect(answer).toContain('Only a reviewer or an admin');
    expect(h.emulator.state.callsTo('views.open')).toHaveLength(0);
  });

  it('shows schema errors under their inputs and stores nothing', async () => {
    const viewId = await openForm(USERS.reviewer);
    const res = await r.submit(
      USERS.reviewer,
      form({
        'contact.email': input.text('not-an-email'),
        'organization.country': input.text('XX'),
        roles: inputMore.multi(['Pricing']),
      }),
      viewId,
    );
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { 'contact.email': 'Must be an e-mail address.', 'organization.country': expect.stringContaining('ISO 3166') },
    });
    const onlyUnrestricted = await r.submit(USERS.reviewer, form({ roles: inputMore.multi(['Pricing']) }), viewId);
    expect((onlyUnrestricted.json as any).errors.roles).toContain('needs no PII review');
    expect(await database.db.select().from(applications)).toHaveLength(0);
  });

  it('stores a valid entry through the intake use case, generates the profile id, and the card is posted', async () => {
    const viewId = await openForm(USERS.admin);
    const res = await r.submit(USERS.admin, form(), viewId);
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(blockKitProblems('modal', (res.json as any).view)).toEqual([]);
    const [row] = await database.db.select().from(applications);
    expect(row).toMatchObject({
      organizationName: 'Contoso Manual',
      profileId: `manual-${clock.now().getTime()}`,
      stage: 'business',
      status: 'new',
    });
    expect(JSON.stringify((res.json as any).view)).toContain(`#${row?.id}`);
    await h.settle();
    expect(r.card(row?.id ?? 0).text).toContain('Contoso Manual');

    const again = await r.submit(USERS.admin, form({ profileId: input.text(row?.profileId ?? '') }), await openForm(USERS.admin));
    expect((again.json as any).errors.profileId).toContain(`#${row?.id} already has this profile id`);
  });
});

describe('/pii export', () => {
  it('refuses non-admins, naming the role', async () => {
    const answer = text(await pii(USERS.reviewer, 'export'));
    expect(answer).toContain('Only an admin can export');
    expect(h.emulator.state.callsTo('conversations.open')).toHaveLength(0);
  });

  it('acks at once, then DMs the admin CSVs of applications and events without contact data, safely escaped', async () => {
    const [tricky, plain] = await seed([
      { organizationName: '=HYPERLINK("http://evil.example","x"), Inc\nLtd', assigneeId: USERS.reviewer, receivedAt: ago(3) },
      { organizationName: 'Plain Co', receivedAt: ago(2) },
    ]);
    const [outside] = await seed([{ organizationName: 'Long ago', receivedAt: ago(100) }]);
    const ids = [tricky?.id ?? 0, plain?.id ?? 0, outside?.id ?? 0];
    await database.db.insert(events).values([
      {
        applicationId: ids[0] as number,
        type: 'application.received',
        actor: 'intake',
        at: ago(3),
        payload: { stage: 'business' },
      },
      { applicationId: ids[0] as number, type: 'application.claimed', actor: USERS.reviewer, at: ago(1), payload: {} },
      { applicationId: ids[1] as number, type: 'application.received', actor: 'intake', at: ago(2), payload: {} },
      { applicationId: ids[2] as number, type: 'application.received', actor: 'intake', at: ago(100), payload: {} },
    ]);

    const ack = await pii(USERS.admin, 'export 30');
    expect(text(ack)).toContain('Preparing the export of the last 30 days');
    await expect.poll(() => h.emulator.state.callsTo('files.completeUploadExternal').length).toBe(1);
    const [open] = h.emulator.state.callsTo('conversations.open');
    expect(open?.args.users).toBe(USERS.admin);
    const files = [...h.emulator.state.files.values()];
    expect(files.map((f) => f.channel)).toEqual([`D${USERS.admin.slice(1)}`, `D${USERS.admin.slice(1)}`]);
    const content = (name: string) => files.find((f) => f.filename.includes(name))?.content?.toString('utf8') ?? '';

    const apps = content('applications').split('\r\n');
    expect(apps[0]).toBe(
      '"id","profileId","organization","stage","status","received","status since","assignee","rejected at stage","cycle"',
    );
    expect(content('applications')).toContain(
      `${ids[0]},"${tricky?.profileId}","'=HYPERLINK(""http://evil.example"",""x""), Inc\nLtd","business","new",`,
    );
    // "rejected at stage" is empty for an application not rejected; it is in its first cycle.
    expect(content('applications')).toContain(`,"${USERS.reviewer}",,1\r\n`);
    expect(content('applications')).toContain('Plain Co');
    expect(content('applications')).not.toContain('Long ago');
    const all = content('applications') + content('events');
    for (const secret of ['dana@northwind.example.com', '+49 30 1234567', 'AES-256', 'security@northwind']) {
      expect(all).not.toContain(secret);
    }
    const evts = content('events').trim().split('\r\n');
    expect(evts[0]).toBe('"application id","event id","type","actor","at"');
    expect(evts).toHaveLength(4);
    expect(evts[2]).toContain(`"application.claimed","${USERS.reviewer}","${ago(1).toISOString()}"`);
  });

  it('bad day counts answer with the usage', async () => {
    expect(text(await pii(USERS.admin, 'export lots'))).toContain('`/pii export` takes a number of days');
  });

  it('a failed upload is told to the admin', async () => {
    h.emulator.state.faults.push({ method: 'files.getUploadURLExternal', fault: { error: 'not_allowed_token_type' } });
    await pii(USERS.admin, 'export');
    await expect.poll(() => r.ephemeralsFor(USERS.admin).join('\n')).toContain('The export could not be sent');
    expect(h.emulator.state.callsTo('files.completeUploadExternal')).toHaveLength(0);
  });
});

describe('someone without a role', () => {
  it('sees no application through any read command, and is told whom to ask', async () => {
    const [app] = await seed([{ organizationName: 'Hidden Org', stage: 'security', status: 'in_review', statusSince: ago(3) }]);
    for (const command of [
      'queue',
      'queue security',
      `status ${app?.id}`,
      'status Hidden Org',
      'stats',
      'audits',
      'mine',
      'export',
    ]) {
      const answer = text(await pii(USERS.outsider, command));
      expect(answer, command).not.toContain('Hidden Org');
      expect(answer, command).toContain('You hold no role');
      expect(answer, command).toContain(`<@${USERS.admin}>`);
      expect(answer, command).toContain('/pii queue');
    }
    expect(text(await pii(USERS.reviewer, `status ${app?.id}`))).toContain('Hidden Org');
    const paged = await clickEphemeral(USERS.outsider, 'queue.page', 'all:0');
    expect(JSON.stringify(paged)).not.toContain('Hidden Org');
    expect(JSON.stringify(paged)).toContain('You hold no role');
    expect(h.emulator.state.callsTo('files.completeUploadExternal')).toHaveLength(0);
  });
});
