import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, audits, meetings, remediationItems } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { type DemoResult, loadDemoData } from '../../src/sandbox/demo.ts';
import { personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { mrkdwnTexts } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { reviewer } from '../support/reviewer.ts';

const policy = loadConfig({}).policy;
// A Wednesday morning, after the digest hour.
const clock = new FakeClock('2026-03-04T10:00:00Z');
const DAY = 86_400_000;
let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
let loaded: DemoResult;
const demoDeps = () => ({ db: database.db, clock, roles: personaRoles(), questionnaire: loadQuestionnaire(), policy });

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
  loaded = await loadDemoData(demoDeps());
  await h.settle();
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

const all = () => database.db.select().from(applications);
const byOrg = async (name: string) => {
  const [row] = await database.db.select().from(applications).where(eq(applications.organizationName, name));
  if (!row) throw new Error(`no application of ${name}`);
  return row;
};
const texts = (view: unknown) => mrkdwnTexts(view).join('\n');

async function homeOf(user: string): Promise<string> {
  const publishes = () => h.emulator.state.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
  const before = publishes();
  await h.slack.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
  await expect.poll(publishes).toBe(before + 1);
  const view = [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === user);
  expect(view?.problems).toEqual([]);
  return texts(view?.view);
}

/** The "Waiting on you" section of a Home, up to the next section. */
const waitingSection = (home: string) => home.slice(home.indexOf('*Waiting on you*'), home.indexOf('*Unassigned*') >>> 0);

describe('Load demo data', () => {
  it('builds a dozen applications in every stage and state through the use cases', async () => {
    expect(loaded.outcome).toBe('loaded');
    const rows = await all();
    expect(rows.length).toBeGreaterThanOrEqual(12);
    const where = (row: (typeof rows)[number]) => `${row.stage}/${row.status}`;
    const states = new Set(rows.map(where));
    for (const state of [
      'business/new',
      'business/in_review',
      'security/in_review',
      'security/waiting_on_developer',
      'architecture/in_review',
      'architecture/new',
      'architecture/waiting_on_developer',
      'approved/approved',
      'closed/rejected',
      'closed/withdrawn',
    ]) {
      expect(states, state).toContain(state);
    }

    expect((await byOrg('Maple Ledger Inc.')).assigneeId).toBe(USERS.reviewer);
    const [meeting] = await database.db
      .select()
      .from(meetings)
      .where(eq(meetings.applicationId, (await byOrg('Bright Harbor Consulting LLC')).id));
    const ahead = (meeting?.startsAt.getTime() ?? 0) - clock.now().getTime();
    expect(meeting?.status).toBe('scheduled');
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThan(2 * DAY);

    const live = await byOrg('Fjord Freight AS');
    expect(Math.round((clock.now().getTime() - (live.productionSince?.getTime() ?? 0)) / DAY)).toBe(100);
    expect(live.lastRestrictedCallAt).not.toBeNull();

    const [audit] = await database.db
      .select()
      .from(audits)
      .where(eq(audits.applicationId, (await byOrg('Prairie Invoice Co.')).id));
    expect(audit?.status).toBe('scheduled');
    expect(audit?.scheduledFor.getTime()).toBeGreaterThan(clock.now().getTime());

    const items = await database.db
      .select({ dueOn: remediationItems.dueOn, closedAt: remediationItems.closedAt })
      .from(remediationItems)
      .innerJoin(audits, eq(audits.id, remediationItems.auditId))
      .where(eq(audits.applicationId, (await byOrg('Harbour Lights Trading Ltd')).id));
    expect(items.some((i) => !i.closedAt && i.dueOn.getTime() < clock.now().getTime())).toBe(true);

    // Histories lie in the past, as they happened: the oldest application was received months ago.
    const oldest = Math.min(...rows.map((row) => row.receivedAt.getTime()));
    expect(clock.now().getTime() - oldest).toBeGreaterThan(250 * DAY);
  });

  it('posts every card, and a thread of its decisions under each application past intake', async () => {
    const rows = await all();
    for (const row of rows) {
      expect(row.cardTs, row.organizationName).toBeTruthy();
      if (row.status === 'new' && row.stage === 'business') continue;
      expect(r.threadOf(row.id).length, `thread of ${row.organizationName}`).toBeGreaterThan(0);
    }
    expect(r.threadOf((await byOrg('QuickShip Labels Ltd')).id).join('\n')).toMatch(/reject/i);
    const files = h.emulator.state.callsTo('files.completeUploadExternal').length;
    expect(files).toBeGreaterThanOrEqual(4); // questionnaires and calendar invites in the threads
  });

  it('shows each persona what waits on them in the App Home', async () => {
    const riley = waitingSection(await homeOf(USERS.reviewer));
    expect(riley).toContain('Maple Ledger Inc.');
    expect(riley).toContain('Nordlicht Versand GmbH');
    const sam = waitingSection(await homeOf(USERS.reviewer2));
    expect(sam).toContain('Al Noor Commerce FZ-LLC');
    expect(sam).toContain('Bright Harbor Consulting LLC');
    const ada = await homeOf(USERS.architect);
    expect(waitingSection(ada)).toContain('Bright Harbor Consulting LLC');
    expect(waitingSection(ada)).toContain('Sakura Tax Solutions K.K.');
    expect(ada).toContain('*Upcoming architecture reviews* (1)');
    const morgan = await homeOf(USERS.admin);
    expect(waitingSection(morgan)).toContain('Lumen Retail Analytics GmbH');
    expect(morgan).toContain('Southern Cross Parcel Pty Ltd'); // unassigned, with Claim
    expect(morgan).toMatch(/Audits awaiting an outcome or within 30 days\* \([1-9]/);
    expect(await homeOf(USERS.outsider)).toContain('You hold no role');
  });

  it('fills /pii queue, /pii audits and the digest at once', async () => {
    const answer = async (text: string) => JSON.stringify((await h.slack.command({ user: USERS.reviewer, text })).json);
    const queued = await answer('queue');
    for (const org of ['Southern Cross Parcel', 'Maple Ledger', 'Loja Rápida', 'Sakura Tax']) expect(queued).toContain(org);
    const audited = await answer('audits');
    for (const org of ['Fjord Freight AS', 'Prairie Invoice Co.', 'Harbour Lights Trading Ltd']) expect(audited).toContain(org);

    const swept = await sweepReminders({ db: database.db, policy, clock, roles: personaRoles() }, clock.now());
    expect(swept.claimed.map((c) => c.kind)).toContain('digest');
    await h.settle();
    const digest = h.emulator.state.messages.find((m) => m.channel === CHANNEL && !m.threadTs && /digest/i.test(m.text));
    expect(digest, 'the digest in the channel').toBeDefined();
    const digestText = `${digest?.text}\n${texts(digest?.blocks)}`;
    expect(digestText).toContain('Al Noor Commerce FZ-LLC');
  });

  it('keeps approved applications live: their access active after a sweep, and only the neglected one at risk', async () => {
    await sweepReminders({ db: database.db, policy, clock, roles: personaRoles() }, clock.now());
    const access = async (org: string) => (await byOrg(org)).accessStatus;
    expect(await access('Fjord Freight AS')).toBe('active');
    expect(await access('Prairie Invoice Co.')).toBe('active');
    expect(await access('Harbour Lights Trading Ltd')).toBe('at_risk');
    const fjord = await byOrg('Fjord Freight AS');
    expect(clock.now().getTime() - (fjord.lastRestrictedCallAt?.getTime() ?? 0)).toBeLessThan(7 * DAY);
    const made = loaded.outcome === 'loaded' ? loaded.applications : [];
    expect(made.find((a) => a.organization === 'Fjord Freight AS')?.shows).toContain('eligible for an audit');
    for (const a of made) expect(a.shows, a.organization).not.toMatch(/audit due|overdue audit/);
  });

  it('is refused once loaded, and changes nothing', async () => {
    const before = (await all()).length;
    expect(await loadDemoData(demoDeps())).toEqual({ outcome: 'already_loaded', count: before });
    expect((await all()).length).toBe(before);
  });
});
