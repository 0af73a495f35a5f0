import { eq, isNotNull, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, outbox } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { DEFAULT_AUTH_PROBE_MS } from '../../src/jobs/token-watch.ts';
import {
  archiveChannel,
  deleteMessage,
  failNextCall,
  restoreToken,
  revokeToken,
  unarchiveChannel,
} from '../../src/sandbox/emulator/admin-actions.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');

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
  await h.reset();
  h.logs.lines.length = 0;
});

const body = applicationBody();
async function newApplication() {
  const res = await h.intake(body);
  await h.settle();
  return res.json.id as number;
}
const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const parked = () => database.db.select().from(outbox).where(isNotNull(outbox.parkedAt));
/** Top-level messages in the channel that are not cards: the bot's alerts to admins. */
const alerts = () => h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs && m.blocks.length === 1);
const logged = (text: string) => h.logs.lines.filter((l) => String(l.msg).includes(text));
const passBusinessReview = { ...ALL_PASS, decision: input.radio('advance') };

describe('a card deleted in Slack', () => {
  it('is posted again on the next decision, which goes on in the new card’s thread', async () => {
    const id = await newApplication();
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const old = r.card(id);
    expect(deleteMessage(h.emulator.state, CHANNEL, old.ts)).toBe(true);

    await r.submit(USERS.reviewer, passBusinessReview, viewId);
    await h.settle();

    const fresh = r.card(id);
    expect(fresh.ts).not.toBe(old.ts);
    expect(r.buttons(id)).toContain('card.record_gap');
    expect(await row(id)).toMatchObject({
      cardChannel: CHANNEL,
      cardTs: fresh.ts,
      stage: 'security',
      // Links to the card (Home, /pii lists) go to the new message, by Slack's own permalink.
      cardPermalink: `${h.emulator.url}archives/${CHANNEL}/p${fresh.ts.replace('.', '')}`,
    });
    expect(r.threadOf(id)).toEqual([expect.stringContaining('passed the business review')]);
    expect(await parked()).toHaveLength(0);
    expect(logged('the card is gone from Slack; posting it again')).toHaveLength(1);
  });

  it('is posted again when a thread line finds it gone, and the line goes under the new card', async () => {
    const id = await newApplication();
    const old = r.card(id);
    // The claim's card update lands; its thread line meets an outage, and the card is deleted before the retry.
    h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.app.dispatcher.drain();
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(1);
    deleteMessage(h.emulator.state, CHANNEL, old.ts);
    clock.advanceBy(1_000);
    await h.settle();
    const fresh = r.card(id);
    expect(fresh.ts).not.toBe(old.ts);
    expect((await row(id))?.cardTs).toBe(fresh.ts);
    expect(r.threadOf(id)).toEqual([expect.stringContaining('claimed the application')]);
  });

  it('is stored where it was posted again even when the line after it fails, and the retry goes under it', async () => {
    const id = await newApplication();
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const old = r.card(id);
    deleteMessage(h.emulator.state, CHANNEL, old.ts);
    // The fresh card lands; the decision's thread line, the next post, meets an outage.
    const failNextPost = (change: { type: string }) => {
      if (change.type !== 'message') return;
      h.emulator.state.off('change', failNextPost);
      h.emulator.state.faults.push({ method: 'chat.postMessage', fault: { status: 500 } });
    };
    h.emulator.state.on('change', failNextPost);
    try {
      await r.submit(USERS.reviewer, passBusinessReview, viewId);
      await h.app.dispatcher.drain();
    } finally {
      h.emulator.state.off('change', failNextPost);
    }
    const fresh = r.card(id);
    expect(fresh.ts).not.toBe(old.ts);
    expect(r.threadOf(id)).toEqual([]);
    expect(await database.db.select().from(outbox).where(isNull(outbox.doneAt))).toMatchObject([
      { kind: 'thread.event', lastError: expect.any(String) },
    ]);
    expect(await row(id)).toMatchObject({
      cardTs: fresh.ts,
      cardPermalink: `${h.emulator.url}archives/${CHANNEL}/p${fresh.ts.replace('.', '')}`,
    });

    clock.advanceBy(1_000);
    await h.settle();
    expect(r.card(id).ts).toBe(fresh.ts);
    expect(h.emulator.state.messages.filter((m) => m.channel === CHANNEL && !m.threadTs && m.blocks.length > 1)).toHaveLength(1);
    expect(r.threadOf(id)).toEqual([expect.stringContaining('passed the business review')]);
  });
});

describe('a card posted before links were stored', () => {
  it('gets its link with its next update', async () => {
    const id = await newApplication();
    await database.db.update(applications).set({ cardPermalink: null }).where(eq(applications.id, id));
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    const { ts } = r.card(id);
    expect(await row(id)).toMatchObject({
      cardTs: ts,
      cardPermalink: `${h.emulator.url}archives/${CHANNEL}/p${ts.replace('.', '')}`,
    });
  });
});

