import { WebClient } from '@slack/web-api';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, audits, meetings, outbox, remediationItems, reminders, restrictedCalls } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createOutboxDispatcher } from '../../src/jobs/outbox-dispatcher.ts';
import { createLogger } from '../../src/logger.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { personaRoles } from '../../src/sandbox/personas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { ADMIN_API_TOKEN, BOT_TOKEN, CHANNEL, type Harness, INTAKE_TOKEN, startHarness, USERS } from '../support/harness.ts';

const policy = loadConfig({}).policy;
let database: TestDatabase;
let h: Harness;
// Monday 2026-03-02 10:00 UTC (after the 08:00 UTC digest hour).
const clock = new FakeClock('2026-03-02T10:00:00Z');
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-03-02T10:00:00Z');
  await h.reset();
});

async function application(patch: Partial<typeof applications.$inferInsert> = {}) {
  const id = (await h.intake(applicationBody())).json.id as number;
  await h.settle();
  await database.db
    .update(applications)
    .set({ assigneeId: USERS.reviewer, ...patch })
    .where(eq(applications.id, id));
  return id;
}
/** What the restricted-call use case writes: the call, and its time on the application. */
async function recordCall(id: number, when: Date) {
  await database.db
    .insert(restrictedCalls)
    .values({ applicationId: id, at: when, operation: 'getOrder', recordedBy: 'intake', recordedAt: clock.now() });
  await database.db.update(applications).set({ lastRestrictedCallAt: when }).where(eq(applications.id, id));
}
const sweep = (iso: string, dryRun = false) => sweepReminders({ db: database.db, policy, clock }, at(iso), { dryRun });
const kinds = (r: { claimed: { kind: string }[] }) => r.claimed.map((c) => c.kind).filter((k) => k !== 'digest');
const threadLines = () => h.emulator.state.messages.filter((m) => m.threadTs).map((m) => m.text);

describe('reminders of an application nobody owns', () => {
  const unassigned = () => application({ assigneeId: null, status: 'in_review', statusSince: at('2026-03-02T10:00:00Z') });

  it('mention every reviewer in REVIEWER_IDS', async () => {
    await unassigned();
    await sweepReminders({ db: database.db, policy, clock, roles: personaRoles() }, at('2026-03-09T10:00:00Z'));
    await h.settle();
    const reviewers = personaRoles()
      .reviewers.map((id) => `<@${id}>`)
      .join(' ');
    expect(reviewers).not.toBe('');
    expect(threadLines().at(-1)).toContain(
      `${reviewers} (nobody is assigned): this application has not moved for 5 business days.`,
    );
  });

  it('mention the reviewer group when REVIEWER_GROUP_ID is set', async () => {
    await unassigned();
    const grouped = loadConfig({ REVIEWER_GROUP_ID: 'S0REVIEWERS' }).policy;
    await sweepReminders({ db: database.db, policy: grouped, clock, roles: personaRoles() }, at('2026-03-09T10:00:00Z'));
    await h.settle();
    expect(threadLines().at(-1)).toContain('<!subteam^S0REVIEWERS> (nobody is assigned): this application has not moved');
  });

  it('still mention the assignee when there is one', async () => {
    await application({ status: 'in_review', statusSince: at('2026-03-02T10:00:00Z') });
    await sweepReminders({ db: database.db, policy, clock, roles: personaRoles() }, at('2026-03-09T10:00:00Z'));
    await h.settle();
    expect(threadLines().at(-1)).toContain(`<@${USERS.reviewer}>: this application has not moved`);
    expect(threadLines().at(-1)).not.toContain('nobody is assigned');
  });
});

