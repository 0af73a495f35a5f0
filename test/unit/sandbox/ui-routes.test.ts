import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseApplication } from '../../../src/intake/application.ts';
import { DemoError, type DemoResult } from '../../../src/sandbox/demo.ts';
import { BOT_USER_ID } from '../../../src/sandbox/emulator/state.ts';
import { PERSONAS, SANDBOX_CHANNEL } from '../../../src/sandbox/personas.ts';
import { sandboxHostAllowed } from '../../../src/sandbox/ui/same-origin.ts';
import { OPTIONS, pageToken, startTestBot, type TestBot } from './ui-test-bot.ts';

const RILEY = PERSONAS[0]?.id ?? '';
const ADA = PERSONAS[2]?.id ?? '';
const CHANNEL = SANDBOX_CHANNEL.id;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.stop();
});
beforeEach(async () => {
  await bot.post('/sandbox/ui/reset', {});
  bot.mode = { kind: 'ack' };
  bot.submissions.length = 0;
  bot.actions.length = 0;
  bot.closed.length = 0;
});

/** Reads server-sent events from the stream until `predicate` holds for the text so far. */
async function readStream(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean) {
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) return { text, done: true };
    text += decoder.decode(value);
  }
  return { text, done: false };
}

const FULL_FORM = [
  { blockId: 'name', actionId: 'v', values: ['Ada'] },
  { blockId: 'count', actionId: 'v', values: ['3'] },
  { blockId: 'email', actionId: 'v', values: ['ada@x.example'] },
  { blockId: 'site', actionId: 'v', values: [] },
  { blockId: 'pick', actionId: 'v', values: ['b'] },
  { blockId: 'many', actionId: 'v', values: ['a', 'c'] },
  { blockId: 'who', actionId: 'v', values: [RILEY] },
  { blockId: 'whos', actionId: 'v', values: [RILEY, ADA] },
  { blockId: 'day', actionId: 'v', values: ['2026-03-01'] },
  { blockId: 'time', actionId: 'v', values: ['14:05'] },
  { blockId: 'when', actionId: 'v', values: ['2026-03-01T10:00'] },
  { blockId: 'checks', actionId: 'v', values: ['c'] },
  { blockId: 'radio', actionId: 'v', values: ['a'] },
];

async function openModal(user = RILEY): Promise<string> {
  await bot.post('/sandbox/ui/command', { user, text: '/pii modal' });
  const state = await bot.state(user);
  expect(state.modal).not.toBeNull();
  return state.modal.viewId;
}

describe('page and scripts', () => {
  it('serves the shell with every persona and the module scripts', async () => {
    const html = await (await fetch(bot.baseUrl)).text();
    for (const p of PERSONAS) expect(html).toContain(p.realName);
    expect(html).toContain('<script type="module" src="/sandbox/ui/client.js">');
    for (const name of ['client.js', 'controls.js', 'permalink.js', 'demo.js', 'overflow.js']) {
      const res = await fetch(`${bot.baseUrl}sandbox/ui/${name}`);
      expect(res.headers.get('content-type')).toContain('text/javascript');
    }
  });

  it('serves every module the page script imports', async () => {
    const client = await (await fetch(`${bot.baseUrl}sandbox/ui/client.js`)).text();
    const imported = [...client.matchAll(/from '\.\/([\w-]+\.js)'/g)].map((m) => m[1]);
    expect(imported.length).toBeGreaterThan(3);
    for (const name of imported) expect((await fetch(`${bot.baseUrl}sandbox/ui/${name}`)).status, name).toBe(200);
  });

  it('shows full names in the persona picker, and the demo and sample buttons', async () => {
    const html = await (await fetch(bot.baseUrl)).text();
    for (const p of PERSONAS) expect(html).toMatch(new RegExp(`<option value="${p.id}"[^>]*>${p.realName}</option>`));
    expect(html).toContain('data-sandbox="demo"');
    expect(html).toContain('id="sample"');
  });
});

