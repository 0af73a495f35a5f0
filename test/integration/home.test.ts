import { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, audits, events, meetings } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createHomeRefresher } from '../../src/dashboard/home-refresher.ts';
import { createLogger } from '../../src/logger.ts';
import { personaRoles } from '../../src/sandbox/personas.ts';
import { LIMITS } from '../../views/limits.ts';
import { blockKitProblems } from '../../views/validate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody, mrkdwnTexts } from '../support/fixtures.ts';
import { BOT_TOKEN, CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { approveInStage3, toStage3 } from '../support/journeys.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';
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
const homeOf = (user: string) => [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === user);
const publishes = (user: string) => h.emulator.state.callsTo('views.publish').filter((c) => c.args.user_id === user).length;

/** Opens the user's Home tab the way Slack reports it, and waits for the bot to publish it. */
async function openHome(user: string) {
  const before = publishes(user);
  const res = await h.slack.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
  expect(res.status).toBe(200);
  await expect.poll(() => publishes(user)).toBe(before + 1);
  const view = homeOf(user);
  if (!view) throw new Error(`no home for ${user}`);
  expect(view.problems).toEqual([]);
  expect(blockKitProblems('home', view.view)).toEqual([]);
  return { view, text: mrkdwnTexts(view.view).join('\n'), json: JSON.stringify(view.view) };
}

describe('App Home', () => {
  it('a reviewer sees what waits on them, unassigned work with Claim, waiting developers and team figures', async () => {
    const [mine, waiting, unassigned] = await seed([
      {
        organizationName: 'My review',
        assigneeId: USERS.reviewer,
        status: 'in_review',
        cardChannel: CHANNEL,
        cardTs: '1767600000.000100',
      },
      {
        organizationName: 'Dev is slow',
        assigneeId: USERS.reviewer,
        stage: 'security',
        status: 'waiting_on_developer',
        statusSince: ago(12),
      },
      { organizationName: 'Free to take', version: 4, cardChannel: CHANNEL, cardTs: '1767600000.000200' },
      { organizationName: 'Done deal', stage: 'closed', status: 'rejected' },
    ]);
    const home = await openHome(USERS.reviewer);
    const waitingTitle = home.text.indexOf('*Waiting on you* (1)');
    expect(waitingTitle).toBeGreaterThan(-1);
    expect(home.text).toContain(`#${mine?.id} My review`);
    expect(home.text).toContain('*Unassigned* (1)');
    expect(home.json).toContain(
      `"action_id":"card.claim","text":{"type":"plain_text","text":"Claim","emoji":true},"style":"primary","value":"${unassigned?.id}:4"`,
    );
    // Seeded without a stored permalink: Slack's archive link to the message, never app_redirect (it opens a channel).
    expect(home.json).toContain('"url":"https://slack.com/archives/G0PIIREVIEW/p1767600000000100"');
    expect(home.text).toContain(`#${waiting?.id} Dev is slow · waiting 12 days`);
    expect(home.text).toContain('*Open*\n3 (Stage 1: 2 · Stage 2: 1 · Stage 3: 0)');
    expect(home.text).not.toContain('Done deal');
    for (const secret of ['dana@northwind.example.com', 'AES-256']) expect(home.json).not.toContain(secret);
  });

  it('an architect sees their Stage 3 reviews and upcoming meetings, and no Claim buttons', async () => {
    const [review] = await seed([
      {
        organizationName: 'Arch one',
        stage: 'architecture',
        status: 'in_review',
        architectId: USERS.architect,
        assigneeId: USERS.reviewer,
      },
      { organizationName: 'Unclaimed', status: 'new' },
      {
        organizationName: 'Arch clarifying',
        stage: 'architecture',
        status: 'waiting_on_developer',
        architectId: USERS.architect,
        assigneeId: USERS.reviewer,
      },
    ]);
    const startsAt = new Date(clock.now().getTime() + 3 * DAY);
    await database.db.insert(meetings).values({
      applicationId: review?.id ?? 0,
      architectId: USERS.architect,
      startsAt,
      durationMinutes: 90,
      agenda: 'flows',
      scheduledBy: USERS.reviewer,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    const home = await openHome(USERS.architect);
    expect(home.text).toContain('Arch one');
    expect(home.text).toContain('you are the architect');
    // Waiting on the developer is nobody's work on the team: not the architect's either.
    expect(home.text).toContain('*Waiting on you* (1)');
    const developers = home.text.indexOf('*Waiting on developers* (1)');
    expect(developers).toBeGreaterThan(-1);
    expect(home.text.indexOf('Arch clarifying')).toBeGreaterThan(developers);
    expect(home.text).toContain(`<!date^${startsAt.getTime() / 1000}^`);
    expect(home.text).toContain('(90 min)');
    expect(home.json).not.toContain('card.claim');
    expect(home.text).not.toContain('*Unassigned* (');
  });

  it('an admin with many unassigned applications sees a capped list that says how many more, and audits in flight', async () => {
    await seed(Array.from({ length: 30 }, (_, i) => ({ organizationName: `Pending ${i}`, statusSince: ago(30 - i) })));
    const [live] = await seed([
      { organizationName: 'Live app', stage: 'approved', status: 'approved', productionSince: ago(100) },
    ]);
    const [scheduledLate] = await seed([
      {
        organizationName: 'Booked late',
        stage: 'approved',
        status: 'approved',
        productionSince: ago(95),
        auditStatus: 'scheduled',
      },
    ]);
    await database.db.insert(audits).values({
      applicationId: scheduledLate?.id ?? 0,
      auditor: 'PwC',
      scheduledFor: ago(1),
      scheduledBy: USERS.admin,
    });
    const home = await openHome(USERS.admin);
    expect(home.view.view.blocks as unknown[]).toHaveProperty('length');
    expect((home.view.view.blocks as unknown[]).length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(home.text).toContain('*Unassigned* (30)');
    expect(home.text).toContain('…and 20 more — use `/pii queue`');
    expect(home.text.indexOf('Pending 0')).toBeLessThan(home.text.indexOf('Pending 1 '));
    // Eligible is counted, not listed as due; an audit whose date passed awaits its outcome.
    expect(home.text).not.toContain(`#${live?.id} Live app`);
    expect(home.text).toContain('1 eligible for an audit, none scheduled');
    expect(home.text).toContain('Booked late');
    expect(home.text).toContain('awaiting the outcome');
  });

  it('lists audits awaiting an outcome or within 30 days, access at risk and suspended, and the last 30 days’ arrivals and approvals', async () => {
    const later = (days: number) => new Date(clock.now().getTime() + days * DAY);
    const old = { receivedAt: ago(200), submittedAt: ago(200), updatedAt: ago(200), statusSince: ago(200) };
    const approved = { ...old, stage: 'approved', status: 'approved', approvedAt: ago(150), accessStatus: 'active' } as const;
    const past = await seed(
      Array.from({ length: 11 }, (_, i) => ({
        ...approved,
        organizationName: `Awaiting ${i}`,
        productionSince: ago(120 - i),
        auditStatus: 'scheduled',
      })),
    );
    const [farAhead, early] = await seed([
      { ...approved, organizationName: 'Booked far ahead', productionSince: ago(95), auditStatus: 'scheduled' },
      { ...approved, organizationName: 'Booked early', productionSince: ago(30), auditStatus: 'scheduled' },
      { ...approved, organizationName: 'Eligible one', productionSince: ago(100) },
      { ...approved, organizationName: 'Just live', productionSince: ago(10) },
      { ...approved, organizationName: 'Audited', productionSince: ago(130), auditStatus: 'passed' },
      { ...approved, organizationName: 'Risky', accessStatus: 'at_risk', accessSince: ago(2), accessReason: 'inactive' },
      { ...approved, organizationName: 'Held', accessStatus: 'suspended', accessSince: ago(1), accessReason: 'other' },
    ]);
    const audit = (applicationId: number | undefined, scheduledFor: Date) => ({
      applicationId: applicationId ?? 0,
      auditor: 'PwC',
      scheduledFor,
      scheduledBy: USERS.admin,
    });
    await database.db
      .insert(audits)
      .values([...past.map((p, i) => audit(p?.id, ago(20 - i))), audit(farAhead?.id, later(45)), audit(early?.id, later(5))]);
    const flow = await seed([
      { organizationName: 'Received today' },
      { ...old, organizationName: 'Received 29 days ago', receivedAt: ago(29) },
      { ...old, organizationName: 'Received 31 days ago', receivedAt: ago(31) },
      { ...approved, organizationName: 'Approved last week', approvedAt: ago(7) },
      { ...approved, organizationName: 'Approved 40 days ago', approvedAt: ago(40) },
    ]);
    // The figures are read from the events, as /pii stats reads them.
    const received = { type: 'application.received', actor: 'intake', payload: { stage: 'business', status: 'new' } };
    const approval = {
      type: 'review.approved',
      actor: USERS.architect,
      payload: { before: { stage: 'architecture', status: 'in_review' }, after: { stage: 'approved', status: 'approved' } },
    };
    await database.db.insert(events).values(
      [
        { ...received, at: clock.now() },
        { ...received, at: ago(29) },
        { ...received, at: ago(31) },
        { ...approval, at: ago(7) },
        { ...approval, at: ago(40) },
      ].map((e, i) => ({ ...e, applicationId: flow[i]?.id ?? 0 })),
    );
    const home = await openHome(USERS.admin);
    // 11 awaiting an outcome (oldest date first), one booked in 5 days.
    expect(home.text).toContain('*Audits awaiting an outcome or within 30 days* (12)');
    expect(home.text).toContain('Awaiting 0');
    expect(home.text).toContain('Awaiting 9');
    expect(home.text).not.toContain('Awaiting 10');
    expect(home.text).toContain('…and 2 more — use `/pii audits`');
    expect(home.text).toContain('*Access at risk or suspended* (2)');
    expect(home.text).toContain('Risky');
    expect(home.text).toContain('Held');
    expect(home.text).toContain('1 eligible for an audit, none scheduled');
    for (const absent of ['Booked far ahead', 'Just live', 'Audited', 'Eligible one']) expect(home.text).not.toContain(absent);
    expect(home.text).toContain('*Last 30 days*\n2 received · 1 approved');
  });

  it('the last 30 days’ figures are those of /pii stats 30, after a role review and a resubmission', async () => {
    // Approved on 2026-03-03, then in a role review from 2026-03-05: open again, approved still.
    const { id, body } = await toStage3(h, r, { roles: ['Direct-to-Consumer Shipping'] });
    await approveInStage3(r, clock, id, new Date('2026-03-03T18:00:00Z'));
    clock.set('2026-03-05T09:00:00Z');
    const roleReview = await h.intake({ ...body, roles: [...body.roles, 'Tax Remittance'] });
    expect(roleReview.json).toMatchObject({ outcome: 'updated', stage: 'business', status: 'new' });
    // Rejected at Stage 1, then resubmitted: its second cycle is received too.
    const first = applicationBody();
    const other = (await h.intake(first)).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, other, 'card.business_review', {
      ...ALL_PASS,
      'criterion.launch_readiness': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant the requested roles at this time.'),
    });
    clock.set('2026-03-06T09:00:00Z');
    const again = await h.intake({ ...first, launchReadiness: 'beta' });
    expect(again.json).toMatchObject({ outcome: 'resubmitted', cycle: 2 });
    await h.settle();

    const stats = mrkdwnTexts((await h.slack.command({ user: USERS.admin, text: 'stats 30' })).json).join('\n');
    expect(stats).toContain('*Received*\n3');
    expect(stats).toContain('*Approved*\n1');
    const home = await openHome(USERS.admin);
    expect(home.text).toContain('*Last 30 days*\n3 received · 1 approved');
  });

  it('someone without a role sees no application', async () => {
    await seed([{ organizationName: 'Secret Corp' }]);
    const home = await openHome(USERS.outsider);
    expect(home.text).toContain('no role');
    expect(home.text).not.toContain('Secret Corp');
  });

  it('ignores the Messages tab', async () => {
    await h.slack.event({ type: 'app_home_opened', user: USERS.reviewer, channel: 'D0REVIEW01', tab: 'messages' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publishes(USERS.reviewer)).toBe(0);
  });

  it('Claim on the Home claims the application through the card’s own listener', async () => {
    const [app] = await seed([{ organizationName: 'Claim me' }]);
    const home = await openHome(USERS.reviewer2);
    const res = await h.slack.viewAction({
      user: USERS.reviewer2,
      viewId: home.view.id,
      action: { actionId: 'card.claim', blockId: `home.claim.${app?.id}`, value: `${app?.id}:1` },
    });
    expect(res.status).toBe(200);
    const [row] = await database.db
      .select()
      .from(applications)
      .where(eq(applications.id, app?.id ?? 0));
    expect(row).toMatchObject({ assigneeId: USERS.reviewer2, status: 'in_review', version: 2 });
    // The clicker's Home shows the claim at once (the team's Homes follow, debounced).
    await expect.poll(() => publishes(USERS.reviewer2)).toBe(2);
    const after = homeOf(USERS.reviewer2);
    const text = mrkdwnTexts(after?.view).join('\n');
    expect(text).toContain('*Waiting on you* (1)');
    expect(text).toContain('*Unassigned* (0)');
    expect(JSON.stringify(after?.view)).not.toContain(`home.claim.${app?.id}`);
  });

  // A Home click has no response_url: the refusal comes as an ephemeral in the review channel.
  it('a refused Claim on the Home (already claimed) is told to the user', async () => {
    const [app] = await seed([{ organizationName: 'Taken', assigneeId: USERS.reviewer, status: 'in_review', version: 2 }]);
    const home = await openHome(USERS.reviewer2);
    await h.slack.viewAction({
      user: USERS.reviewer2,
      viewId: home.view.id,
      action: { actionId: 'card.claim', blockId: `home.claim.${app?.id}`, value: `${app?.id}:2` },
    });
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain('has already claimed it');
  });

  it('a Claim on a Home that was out of date shows the Home as it is now, at once', async () => {
    const [app] = await seed([{ organizationName: 'Claimed meanwhile' }]);
    const home = await openHome(USERS.reviewer2);
    expect(JSON.stringify(home.view)).toContain(`home.claim.${app?.id}`);
    // Another reviewer claimed it since this Home was published.
    await database.db
      .update(applications)
      .set({ assigneeId: USERS.reviewer, status: 'in_review', version: 2 })
      .where(eq(applications.id, app?.id ?? 0));
    await h.slack.viewAction({
      user: USERS.reviewer2,
      viewId: home.view.id,
      action: { actionId: 'card.claim', blockId: `home.claim.${app?.id}`, value: `${app?.id}:1` },
    });
    await expect.poll(() => publishes(USERS.reviewer2)).toBe(2);
    expect(JSON.stringify(homeOf(USERS.reviewer2)?.view)).not.toContain(`home.claim.${app?.id}`);
    expect(r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain('Already decided');
  });

  it('the Open card link button is acknowledged', async () => {
    const [app] = await seed([
      { organizationName: 'Linked', assigneeId: USERS.reviewer, cardChannel: CHANNEL, cardTs: '1767600000.000300' },
    ]);
    const home = await openHome(USERS.reviewer);
    const started = Date.now();
    const res = await h.slack.viewAction({
      user: USERS.reviewer,
      viewId: home.view.id,
      action: { actionId: 'home.open_card', blockId: `home.waiting.${app?.id}`, value: String(app?.id) },
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('Home refresher', () => {
  const refresher = () =>
    createHomeRefresher({
      db: database.db,
      slack: new WebClient(BOT_TOKEN, { slackApiUrl: h.emulator.apiUrl, retryConfig: { retries: 0 } }),
      clock,
      logger: createLogger('silent'),
      policy: loadConfig({}).policy,
      roles: personaRoles(),
      debounceMs: 100,
      minIntervalMs: 0,
    });

  it('publishes once per user for a burst of touches, with the current content', async () => {
    const homes = refresher();
    const [app] = await seed([{ organizationName: 'Before', assigneeId: USERS.reviewer, status: 'in_review' }]);
    homes.touch([USERS.reviewer, USERS.architect]);
    homes.touch([USERS.reviewer]);
    await database.db
      .update(applications)
      .set({ organizationName: 'After' })
      .where(eq(applications.id, app?.id ?? 0));
    homes.touch([USERS.reviewer]);
    await expect.poll(() => publishes(USERS.reviewer)).toBe(1);
    await expect.poll(() => publishes(USERS.architect)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publishes(USERS.reviewer)).toBe(1);
    expect(JSON.stringify(homeOf(USERS.reviewer)?.view)).toContain(`#${app?.id} After`);
    await homes.stop();
  });

  it('touchTeam republishes every role holder; flush publishes without waiting', async () => {
    const homes = refresher();
    homes.touchTeam();
    expect(homes.pending()).toBe(4);
    await homes.flush();
    for (const user of [USERS.reviewer, USERS.reviewer2, USERS.architect, USERS.admin]) expect(publishes(user)).toBe(1);
    expect(publishes(USERS.outsider)).toBe(0);
    await homes.stop();
  });
});

describe('Homes after the scheduled sweep', () => {
  const sweepClock = new FakeClock('2026-03-02T10:00:00Z');
  let sweptDatabase: TestDatabase;
  let swept: Harness;

  beforeAll(async () => {
    sweptDatabase = await createTestDatabase();
    swept = await startHarness(sweptDatabase, {
      clock: sweepClock,
      policy: loadConfig({ REMINDER_SWEEP_MS: '50' }).policy,
      homeRefresh: { debounceMs: 50 },
    });
  });
  afterAll(async () => {
    await swept?.stop();
    await sweptDatabase?.close();
  });

  const published = (user: string) => swept.emulator.state.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
  const homeText = (user: string) =>
    mrkdwnTexts([...swept.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === user)?.view).join('\n');

  it('a sweep that puts access at risk republishes the Homes, which show it', async () => {
    const id = (await swept.intake(applicationBody())).json.id as number;
    await swept.settle();
    const approvedAt = sweepClock.now();
    await sweptDatabase.db
      .update(applications)
      .set({ stage: 'approved', status: 'approved', approvedAt, statusSince: approvedAt, accessStatus: 'active' })
      .where(eq(applications.id, id));
    // The intake's own refresh (paced, 600 ms a publish) has gone out; from here on only the sweep can publish.
    const team = [USERS.reviewer, USERS.reviewer2, USERS.architect, USERS.admin];
    await expect.poll(() => team.every((u) => published(u) > 0), { timeout: 5_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const before = published(USERS.admin);
    expect(homeText(USERS.admin)).toContain('*Access at risk or suspended* (0)');

    // No restricted call in the grace period after approval: the next sweep finds access at risk.
    sweepClock.set('2026-04-01T10:00:00Z');
    await expect.poll(async () => (await sweptDatabase.db.select().from(applications))[0]?.accessStatus).toBe('at_risk');
    await expect.poll(() => published(USERS.admin), { timeout: 5_000 }).toBeGreaterThan(before);
    await expect.poll(() => homeText(USERS.admin)).toContain('*Access at risk or suspended* (1)');
    expect(published(USERS.reviewer)).toBeGreaterThan(0);
  });
});