describe('each reminder kind is due at its instant, not before', () => {
  it('stale stage: after 5 business days in one status (a weekend does not count)', async () => {
    await application({ status: 'in_review', statusSince: at('2026-03-02T10:00:00Z') });
    expect(kinds(await sweep('2026-03-09T09:00:00Z'))).toEqual([]); // Monday + 4 business days and a weekend
    expect(kinds(await sweep('2026-03-09T10:00:00Z'))).toEqual(['stale']);
    await h.settle();
    expect(threadLines().at(-1)).toContain(`<@${USERS.reviewer}>: this application has not moved for 5 business days.`);
    expect(threadLines().at(-1)).toContain(
      `In this status since <!date^${Math.floor(at('2026-03-02T10:00:00Z').getTime() / 1000)}^`,
    );
  });

  it('waiting on the developer: after 14 days', async () => {
    await application({ stage: 'security', status: 'waiting_on_developer', statusSince: at('2026-03-02T10:00:00Z') });
    expect(kinds(await sweep('2026-03-15T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-03-16T10:00:00Z'))).toEqual(['waiting']);
  });

  it('the architecture meeting: 24 hours and 1 hour before, to the architect and the assignee', async () => {
    const id = await application({
      stage: 'architecture',
      status: 'in_review',
      statusSince: at('2026-03-02T10:00:00Z'),
      architectId: USERS.architect,
    });
    const now = clock.now();
    await database.db.insert(meetings).values({
      applicationId: id,
      architectId: USERS.architect,
      startsAt: at('2026-03-04T16:00:00Z'),
      durationMinutes: 60,
      agenda: 'a',
      scheduledBy: USERS.reviewer,
      createdAt: now,
      updatedAt: now,
    });
    expect(kinds(await sweep('2026-03-03T15:59:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-03-03T16:00:00Z'))).toEqual(['meeting']);
    expect(kinds(await sweep('2026-03-04T14:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-03-04T15:00:00Z'))).toEqual(['meeting']);
    await h.settle();
    const lines = threadLines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`<@${USERS.architect}> <@${USERS.reviewer}> the architecture review starts`);
    // How soon, as a token each reader's client keeps current, never "in 24 h" frozen into the text.
    expect(lines[0]).toContain(`<!date^${Math.floor(at('2026-03-04T16:00:00Z').getTime() / 1000)}^{ago}|`);
  });

  it('no stale reminder while an architecture review is scheduled ahead; stale again once it has passed', async () => {
    const id = await application({ stage: 'architecture', status: 'in_review', statusSince: at('2026-03-02T10:00:00Z') });
    const now = clock.now();
    await database.db.insert(meetings).values({
      applicationId: id,
      architectId: USERS.architect,
      startsAt: at('2026-03-20T16:00:00Z'),
      durationMinutes: 60,
      agenda: 'a',
      scheduledBy: USERS.reviewer,
      createdAt: now,
      updatedAt: now,
    });
    expect(kinds(await sweep('2026-03-16T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-03-23T10:00:00Z'))).toEqual(['stale']);
  });

  it('no restricted call within the grace period after approval: at risk, reminded once per period', async () => {
    const id = await application({
      stage: 'approved',
      status: 'approved',
      approvedAt: at('2026-03-02T10:00:00Z'),
      accessStatus: 'active',
      statusSince: at('2026-03-02T10:00:00Z'),
    });
    expect(kinds(await sweep('2026-03-31T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-04-01T10:00:00Z'))).toEqual(['access_at_risk']);
    expect(kinds(await sweep('2026-04-02T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-04-30T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-05-01T10:00:00Z'))).toEqual(['access_at_risk']);
    await recordCall(id, at('2026-05-02T00:00:00Z'));
    expect(kinds(await sweep('2026-05-15T10:00:00Z'))).toEqual([]);
  });

  it('eligible for an audit 90 days after go-live: no reminder, once in a digest; audit tomorrow; remediation item due', async () => {
    const id = await application({
      stage: 'approved',
      status: 'approved',
      approvedAt: at('2025-11-01T00:00:00Z'),
      accessStatus: 'active',
      productionSince: at('2026-03-02T00:00:00Z'),
    });
    await recordCall(id, at('2026-05-20T00:00:00Z'));
    expect(kinds(await sweep('2026-05-30T23:00:00Z'))).toEqual([]);
    // Eligible is not overdue: before the digest hour nothing at all, then one digest line, then nothing.
    expect(kinds(await sweep('2026-05-31T00:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-05-31T10:00:00Z'))).toEqual(['audit_eligible']);
    expect(kinds(await sweep('2026-06-01T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-06-07T10:00:00Z'))).toEqual([]);
    const [audit] = await database.db
      .insert(audits)
      .values({ applicationId: id, auditor: 'PwC', scheduledFor: at('2026-06-20T09:00:00Z'), scheduledBy: USERS.reviewer })
      .returning();
    await database.db.update(applications).set({ auditStatus: 'scheduled' }).where(eq(applications.id, id));
    expect(kinds(await sweep('2026-06-18T09:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-06-19T09:00:00Z'))).toEqual(['audit_tomorrow']);
    await database.db
      .update(audits)
      .set({ status: 'remediation' })
      .where(eq(audits.id, audit?.id ?? 0));
    await database.db
      .insert(remediationItems)
      .values({ auditId: audit?.id ?? 0, text: 'Rotate keys', dueOn: at('2026-07-01T00:00:00Z') });
    expect(kinds(await sweep('2026-06-30T23:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-07-01T00:00:00Z'))).toEqual(['remediation_due']);
    expect(kinds(await sweep('2026-07-07T00:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-07-08T00:00:00Z'))).toEqual(['remediation_due']);
  });

  it('eligible for an audit after that day’s digest went out: named once, in the next day’s digest', async () => {
    // Live since mid-afternoon: eligible on 2026-05-31 at 14:00 UTC, after the 08:00 digest.
    const id = await application({
      stage: 'approved',
      status: 'approved',
      approvedAt: at('2025-11-01T00:00:00Z'),
      accessStatus: 'active',
      productionSince: at('2026-03-02T14:00:00Z'),
    });
    await recordCall(id, at('2026-05-20T00:00:00Z'));
    const digestOf = (date: string) =>
      JSON.stringify(
        h.emulator.state.messages.find((m) => !m.threadTs && JSON.stringify(m.blocks).includes(`Daily review digest · ${date}`))
          ?.blocks,
      );
    expect(kinds(await sweep('2026-05-31T10:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-05-31T15:00:00Z', true))).toEqual([]);
    expect(kinds(await sweep('2026-05-31T15:00:00Z'))).toEqual([]);
    expect(kinds(await sweep('2026-06-01T10:00:00Z', true))).toEqual(['audit_eligible']);
    expect(kinds(await sweep('2026-06-01T10:00:00Z'))).toEqual(['audit_eligible']);
    expect(kinds(await sweep('2026-06-02T10:00:00Z'))).toEqual([]);
    await h.settle();
    expect(digestOf('2026-05-31')).not.toContain('Newly eligible');
    expect(digestOf('2026-06-01')).toContain('Newly eligible for an audit');
    expect(digestOf('2026-06-01')).toContain(`#${id}`);
    expect(digestOf('2026-06-02')).not.toContain('Newly eligible');
    expect(await database.db.select().from(reminders).where(eq(reminders.kind, 'audit_eligible'))).toHaveLength(1);
  });
});

