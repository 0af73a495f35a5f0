import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startSlackEmulator } from '../../../src/sandbox/emulator/server.ts';
import { BOT_USER_ID } from '../../../src/sandbox/emulator/state.ts';
import { PERSONAS, SANDBOX_CHANNEL } from '../../../src/sandbox/personas.ts';
import { createSlackRequester, type SignedRequest, slackSignature } from '../../../src/sandbox/slack-requests.ts';

const TOKEN = 'xoxb-rules';
const RILEY = PERSONAS[0]?.id ?? '';
const OLLY = PERSONAS[4]?.id ?? '';
const CHANNEL = SANDBOX_CHANNEL.id;
let clock = 1_767_600_000_000;
let emulator: RunningEmulator | undefined;

async function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  emulator = await startSlackEmulator({
    token: TOKEN,
    users: PERSONAS,
    channels: [
      SANDBOX_CHANNEL,
      { id: 'C0PUBLIC', name: 'general', isPrivate: false, members: [RILEY] },
      { id: 'G0SECRET', name: 'secret', isPrivate: true, members: [RILEY] },
    ],
    strictLimits: true,
    now: () => clock,
    ...options,
  });
  return emulator;
}

async function call(method: string, args: Record<string, unknown>) {
  const res = await fetch(`${emulator?.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(args),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as Record<string, any> };
}

const post = (channel: string, text = 'hello') => call('chat.postMessage', { channel, text });

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('Block Kit refusals in Slack’s shape', () => {
  it('a message with a mrkdwn header gets invalid_blocks with errors and response_metadata.messages', async () => {
    await start();
    const { json } = await call('chat.postMessage', {
      channel: CHANNEL,
      text: 'x',
      blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'Title' } }],
    });
    expect(json).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be plain_text [json-pointer:/blocks/0/text/type]'],
      response_metadata: { messages: ['[ERROR] must be plain_text [json-pointer:/blocks/0/text/type]'] },
    });
    expect(emulator?.state.messages).toHaveLength(0);
  });

  it('a modal with a text input over 3000 characters gets invalid_arguments', async () => {
    await start();
    const trigger = emulator?.state.issueTrigger(RILEY, clock);
    const { json } = await call('views.open', {
      trigger_id: trigger,
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'New' },
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [
          {
            type: 'input',
            block_id: 'a',
            label: { type: 'plain_text', text: 'A' },
            element: { type: 'plain_text_input', action_id: 'v', max_length: 5000 },
          },
        ],
      },
    });
    expect(json).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] must be between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]'] },
    });
  });
});

describe('scopes', () => {
  it('answers missing_scope with needed and provided for a method the scopes do not cover', async () => {
    await start({ scopes: ['chat:write', 'commands'] });
    expect((await call('users.info', { user: RILEY })).json).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'users:read',
      provided: 'chat:write,commands',
    });
    expect((await post(CHANNEL)).json.ok).toBe(true);
  });

  it('history needs groups:history in a private channel and channels:history in a public one', async () => {
    await start({ scopes: ['chat:write', 'channels:history'] });
    expect((await call('conversations.history', { channel: 'C0PUBLIC' })).json).toMatchObject({
      ok: false,
      error: 'not_in_channel',
    });
    expect((await call('conversations.history', { channel: CHANNEL })).json).toMatchObject({
      error: 'missing_scope',
      needed: 'groups:history',
    });
  });

  it('by default grants what manifest.yml requests', async () => {
    await start();
    expect((await call('users.info', { user: RILEY })).json.ok).toBe(true);
    expect((await call('conversations.history', { channel: CHANNEL })).json.ok).toBe(true);
  });
});

describe('channels and messages', () => {
  it('channel_not_found for an unknown channel or a private one without the bot, not_in_channel for a public one', async () => {
    await start();
    expect((await post('C0NOWHERE')).json.error).toBe('channel_not_found');
    expect((await post('G0SECRET')).json.error).toBe('channel_not_found');
    expect((await post('C0PUBLIC')).json.error).toBe('not_in_channel');
  });

  it('user_not_in_channel for an ephemeral to someone outside the channel', async () => {
    await start({ channels: [{ id: CHANNEL, name: 'pii-review', members: [RILEY, BOT_USER_ID] }] });
    const to = (user: string) => call('chat.postEphemeral', { channel: CHANNEL, user, text: 'psst' });
    expect((await to(RILEY)).json.ok).toBe(true);
    expect((await to(OLLY)).json.error).toBe('user_not_in_channel');
  });

  it('is_archived once the channel is archived', async () => {
    await start();
    const { json } = await post(CHANNEL);
    emulator?.state.setArchived(CHANNEL, true);
    expect((await post(CHANNEL)).json.error).toBe('is_archived');
    expect((await call('chat.update', { channel: CHANNEL, ts: json.ts, text: 'edit' })).json.error).toBe('is_archived');
  });

  it('cant_update_message for a message that is not the bot’s, message_not_found for a deleted one', async () => {
    await start();
    const theirs = emulator?.state.postAs(RILEY, CHANNEL, 'my own words');
    expect((await call('chat.update', { channel: CHANNEL, ts: theirs?.ts, text: 'x' })).json.error).toBe('cant_update_message');
    expect((await call('chat.delete', { channel: CHANNEL, ts: theirs?.ts })).json.error).toBe('cant_delete_message');
    const { json } = await post(CHANNEL);
    emulator?.state.deleteMessage(CHANNEL, json.ts);
    expect((await call('chat.update', { channel: CHANNEL, ts: json.ts, text: 'x' })).json.error).toBe('message_not_found');
  });

  it('msg_too_long for text over 40,000 characters', async () => {
    await start();
    expect((await post(CHANNEL, 'x'.repeat(40_000))).json.ok).toBe(true);
    expect((await post(CHANNEL, 'x'.repeat(40_001))).json.error).toBe('msg_too_long');
  });
});

describe('rate tiers', () => {
  const limits = { perMinute: { 1: 1, 2: 2, 3: 2, 4: 3 } as const, postMessage: { perSecond: 1, burst: 2 } };

  it('chat.postMessage: about one per second per channel, 429 with Retry-After beyond the burst', async () => {
    await start({ rateLimits: limits });
    expect((await post(CHANNEL)).status).toBe(200);
    expect((await post(CHANNEL)).status).toBe(200);
    const limited = await post(CHANNEL);
    expect(limited).toMatchObject({ status: 429, retryAfter: '1', json: { ok: false, error: 'ratelimited' } });
    expect((await post(`D${RILEY.slice(1)}`)).status).toBe(200);
    clock += 1_000;
    expect((await post(CHANNEL)).status).toBe(200);
  });

  it('a Tier 3 method is limited per minute, and the limits can be turned off', async () => {
    await start({ rateLimits: limits });
    const { json } = await post(CHANNEL);
    const update = () => call('chat.update', { channel: CHANNEL, ts: json.ts, text: 'edit' });
    expect((await update()).status).toBe(200);
    expect((await update()).status).toBe(200);
    expect((await update()).status).toBe(429);
    emulator?.setRateLimits(false);
    expect((await update()).status).toBe(200);
  });

  it('is off unless asked', async () => {
    await start();
    for (let i = 0; i < 5; i += 1) expect((await post(CHANNEL)).status).toBe(200);
  });
});

describe('response_url', () => {
  const respond = (url: string, text: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) }).then(
      async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }),
    );

  it('takes five answers, then used_url', async () => {
    await start();
    const url = emulator?.responseUrl(emulator.url, { user: RILEY, channel: CHANNEL }) ?? '';
    for (let i = 0; i < 5; i += 1) expect((await respond(url, `answer ${i}`)).json.ok).toBe(true);
    expect(await respond(url, 'sixth')).toEqual({ status: 404, json: { ok: false, error: 'used_url' } });
    expect(emulator?.state.ephemerals).toHaveLength(5);
  });

  it('expires 30 minutes after the interaction', async () => {
    await start();
    const url = emulator?.responseUrl(emulator.url, { user: RILEY, channel: CHANNEL }) ?? '';
    clock += 30 * 60_000 + 1;
    expect(await respond(url, 'late')).toEqual({ status: 404, json: { ok: false, error: 'expired_url' } });
  });
});

describe('slow acks', () => {
  it('records and reports a request the bot acknowledged after the deadline', async () => {
    await start();
    const slowBot = createServer((_req, res) => {
      setTimeout(() => res.end(''), 60);
    });
    await new Promise<void>((resolve) => slowBot.listen(0, '127.0.0.1', resolve));
    const reported: unknown[] = [];
    const requester = createSlackRequester({
      botUrl: `http://127.0.0.1:${(slowBot.address() as AddressInfo).port}/slack/events`,
      signingSecret: 's',
      emulator: emulator as RunningEmulator,
      emulatorUrl: emulator?.url ?? '',
      channelId: CHANNEL,
      ackDeadlineMs: 20,
      onSlowAck: (slow) => reported.push(slow),
    });
    await requester.command({ user: RILEY, text: 'status 1' });
    slowBot.close();
    expect(emulator?.state.slowAcks).toEqual([expect.objectContaining({ what: '/pii status 1' })]);
    expect(reported).toHaveLength(1);
  });
});