describe('slash commands and ephemerals', () => {
  it('turns the ack body into an ephemeral that only the acting user sees', async () => {
    const { json } = await bot.post('/sandbox/ui/command', { user: RILEY, text: '/pii hello' });
    expect(json).toMatchObject({ what: '/pii hello', status: 200, level: 'ok' });
    expect((await bot.state(RILEY)).channelHtml).toContain('Only visible to you');
    expect((await bot.state(ADA)).channelHtml).not.toContain('Only visible to you');
  });

  it('refuses commands the app does not declare, unknown personas and bad bodies with 400', async () => {
    expect((await bot.post('/sandbox/ui/command', { user: RILEY, text: '/other' })).status).toBe(400);
    expect((await bot.post('/sandbox/ui/command', { user: 'U0NOBODY', text: '/pii' })).status).toBe(400);
    const res = await fetch(`${bot.baseUrl}sandbox/ui/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sandbox-token': await pageToken(bot.baseUrl) },
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });
});

describe('requests from another site', () => {
  const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  const attempts = (token: string): [string, Record<string, string>, string][] => [
    ['a text/plain form post', { ...evil, 'content-type': 'text/plain' }, ''],
    ['JSON without the page token', { 'content-type': 'application/json' }, ''],
    ['JSON with a made-up token', { 'content-type': 'application/json', 'x-sandbox-token': 'f'.repeat(48) }, ''],
    [
      'JSON with the token, from another origin',
      { 'content-type': 'application/json', 'x-sandbox-token': token, origin: evil.origin },
      '',
    ],
    [
      'JSON with the token, cross-site',
      { 'content-type': 'application/json', 'x-sandbox-token': token, 'sec-fetch-site': 'cross-site' },
      '',
    ],
  ];

  it('act as no persona and wipe nothing, on every state-changing route', async () => {
    await bot.post('/sandbox/ui/command', { user: RILEY, text: '/pii hello' });
    const before = bot.actions.length + (await bot.state(RILEY)).channelHtml.length;
    const token = await pageToken(bot.baseUrl);
    for (const path of ['command', 'action', 'submit', 'close', 'home-opened', 'dismiss', 'sample', 'demo', 'reset']) {
      for (const [name, headers] of attempts(token)) {
        const res = await fetch(`${bot.baseUrl}sandbox/ui/${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ user: RILEY, text: '/pii hello' }),
        });
        expect([403, 415], `${path}: ${name}`).toContain(res.status);
      }
    }
    expect(bot.actions.length + (await bot.state(RILEY)).channelHtml.length).toBe(before);
    const same = await fetch(`${bot.baseUrl}sandbox/ui/command`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sandbox-token': token,
        origin: bot.baseUrl.replace(/\/$/, ''),
        'sec-fetch-site': 'same-origin',
      },
      body: JSON.stringify({ user: RILEY, text: '/pii hello' }),
    });
    expect(same.status).toBe(200);
  });
});

