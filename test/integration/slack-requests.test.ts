import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications } from '../../db/schema.ts';
import { slackSignature } from '../../src/sandbox/slack-requests.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody, mrkdwnTexts } from '../support/fixtures.ts';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USERS } from '../support/harness.ts';

/** Bolt refuses requests whose timestamp is older than this (SLACK.md: 5 minutes). */
const STALE_AFTER_SECONDS = 5 * 60;

let database: TestDatabase;
let h: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const text = (answer: { json: unknown }) => mrkdwnTexts(answer.json).join('\n');

async function createApplication(overrides: Record<string, unknown> = {}) {
  const res = await h.intake(applicationBody(overrides));
  await h.settle();
  return res.json as { id: number; profileId: string };
}

describe('signatures', () => {
  const body = 'command=%2Fpii&text=help&user_id=U0REVIEW01&channel_id=G0PIIREVIEW&team_id=T1';
  const now = () => Math.floor(Date.now() / 1000);
  const post = (headers: Record<string, string>) =>
    h.slack.send({ body, contentType: 'application/x-www-form-urlencoded', headers });

  it('accepts a correctly signed request', async () => {
    const ts = now();
    const res = await post({
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a forged signature', () => ({ 'x-slack-signature': slackSignature('not-the-secret', now(), body) })],
    ['a missing signature', () => ({ 'x-slack-signature': '' })],
    ['a malformed signature', () => ({ 'x-slack-signature': 'v0=zz' })],
    [
      'a stale timestamp',
      () => {
        const ts = now() - STALE_AFTER_SECONDS - 60;
        return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body) };
      },
    ],
    ['a body changed after signing', () => ({ 'x-slack-signature': slackSignature(SIGNING_SECRET, now(), `${body}&x=1`) })],
  ])('refuses %s with 401 and changes nothing', async (_name, headers) => {
    const before = await database.db.select().from(applications);
    const res = await post({ 'x-slack-request-timestamp': String(now()), ...headers() });
    expect(res.status).toBe(401);
    expect(await database.db.select().from(applications)).toEqual(before);
    expect(h.emulator.state.calls).toHaveLength(0);
  });
});