describe('acks Slack would refuse', () => {
  it('records a reply or a modal in the ack that breaks a Block Kit limit, and lets a good one through', async () => {
    await start();
    const answers = [
      { response_type: 'ephemeral', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
      { response_action: 'update', view: { type: 'modal', title: { type: 'plain_text', text: 'T'.repeat(25) }, blocks: [] } },
      { response_type: 'ephemeral', text: 'fine', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'fine' } }] },
    ];
    const bot = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers.shift()));
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const reported: string[] = [];
    const requester = createSlackRequester({
      botUrl: `http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`,
      signingSecret: 's',
      emulator: emulator as RunningEmulator,
      emulatorUrl: emulator?.url ?? '',
      channelId: CHANNEL,
      onRefusedAck: (refused) => reported.push(refused.what),
    });
    for (const text of ['queue', 'status 1', 'help']) await requester.command({ user: RILEY, text });
    bot.close();
    expect(emulator?.state.refusedAcks).toEqual([
      expect.objectContaining({ what: '/pii queue', problems: [expect.stringContaining('/blocks')] }),
      expect.objectContaining({ what: '/pii status 1', problems: [expect.stringContaining('/title')] }),
    ]);
    expect(reported).toEqual(['/pii queue', '/pii status 1']);
  });
});

describe('a requester with a transport', () => {
  it('hands it the request signed as Slack signs it, and sends nothing itself', async () => {
    await start();
    const handed: SignedRequest[] = [];
    const requester = createSlackRequester({
      botUrl: 'http://127.0.0.1:1/slack/events',
      signingSecret: 'transport-secret',
      emulator: emulator as RunningEmulator,
      emulatorUrl: emulator?.url ?? '',
      channelId: CHANNEL,
      transport: async (request) => {
        handed.push(request);
        return { status: 200, text: '', json: undefined, ms: 0 };
      },
    });
    const answer = await requester.command({ user: RILEY, text: 'status 1' });
    expect(answer.status).toBe(200);
    const [request] = handed;
    expect(request?.url).toBe('http://127.0.0.1:1/slack/events');
    expect(new URLSearchParams(request?.body).get('text')).toBe('status 1');
    const timestamp = request?.headers['x-slack-request-timestamp'] ?? '';
    expect(request?.headers['x-slack-signature']).toBe(slackSignature('transport-secret', timestamp, request?.body ?? ''));
  });
});