describe('claims', () => {
  it('posts each reminder once however many sweeps run, and one digest a day', async () => {
    await application({ status: 'in_review', statusSince: at('2026-02-01T10:00:00Z') });
    const first = await sweep('2026-03-02T10:00:00Z');
    expect(first.claimed.map((c) => c.kind).sort()).toEqual(['digest', 'stale']);
    expect((await sweep('2026-03-02T10:01:00Z')).claimed).toEqual([]);
    await h.settle();
    expect(threadLines()).toHaveLength(1);
    const digests = h.emulator.state.messages.filter((m) => !m.threadTs && m.text.startsWith('Daily digest'));
    expect(digests).toHaveLength(1);
    expect(JSON.stringify(digests[0]?.blocks)).toContain('Stale applications');
  });

  it('a dry run claims nothing', async () => {
    await application({ status: 'in_review', statusSince: at('2026-02-01T10:00:00Z') });
    expect(kinds(await sweep('2026-03-02T10:00:00Z', true))).toEqual(['stale']);
    expect(await database.db.select().from(reminders)).toEqual([]);
  });

  it('POST /api/reminders/sweep (what npm run remind uses with PGlite) sweeps as if at the instant given and delivers', async () => {
    await application({
      stage: 'approved',
      status: 'approved',
      approvedAt: at('2025-11-01T00:00:00Z'),
      accessStatus: 'active',
      productionSince: at('2026-01-01T00:00:00Z'),
    });
    const post = (body: unknown, token = ADMIN_API_TOKEN) =>
      fetch(`${h.baseUrl}/api/reminders/sweep`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // The intake token does not drive the scheduler.
    expect((await post({ at: '2026-03-02T10:00:00Z' }, INTAKE_TOKEN)).status).toBe(401);
    // An instant still to come is a dry run: what would be due, nothing claimed.
    const ahead = await post({ at: '2026-06-10T09:00:00Z' });
    expect(ahead.status).toBe(200);
    const preview = await ahead.json();
    expect(preview).toMatchObject({ dryRun: true, delivered: true });
    expect(preview.reminders.map((r: { kind: string }) => r.kind).sort()).toEqual(['access_at_risk', 'digest']);
    expect(await database.db.select().from(reminders)).toEqual([]);
    clock.set('2026-06-10T09:00:00Z');
    const response = await post({ at: '2026-06-10T09:00:00Z' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ at: '2026-06-10T09:00:00.000Z', dryRun: false, delivered: true });
    expect(body.reminders.map((r: { kind: string }) => r.kind).sort()).toEqual(['access_at_risk', 'digest']);
    expect(threadLines().some((l) => l.includes('*access at risk* since'))).toBe(true);
    const unauthorized = await fetch(`${h.baseUrl}/api/reminders/sweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unauthorized.status).toBe(401);
  });

  it('POST /api/reminders/sweep is not served to a request a proxy or tunnel on this host forwarded', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${h.baseUrl}/api/reminders/sweep`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ at: clock.now().toISOString() }),
      });
    // The connection comes from 127.0.0.1 either way; the proxy's headers say who is behind it.
    const forwardedBy: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7;proto=https' },
      { 'x-real-ip': '203.0.113.7' },
      { 'cf-connecting-ip': '203.0.113.7' },
    ];
    for (const headers of forwardedBy) {
      const refused = await post(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(404);
      expect(await refused.json()).toEqual({ error: 'Not found.' });
    }
    expect((await post({})).status).toBe(200);
  });

  it('POST /api/reminders/sweep waits through a retry, and does not call delivered what Slack refused', async () => {
    await application({ status: 'in_review', statusSince: at('2026-02-01T10:00:00Z') });
    const sweepNow = async () => {
      const response = await fetch(`${h.baseUrl}/api/reminders/sweep`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ at: clock.now().toISOString() }),
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    const digests = () => h.emulator.state.messages.filter((m) => !m.threadTs && m.text.startsWith('Daily digest'));
    const retrying = async () =>
      (await database.db.select().from(outbox).where(isNull(outbox.doneAt))).filter((o) => o.lastError !== null).length;

    // The channel was archived: one of the two posts is refused for good and parked, the other goes out.
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { error: 'is_archived' } });
    const refused = await sweepNow();
    expect(refused.reminders.map((r: { kind: string }) => r.kind).sort()).toEqual(['digest', 'stale']);
    expect(refused).toMatchObject({ delivered: false, effects: { sent: 1, parked: 1, waiting: 0 } });
    expect(threadLines().length + digests().length).toBe(1);

    // The next day's digest meets an error worth a retry: the route waits for it (the retry comes
    // due when the bot's clock has moved on) and answers once the digest is in the channel.
    clock.set('2026-03-03T10:00:00Z');
    const before = digests().length;
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { error: 'internal_error' } });
    const answer = sweepNow();
    for (let i = 0; i < 200 && (await retrying()) === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(await retrying()).toBe(1);
    clock.set('2026-03-03T10:05:00Z');
    const held = await answer;
    expect(held.reminders.map((r: { kind: string }) => r.kind)).toEqual(['digest']);
    expect(held).toMatchObject({ delivered: true, effects: { sent: 1, parked: 0, waiting: 0 } });
    expect(digests()).toHaveLength(before + 1);
  });
});