describe('a page that rebinds its own name to this port (DNS rebinding)', () => {
  /** A request as the browser sends it for http://<host>:<port>/…: Host and Origin carry the page's name. */
  function asHost(host: string, path: string, method = 'GET', headers: Record<string, string> = {}, body = '') {
    const url = new URL(path, bot.baseUrl);
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers: { host: `${host}:${url.port}`, ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('gets no page token, no persona state and no action, while loopback names and addresses work', async () => {
    await bot.post('/sandbox/ui/command', { user: RILEY, text: '/pii hello' });
    const page = await asHost('rebind.evil.example', '/');
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('x-sandbox-token');
    expect((await asHost('rebind.evil.example', `/sandbox/ui/state?user=${RILEY}`)).status).toBe(403);
    const token = await pageToken(bot.baseUrl);
    const port = new URL(bot.baseUrl).port;
    const act = await asHost(
      'rebind.evil.example',
      '/sandbox/ui/reset',
      'POST',
      { 'content-type': 'application/json', 'x-sandbox-token': token, origin: `http://rebind.evil.example:${port}` },
      '{}',
    );
    expect(act.status).toBe(403);
    expect((await bot.state(RILEY)).channelHtml.length).toBeGreaterThan(0);
    for (const host of ['localhost', '127.0.0.1', 'app.localhost']) expect((await asHost(host, '/')).status).toBe(200);
  });

  it('knows a name from an address', () => {
    expect(sandboxHostAllowed('127.0.0.1:3000', '127.0.0.1')).toBe(true);
    expect(sandboxHostAllowed('[::1]:3000', '127.0.0.1')).toBe(true);
    expect(sandboxHostAllowed('192.168.1.20:3000', '0.0.0.0')).toBe(true);
    expect(sandboxHostAllowed('LOCALHOST:3000', '127.0.0.1')).toBe(true);
    expect(sandboxHostAllowed('review-box:3000', 'review-box')).toBe(true);
    expect(sandboxHostAllowed('review-box:3000', '0.0.0.0')).toBe(false);
    expect(sandboxHostAllowed('localhost.evil.example', '127.0.0.1')).toBe(false);
    expect(sandboxHostAllowed('127.0.0.1.nip.io:3000', '127.0.0.1')).toBe(false);
    expect(sandboxHostAllowed(undefined, '127.0.0.1')).toBe(true);
  });
});

describe('modals', () => {
  it('does not send a submission while a required input is empty, as Slack’s client', async () => {
    const viewId = await openModal();
    const { json } = await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: [] });
    expect(json.level).toBe('warn');
    expect(bot.submissions).toHaveLength(0);
    expect((await bot.state(RILEY)).modal.html).toContain('Please complete this required field.');
  });

  it('sends view.state.values in Slack’s exact shapes, then shows response_action errors under the input', async () => {
    const viewId = await openModal();
    bot.mode = { kind: 'ack', body: { response_action: 'errors', errors: { name: 'That name is taken' } } };
    const { json } = await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: FULL_FORM });
    expect(json).toMatchObject({ level: 'ok', status: 200 });
    const view = (bot.submissions[0] as any).view;
    expect(view.id).toBe(viewId);
    expect(view.state.values).toEqual({
      name: { v: { type: 'plain_text_input', value: 'Ada' } },
      count: { v: { type: 'number_input', value: '3' } },
      email: { v: { type: 'email_text_input', value: 'ada@x.example' } },
      site: { v: { type: 'url_text_input', value: null } },
      pick: { v: { type: 'static_select', selected_option: OPTIONS[1] } },
      many: { v: { type: 'multi_static_select', selected_options: [OPTIONS[0], OPTIONS[2]] } },
      who: { v: { type: 'users_select', selected_user: RILEY } },
      whos: { v: { type: 'multi_users_select', selected_users: [RILEY, ADA] } },
      day: { v: { type: 'datepicker', selected_date: '2026-03-01' } },
      time: { v: { type: 'timepicker', selected_time: '14:05' } },
      // Riley is in Europe/Berlin (UTC+1 in March).
      when: { v: { type: 'datetimepicker', selected_date_time: Date.UTC(2026, 2, 1, 9) / 1000 } },
      checks: { v: { type: 'checkboxes', selected_options: [OPTIONS[2]] } },
      radio: { v: { type: 'radio_buttons', selected_option: OPTIONS[0] } },
    });
    const modal = (await bot.state(RILEY)).modal;
    expect(modal.viewId).toBe(viewId);
    expect(modal.html).toMatch(/bk-input--error[\s\S]*That name is taken/);
  });

  it('follows update, push, close (back) and clear as Slack does', async () => {
    const viewId = await openModal();
    const first = (await bot.state(RILEY)).modal;
    const updated = { type: 'modal', callback_id: 'test_modal', title: { type: 'plain_text', text: 'Step two' }, blocks: [] };
    bot.mode = { kind: 'ack', body: { response_action: 'update', view: updated } };
    await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: FULL_FORM });
    const second = (await bot.state(RILEY)).modal;
    expect(second.viewId).toBe(viewId);
    expect(second.key).not.toBe(first.key);
    expect(second.html).toContain('Step two');

    const pushed = { ...updated, callback_id: 'pushed', title: { type: 'plain_text', text: 'Pushed' } };
    bot.mode = { kind: 'ack', body: { response_action: 'push', view: pushed } };
    await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: [] });
    const third = (await bot.state(RILEY)).modal;
    expect(third).toMatchObject({ depth: 2 });
    expect(third.html).toContain('Pushed');

    await bot.post('/sandbox/ui/close', { user: RILEY, viewId: third.viewId, all: false });
    expect((await bot.state(RILEY)).modal).toMatchObject({ viewId, depth: 1 });

    bot.mode = { kind: 'ack', body: { response_action: 'clear' } };
    await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: [] });
    expect((await bot.state(RILEY)).modal).toBeNull();
  });

  it('closes on an empty ack, and tells the bot about a close when notify_on_close is set', async () => {
    let viewId = await openModal();
    const { json } = await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: FULL_FORM });
    expect(json.note).toContain('closed');
    expect((await bot.state(RILEY)).modal).toBeNull();

    viewId = await openModal();
    await bot.post('/sandbox/ui/close', { user: RILEY, viewId, all: true });
    expect((await bot.state(RILEY)).modal).toBeNull();
    expect(bot.closed).toHaveLength(1);
    expect((bot.closed[0] as any).view.id).toBe(viewId);
  });

  it('keeps the modal open and says so when the bot fails or acks too late', async () => {
    const viewId = await openModal();
    bot.mode = { kind: 'throw' };
    const failed = (await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: FULL_FORM })).json;
    expect(failed).toMatchObject({ level: 'error', status: 500 });
    bot.mode = { kind: 'slow', ms: 3_300 };
    const slow = (await bot.post('/sandbox/ui/submit', { user: RILEY, viewId, controls: FULL_FORM })).json;
    expect(slow.level).toBe('error');
    expect(slow.ms).toBeGreaterThan(3_000);
    expect(slow.note).toMatch(/3 s/);
    expect((await bot.state(RILEY)).modal.viewId).toBe(viewId);
  });

  it('sends a modal button’s block_actions with the view’s current state', async () => {
    const viewId = await openModal();
    await bot.post('/sandbox/ui/action', {
      user: RILEY,
      viewId,
      blockId: 'acts',
      actionId: 'danger_btn',
      controls: FULL_FORM.slice(0, 1),
    });
    const body = bot.actions[0] as any;
    expect(body.container).toEqual({ type: 'view', view_id: viewId });
    expect(body.actions[0]).toMatchObject({
      action_id: 'danger_btn',
      block_id: 'acts',
      type: 'button',
      value: 'del-1',
      style: 'danger',
    });
    expect(body.view.state.values).toEqual({ name: { v: { type: 'plain_text_input', value: 'Ada' } } });
  });
});