describe('/pii help', () => {
  it('answers with the usage, only to the caller', async () => {
    const res = await h.slack.command({ user: USERS.reviewer, text: 'help' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(text(res)).toContain('/pii status');
  });

  it('answers an unknown subcommand with the usage, naming what was not understood', async () => {
    const res = await h.slack.command({ user: USERS.reviewer, text: 'frobnicate now' });
    expect(text(res)).toContain('`frobnicate` is not a /pii subcommand');
    expect(text(res)).toContain('/pii status');
  });

  it('treats an empty command as help', async () => {
    expect(text(await h.slack.command({ user: USERS.outsider, text: '' }))).toContain('/pii status');
  });
});

describe('/pii status', () => {
  it('finds an application by number, with stage, status, age and history', async () => {
    const app = await createApplication({ organization: { name: 'Fabrikam Tax Ltd', website: 'https://fabrikam.example.com' } });
    const res = await h.slack.command({ user: USERS.reviewer, text: `status ${app.id}` });
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    const answer = text(res);
    expect(answer).toContain(`#${app.id} Fabrikam Tax Ltd`);
    expect(answer).toContain('Stage 1 · Business criteria');
    expect(answer).toContain('Awaiting review since <!date^');
    expect(answer).toContain('*Age*');
    expect(answer).toContain('Application received through intake.');
  });

  it('finds it by #number, by profile id and by organization name (any case, or a prefix)', async () => {
    const app = await createApplication({ organization: { name: 'Tailspin Toys', website: 'https://tailspin.example.com' } });
    for (const query of [`#${app.id}`, app.profileId, 'tailspin toys', 'Tailsp']) {
      expect(text(await h.slack.command({ user: USERS.reviewer, text: `status ${query}` }))).toContain(
        `#${app.id} Tailspin Toys`,
      );
    }
  });

  it('finds a name with an ampersand, which Slack sends escaped (`&amp;`)', async () => {
    const app = await createApplication({ organization: { name: 'Smith & Sons <EU>', website: 'https://smith.example.com' } });
    for (const query of ['Smith & Sons <EU>', 'smith & sons']) {
      expect(text(await h.slack.command({ user: USERS.reviewer, text: `status ${query}` }))).toContain(
        `#${app.id} Smith &amp; Sons &lt;EU&gt;`,
      );
    }
  });

  it('shows updates in the history', async () => {
    const body = applicationBody();
    const created = (await h.intake(body)).json;
    await h.intake({ ...body, useCase: 'A better description of the use case.' });
    const answer = text(await h.slack.command({ user: USERS.reviewer, text: `status ${created.id}` }));
    expect(answer).toContain('The developer updated the application: `useCase`');
  });

  it('lists the candidates when a name matches several applications', async () => {
    const a = await createApplication({ organization: { name: 'Wingtip Shipping', website: 'https://w1.example.com' } });
    const b = await createApplication({ organization: { name: 'Wingtip Invoices', website: 'https://w2.example.com' } });
    const answer = text(await h.slack.command({ user: USERS.reviewer, text: 'status wingtip' }));
    expect(answer).toContain('2 applications match');
    expect(answer).toContain(`#${a.id} Wingtip Shipping`);
    expect(answer).toContain(`#${b.id} Wingtip Invoices`);
  });

  it('says clearly when nothing matches, and when the argument is missing', async () => {
    expect(text(await h.slack.command({ user: USERS.reviewer, text: 'status 4242' }))).toContain('No application matches `4242`');
    expect(text(await h.slack.command({ user: USERS.reviewer, text: 'status' }))).toContain('needs an application');
  });

  it('does not let a query inject mentions into the answer', async () => {
    const answer = text(await h.slack.command({ user: USERS.reviewer, text: 'status <!channel>' }));
    expect(answer).not.toContain('<!channel>');
    expect(answer).toContain('&lt;!channel&gt;');
  });
});

describe('the card', () => {
  it('shows status and history to whoever clicks "Status & history", and to no one else', async () => {
    const app = await createApplication();
    const card = h.emulator.state.messages.find((m) => m.channel === CHANNEL && !m.threadTs);
    expect(card).toBeDefined();
    const res = await h.slack.messageAction({
      user: USERS.reviewer2,
      channel: CHANNEL,
      ts: card?.ts ?? '',
      action: { actionId: 'card.status', blockId: 'card.actions', value: String(app.id) },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => h.emulator.state.ephemerals.length).toBe(1);
    const [ephemeral] = h.emulator.state.ephemerals;
    expect(ephemeral?.user).toBe(USERS.reviewer2);
    expect(mrkdwnTexts(ephemeral).join('\n')).toContain('Application received through intake.');
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(0);
  });

  it('acknowledges a button it has no handler for (a card from another version), changing and telling nothing', async () => {
    const app = await createApplication();
    const card = h.emulator.state.messages.find((m) => m.channel === CHANNEL && !m.threadTs);
    const before = await database.db.select().from(applications);
    const res = await h.slack.messageAction({
      user: USERS.reviewer,
      channel: CHANNEL,
      ts: card?.ts ?? '',
      action: { actionId: 'card.retired_button', blockId: 'card.actions', value: String(app.id) },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    // A known button on the same card still reaches its handler: the routing is by id, not first come.
    await h.slack.messageAction({
      user: USERS.reviewer,
      channel: CHANNEL,
      ts: card?.ts ?? '',
      action: { actionId: 'card.status', blockId: 'card.actions', value: String(app.id) },
    });
    await expect.poll(() => h.emulator.state.ephemerals.length).toBe(1);
    expect(await database.db.select().from(applications)).toEqual(before);
    expect(h.emulator.state.callsTo('chat.update')).toHaveLength(0);
  });
});

describe('replays and clock skew', () => {
  const body = 'command=%2Fpii&text=help&user_id=U0REVIEW01&channel_id=G0PIIREVIEW&team_id=T1';
  const signed = (ts: number) => ({
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body),
  });
  const post = (headers: Record<string, string>) =>
    h.slack.send({ body, contentType: 'application/x-www-form-urlencoded', headers });

  it('refuses a correctly signed request from more than five minutes in the future', async () => {
    const future = Math.floor(Date.now() / 1000) + STALE_AFTER_SECONDS + 60;
    expect((await post(signed(future))).status).toBe(401);
  });

  it('refuses the exact same signed request sent again, but lets Slack’s own retries through', async () => {
    const headers = signed(Math.floor(Date.now() / 1000));
    expect((await post(headers)).status).toBe(200);
    expect((await post(headers)).status).toBe(401);
    expect((await post({ ...headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
  });
});