describe('a burst of 1,000 due reminders', () => {
  /** Slack allows about one post per second per channel; the test paces faster to stay quick. */
  const INTERVAL_MS = 4;
  const BURST = 3;

  it('goes out paced per channel, through 429s (Retry-After) and 500s, each exactly once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i += 1) ids.push(await application({ status: 'in_review', statusSince: at('2026-02-01T10:00:00Z') }));
    const now = clock.now();
    await database.db.insert(reminders).values(
      Array.from({ length: 1000 }, (_, i) => ({
        key: `burst:${i}`,
        applicationId: ids[i % ids.length] ?? 0,
        kind: 'stale',
        dueAt: now,
        claimedAt: now,
        data: { businessDays: i, assigneeId: USERS.reviewer },
      })),
    );
    await database.db.insert(outbox).values(
      Array.from({ length: 1000 }, (_, i) => ({
        kind: 'thread.reminder',
        applicationId: ids[i % ids.length] ?? 0,
        payload: { key: `burst:${i}` },
        createdAt: now,
        availableAt: now,
      })),
    );
    const slack = new WebClient(BOT_TOKEN, {
      slackApiUrl: h.emulator.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const paced = createOutboxDispatcher(
      {
        db: database.db,
        slack,
        clock,
        logger: createLogger('silent'),
        reviewChannelId: CHANNEL,
        policy,
        postIntervalMs: INTERVAL_MS,
      },
      // The test moves the fake clock forward for Retry-After; a lease longer than the whole run keeps
      // that from expiring the claim of an effect still on its way (real time), which no real clock does.
      { pollMs: 60_000, batchSize: 50, leaseMs: 3_600_000 },
    );
    // Only the paced dispatcher below delivers; the app's own stops polling (drain() still works).
    // Its scheduler stops too: a sweep of its own during a slow run would add the 10 stale
    // applications' reminders to the burst.
    await h.app.jobs.stop();
    const before = h.emulator.state.calls.length;
    h.emulator.state.faultRates = { rateLimited: 0.1, serverError: 0.02, retryAfter: 1 };
    try {
      for (let round = 0; round < 60 && (await undelivered()) > 0; round += 1) {
        await paced.drain();
        clock.advanceBy(2_000);
      }
    } finally {
      h.emulator.state.faultRates = { rateLimited: 0, serverError: 0, retryAfter: 1 };
    }
    const calls = h.emulator.state.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    const delivered = calls.filter((c) => c.ok).map((c) => String(c.args.text));
    expect(delivered).toHaveLength(1000);
    expect(new Set(delivered).size).toBe(1000);
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(50);
    expect(calls.filter((c) => !c.ok).every((c) => c.status === 429 || c.status === 500)).toBe(true);
    // The pace: within any window, at most the burst plus one post per interval reached the channel,
    // give or take one: these are arrival times, taken by an emulator on the same busy event loop
    // (test/unit/jobs/pacer.test.ts holds the pacer itself to the exact bound).
    const times = calls.map((c) => c.at).sort((x, y) => x - y);
    const WINDOW_MS = 100;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while ((times[i] ?? 0) - (times[j] ?? 0) > WINDOW_MS) j += 1;
      expect(i - j + 1).toBeLessThanOrEqual(WINDOW_MS / INTERVAL_MS + BURST + 2);
    }
  }, 120_000);
});