describe('messages, home, files, limits', () => {
  it('sends a message element’s action with the option the app defined', async () => {
    const posted = await bot.app.client.chat.postMessage({
      channel: CHANNEL,
      text: 'pick one',
      blocks: [{ type: 'actions', block_id: 'b', elements: [{ type: 'static_select', action_id: 'sel', options: OPTIONS }] }],
    });
    const { json } = await bot.post('/sandbox/ui/action', {
      user: ADA,
      channel: CHANNEL,
      ts: posted.ts,
      blockId: 'b',
      actionId: 'sel',
      values: ['c'],
    });
    expect(json.level).toBe('ok');
    const body = bot.actions[0] as any;
    expect(body.user.id).toBe(ADA);
    expect(body.container).toMatchObject({ type: 'message', message_ts: posted.ts, channel_id: CHANNEL });
    expect(body.actions[0]).toMatchObject({ type: 'static_select', selected_option: OPTIONS[2] });
  });

  it('shows an empty Home tab until the bot publishes one on app_home_opened', async () => {
    expect((await bot.state(ADA)).home).toMatchObject({ viewId: null });
    expect((await bot.state(ADA)).home.html).toContain('No Home tab yet');
    const { json } = await bot.post('/sandbox/ui/home-opened', { user: ADA });
    expect(json).toMatchObject({ what: 'app_home_opened', status: 200 });
    expect(bot.homeOpened.at(-1)).toMatchObject({ type: 'app_home_opened', user: ADA, tab: 'home' });
    const home = (await bot.state(ADA)).home;
    expect(home.viewId).toMatch(/^V/);
    expect(home.html).toContain('Your reviews');
    expect((await bot.state(RILEY)).home.viewId).toBeNull();
  });

  it('lists uploaded files in their thread and serves them as downloads', async () => {
    const parent = await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'card' });
    await bot.app.client.filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts as string,
      filename: 'export <1>.csv',
      content: 'id,name\n1,A\n',
    });
    const state = await bot.state(RILEY);
    const thread = state.threads[parent.ts as string] as string;
    expect(thread).toContain('export &lt;1&gt;.csv');
    const href = /href="(\/sandbox\/ui\/files\/[^"]+)"/.exec(thread)?.[1];
    const res = await fetch(`${bot.baseUrl}${href?.slice(1)}`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="export_1_.csv"');
    expect(await res.text()).toBe('id,name\n1,A\n');
    expect((await fetch(`${bot.baseUrl}sandbox/ui/files/FNOPE`)).status).toBe(404);
  });

  it('warns visibly about Block Kit limits and unknown block types', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'too long', blocks });
    await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'odd', blocks: [{ type: 'video_call_v9' }] });
    const state = await bot.state(RILEY);
    expect(state.channelHtml).toContain('ui-problems');
    expect(state.channelHtml).toContain('must have at most 50 items (has 51) [json-pointer:/blocks]');
    expect(state.placeholders).toEqual(['video_call_v9']);
  });

  it('deletes a message and archives the channel from the page, as an admin would, without telling the bot', async () => {
    const posted = await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'a card' });
    const ts = String(posted.ts);
    expect((await bot.state(RILEY)).channelHtml).toContain(`data-delete-msg="${ts}"`);
    const { json } = await bot.post('/sandbox/ui/delete-message', { channel: CHANNEL, ts });
    expect(json).toMatchObject({ level: 'ok' });
    await expect(bot.app.client.chat.update({ channel: CHANNEL, ts, text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
    await bot.post('/sandbox/ui/archive', { archived: true });
    expect((await bot.state(RILEY)).channel.archived).toBe(true);
    await expect(bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'y' })).rejects.toMatchObject({
      data: { error: 'is_archived' },
    });
    await bot.post('/sandbox/ui/archive', { archived: false });
    expect((await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'z' })).ok).toBe(true);
  });

  it('posts samples through the intake API with the token, and resets database and emulator', async () => {
    const { json } = await bot.post('/sandbox/ui/sample', {});
    expect(json).toMatchObject({ status: 201, level: 'ok' });
    const sent = bot.intake.at(-1);
    expect(sent?.auth).toBe('Bearer test-intake-token');
    expect(parseApplication(sent?.body).ok).toBe(true);
    await bot.app.client.chat.postMessage({ channel: CHANNEL, text: 'x' });
    const resets = bot.resets;
    await bot.post('/sandbox/ui/reset', {});
    expect(bot.resets).toBe(resets + 1);
    expect(bot.sandbox.emulator.state.messages).toHaveLength(0);
  });
});