describe('an effect Slack refuses for good', () => {
  it('is parked, the admins are told once, and the application’s next card update still lands', async () => {
    const id = await newApplication();
    failNextCall(h.emulator.state, 'chat.update', 'invalid_blocks');
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();

    const [one, ...more] = await parked();
    expect(more).toHaveLength(0);
    expect(one).toMatchObject({ kind: 'card.sync', applicationId: id, parkedError: 'invalid_blocks' });
    expect(one?.doneAt).not.toBeNull();
    // The thread line behind it was not held up.
    expect(r.threadOf(id)).toEqual([expect.stringContaining('claimed the application')]);
    expect(alerts().map((a) => a.text)).toEqual([expect.stringContaining('`invalid_blocks`')]);
    expect(alerts()[0]?.text).not.toContain(body.organization.name);
    expect(logged('slack effect parked')).toHaveLength(1);
    expect(logged('slack effect parked')[0]).toMatchObject({ slackError: 'invalid_blocks', outboxId: one?.id });
    expect((await h.get('/readyz', null)).json).toMatchObject({ status: 'ready', parkedEffects: 1 });

    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    failNextCall(h.emulator.state, 'chat.postMessage', 'invalid_blocks');
    await r.submit(USERS.reviewer, passBusinessReview, viewId);
    await h.settle();
    // The card update landed; the thread line was refused the same way: parked, and no second alert.
    expect(r.buttons(id)).toContain('card.record_gap');
    expect(JSON.stringify(r.card(id).blocks)).toContain(`<@${USERS.reviewer}>`);
    expect(await parked()).toHaveLength(2);
    expect(alerts()).toHaveLength(1);
  });
});

describe('a revoked token', () => {
  it('stops delivery with one clear log line, and resumes with an alert once a valid token is back', async () => {
    const id = await newApplication();
    revokeToken(h.emulator.state);
    await r.click(USERS.reviewer, id, 'card.claim');
    for (let i = 0; i < 3; i += 1) await h.app.dispatcher.drain();

    const refusals = h.logs.lines.filter((l) => l.level === 50 && String(l.msg).includes('token_revoked'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.msg).toContain('Slack delivery is stopped');
    // One refused call, not one per effect per drain.
    expect(h.emulator.state.calls.filter((c) => c.method.startsWith('chat.') && c.error === 'token_revoked')).toHaveLength(1);
    expect(await parked()).toHaveLength(0);
    expect((await h.get('/readyz', null)).json).toMatchObject({ slackToken: 'token_revoked' });

    // Still refused at the next probe: no alert, nothing delivered.
    clock.advanceBy(DEFAULT_AUTH_PROBE_MS);
    await h.app.dispatcher.drain();
    expect(h.emulator.state.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
    expect(alerts()).toHaveLength(0);

    restoreToken(h.emulator.state);
    clock.advanceBy(DEFAULT_AUTH_PROBE_MS);
    await h.settle();
    expect(JSON.stringify(r.card(id).blocks)).toContain(`<@${USERS.reviewer}>`);
    expect(r.threadOf(id)).toEqual([expect.stringContaining('claimed the application')]);
    expect(alerts().map((a) => a.text)).toEqual([expect.stringContaining('works again')]);
    expect((await h.get('/readyz', null)).json).not.toHaveProperty('slackToken');
    expect(refusals).toHaveLength(1);
  });
});

describe('parked effects', () => {
  async function openHome(user: string) {
    const homes = () => h.emulator.state.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === user).length;
    const before = homes();
    await h.slack.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' });
    await expect.poll(homes).toBe(before + 1);
    const home = [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === user);
    if (!home) throw new Error(`no home for ${user}`);
    expect(home.problems).toEqual([]);
    return home;
  }

  it('an admin retries them from the App Home once the cause is fixed; others may not', async () => {
    archiveChannel(h.emulator.state, CHANNEL);
    const { id } = (await h.intake(body)).json as { id: number };
    await h.settle();
    expect(await parked()).toMatchObject([{ kind: 'card.sync', parkedError: 'is_archived' }]);
    // The alert cannot reach an archived channel: the log says so, next to the parked line.
    expect(logged('could not post the admin alert to the channel')).toHaveLength(1);

    const home = await openHome(USERS.admin);
    expect(JSON.stringify(home.view)).toContain('1 Slack effect is parked (`is_archived` ×1)');
    expect(JSON.stringify((await openHome(USERS.reviewer)).view)).not.toContain('parked');

    const refused = await h.slack.command({ user: USERS.reviewer, text: 'retry-parked' });
    expect(JSON.stringify(refused.json)).toContain('Only an admin');
    expect(await parked()).toHaveLength(1);

    unarchiveChannel(h.emulator.state, CHANNEL);
    await h.slack.viewAction({
      user: USERS.admin,
      viewId: home.id,
      action: { actionId: 'home.retry_parked', blockId: 'home.parked', value: 'retry' },
    });
    await expect.poll(async () => (await parked()).length).toBe(0);
    await h.settle();
    expect(r.card(id)).toBeDefined();
    expect((await row(id))?.cardTs).toBe(r.card(id).ts);
    expect(r.ephemeralsFor(USERS.admin).join('\n')).toContain('1 parked Slack effect went back in the queue');
    await expect.poll(async () => JSON.stringify((await openHome(USERS.admin)).view)).not.toContain('parked');
  });

  it('`/pii retry-parked` puts them back and says what went', async () => {
    failNextCall(h.emulator.state, 'chat.postMessage', 'msg_too_long');
    const { id } = (await h.intake(body)).json as { id: number };
    await h.settle();
    expect(await parked()).toHaveLength(1);
    const answer = await h.slack.command({ user: USERS.admin, text: 'retry-parked' });
    expect(JSON.stringify(answer.json)).toContain('`msg_too_long` ×1');
    await h.settle();
    expect(r.card(id)).toBeDefined();
    const again = await h.slack.command({ user: USERS.admin, text: 'retry-parked' });
    expect(JSON.stringify(again.json)).toContain('No Slack effects are parked');
  });
});