async function undelivered(): Promise<number> {
  return (await database.db.select().from(outbox).where(isNull(outbox.doneAt))).length;
}

describe('two instances on one database', () => {
  it('claim each reminder once', async () => {
    await application({ status: 'in_review', statusSince: at('2026-02-01T10:00:00Z') });
    const results = await Promise.all(Array.from({ length: 4 }, () => sweep('2026-03-02T10:00:00Z')));
    expect(results.flatMap((r) => r.claimed).length).toBe(2);
    await h.settle();
    expect(threadLines()).toHaveLength(1);
  });
});

describe('the daily digest', () => {
  const digestOf = (date: string) =>
    JSON.stringify(
      h.emulator.state.messages.find((m) => !m.threadTs && JSON.stringify(m.blocks).includes(`Daily review digest · ${date}`))
        ?.blocks,
    );
  async function meetingAt(startsAt: string) {
    const id = await application({ stage: 'architecture', status: 'in_review', statusSince: at('2026-03-02T07:00:00Z') });
    const now = clock.now();
    await database.db.insert(meetings).values({
      applicationId: id,
      architectId: USERS.architect,
      startsAt: at(startsAt),
      durationMinutes: 60,
      agenda: 'a',
      scheduledBy: USERS.reviewer,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }
  const token = (iso: string) => `<!date^${Math.floor(at(iso).getTime() / 1000)}^{date_short_pretty} at {time}|`;

  it('lists the architecture reviews of the next 24 hours, with their date: one at 02:00 UTC is in the day before’s', async () => {
    const early = await meetingAt('2026-03-03T02:00:00Z');
    const evening = await meetingAt('2026-03-02T20:00:00Z');
    const later = await meetingAt('2026-03-03T09:00:00Z');
    // However early the meeting reminders are configured, the digest looks a day ahead.
    const oneHour = loadConfig({ REMINDER_MEETING_HOURS: '1' }).policy;
    await sweepReminders({ db: database.db, policy: oneHour, clock }, at('2026-03-02T08:00:00Z'));
    await sweepReminders({ db: database.db, policy: oneHour, clock }, at('2026-03-03T08:00:00Z'));
    await h.settle();
    const first = digestOf('2026-03-02');
    expect(first).toContain('Architecture reviews in the next 24 hours* (2)');
    expect(first).toContain(`#${evening} `);
    expect(first).toContain(token('2026-03-02T20:00:00Z'));
    expect(first).toContain(`#${early} `);
    expect(first).toContain(token('2026-03-03T02:00:00Z'));
    expect(first).not.toContain(`#${later} `);
    const second = digestOf('2026-03-03');
    expect(second).toContain('Architecture reviews in the next 24 hours* (1)');
    expect(second).toContain(`#${later} `);
    expect(second).not.toContain(`#${early} `);
  });
});