describe('Load demo data', () => {
  const loaded: DemoResult = {
    outcome: 'loaded',
    applications: [{ id: 1, organization: 'Fjord Freight AS', shows: 'approved' }],
  };

  it('loads once however often it is clicked at once, and says when it is already loaded', async () => {
    const calls = bot.demo.calls;
    let finish: (r: DemoResult) => void = () => {};
    bot.demo.next = () => new Promise((resolve) => (finish = resolve));
    const both = Promise.all([bot.post('/sandbox/ui/demo', {}), bot.post('/sandbox/ui/demo', {})]);
    await expect.poll(() => bot.demo.calls).toBe(calls + 1);
    finish(loaded);
    for (const { status, json } of await both) {
      expect(status).toBe(200);
      expect(json).toMatchObject({ what: 'load demo data', level: 'ok', body: '#1 Fjord Freight AS: approved' });
      expect(json.note).toMatch(/^1 applications loaded; their cards and threads are being posted/);
    }
    expect(bot.demo.calls).toBe(calls + 1);

    bot.demo.next = async () => ({ outcome: 'already_loaded', count: 13 });
    const again = await bot.post('/sandbox/ui/demo', {});
    expect(again.json).toMatchObject({
      level: 'warn',
      note: expect.stringContaining('already loaded (13 applications). Reset sandbox'),
    });
  });

  it('answers a step the product refused with 409 and its reason', async () => {
    bot.demo.next = async () => {
      throw new DemoError('The product refused claim on the demo’s alNoor: Only a reviewer or an admin can do this.');
    };
    const { status, json } = await bot.post('/sandbox/ui/demo', {});
    expect(status).toBe(409);
    expect(json.error).toContain('Only a reviewer or an admin can do this.');
  });
});

describe('change stream', () => {
  it('announces every emulator change, and ends when the sandbox closes', async () => {
    const res = await fetch(`${bot.baseUrl}sandbox/ui/stream`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await readStream(reader, (t) => t.includes('event: ready'))).done).toBe(false);
    await bot.app.client.chat.postMessage({ channel: CHANNEL, text: `hi <@${BOT_USER_ID}>` });
    const { text } = await readStream(reader, (t) => t.includes('event: change'));
    expect(text).toContain('data: {"type":"message"}');
    bot.sandbox.close();
    expect((await readStream(reader, () => false)).done).toBe(true);
  });
});
