import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createLogger } from '../../../src/logger.ts';
import type { DemoResult } from '../../../src/sandbox/demo.ts';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import { freePort } from '../../support/ports.ts';

const pt = (text: string) => ({ type: 'plain_text' as const, text });
const opt = (text: string, value: string) => ({ text: pt(text), value });
export const OPTIONS = [opt('Alpha', 'a'), opt('Beta', 'b'), opt('Gamma', 'c')];

const input = (blockId: string, element: Record<string, unknown>, optional = true) => ({
  type: 'input',
  block_id: blockId,
  optional,
  label: pt(blockId),
  element: { action_id: 'v', ...element },
});

/** A modal with one of every input element the renderer knows, and a confirm button. */
export const TEST_MODAL = {
  type: 'modal',
  callback_id: 'test_modal',
  notify_on_close: true,
  title: pt('Test modal'),
  submit: pt('Save'),
  close: pt('Cancel'),
  blocks: [
    input('name', { type: 'plain_text_input' }, false),
    input('count', { type: 'number_input', is_decimal_allowed: false }),
    input('email', { type: 'email_text_input' }),
    input('site', { type: 'url_text_input' }),
    input('pick', { type: 'static_select', options: OPTIONS }),
    input('many', { type: 'multi_static_select', options: OPTIONS }),
    input('who', { type: 'users_select' }),
    input('whos', { type: 'multi_users_select' }),
    input('day', { type: 'datepicker' }),
    input('time', { type: 'timepicker' }),
    input('when', { type: 'datetimepicker' }),
    input('checks', { type: 'checkboxes', options: OPTIONS }),
    input('radio', { type: 'radio_buttons', options: OPTIONS }),
    {
      type: 'actions',
      block_id: 'acts',
      elements: [
        {
          type: 'button',
          action_id: 'danger_btn',
          text: pt('Delete'),
          value: 'del-1',
          style: 'danger',
          confirm: { title: pt('Really?'), text: pt('This cannot be undone.'), confirm: pt('Delete'), deny: pt('Keep') },
        },
      ],
    },
  ],
};

export const HOME_VIEW = {
  type: 'home',
  blocks: [
    { type: 'header', text: pt('Your reviews') },
    {
      type: 'actions',
      block_id: 'home_acts',
      elements: [{ type: 'button', action_id: 'home_btn', text: pt('Refresh'), value: 'r' }],
    },
  ],
};

/** What the submission listener answers next. */
export type SubmitMode = { kind: 'ack'; body?: Record<string, unknown> } | { kind: 'slow'; ms: number } | { kind: 'throw' };

export type TestBot = {
  sandbox: Sandbox;
  app: App;
  baseUrl: string;
  submissions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  closed: Record<string, unknown>[];
  homeOpened: Record<string, unknown>[];
  intake: { auth: string | undefined; body: unknown }[];
  resets: number;
  /** What "Load demo data" answers next; each call is counted. */
  demo: { calls: number; next: () => Promise<DemoResult> };
  mode: SubmitMode;
  post(path: string, body: Record<string, unknown>): Promise<{ status: number; json: any }>;
  state(user: string): Promise<any>;
  stop(): Promise<void>;
};

const silent: BoltLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A Bolt app with modals, a Home tab and buttons, behind the sandbox's emulator and UI routes. */
export async function startTestBot(): Promise<TestBot> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/`;
  const bot = {
    submissions: [],
    actions: [],
    closed: [],
    homeOpened: [],
    intake: [],
    resets: 0,
    demo: { calls: 0, next: async () => ({ outcome: 'loaded', applications: [] }) },
    mode: { kind: 'ack' } as SubmitMode,
  } as unknown as TestBot;
  const sandbox = createSandbox({
    baseUrl,
    logger: createLogger('silent'),
    intakeToken: 'test-intake-token',
    rateLimits: false,
    resetDatabase: async () => {
      bot.resets += 1;
    },
    loadDemo: () => {
      bot.demo.calls += 1;
      return bot.demo.next();
    },
  });
  const intakeRoute = {
    path: '/api/applications',
    method: 'POST',
    handler: (req: IncomingMessage, res: ServerResponse) => {
      void readAll(req).then((text) => {
        bot.intake.push({ auth: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: bot.intake.length, outcome: 'created' }));
      });
    },
  };
  const receiver = new HTTPReceiver({
    signingSecret: sandbox.signingSecret,
    customRoutes: [...sandbox.routes, intakeRoute],
    logger: silent,
  });
  const app = new App({
    token: sandbox.slack.botToken,
    botId: sandbox.slack.botId,
    botUserId: sandbox.slack.botUserId,
    receiver,
    logger: silent,
    clientOptions: { slackApiUrl: sandbox.slack.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/pii', async ({ command, ack, client }) => {
    if (command.text === 'modal') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: TEST_MODAL as never });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `Hello <@${command.user_id}>` });
  });
  app.view('test_modal', async ({ ack, body }) => {
    bot.submissions.push(body as never);
    const mode = bot.mode;
    if (mode.kind === 'throw') throw new Error('listener failed on purpose');
    if (mode.kind === 'slow') await new Promise((r) => setTimeout(r, mode.ms));
    await ack(mode.kind === 'ack' ? (mode.body as never) : undefined);
  });
  app.view({ callback_id: 'test_modal', type: 'view_closed' }, async ({ ack, body }) => {
    bot.closed.push(body as never);
    await ack();
  });
  app.action(/.*/, async ({ ack, body }) => {
    bot.actions.push(body as never);
    await ack();
  });
  app.event('app_home_opened', async ({ event, client }) => {
    bot.homeOpened.push(event as never);
    await client.views.publish({ user_id: event.user, view: HOME_VIEW as never });
  });
  await app.start({ port, host: '127.0.0.1' });
  return Object.assign(bot, {
    sandbox,
    app,
    baseUrl,
    async post(path: string, body: Record<string, unknown>) {
      const res = await fetch(`${baseUrl}${path.replace(/^\//, '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-token': await pageToken(baseUrl) },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    async state(user: string) {
      return (await fetch(`${baseUrl}sandbox/ui/state?user=${user}`)).json();
    },
    async stop() {
      sandbox.close();
      await app.stop();
    },
  });
}

/** The token the sandbox page carries (as the page's script sends it with every post). */
export async function pageToken(baseUrl: string): Promise<string> {
  const html = await (await fetch(baseUrl)).text();
  const config = /<script type="application\/json" id="sandbox-config">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
  return (JSON.parse(config) as { token?: string }).token ?? '';
}
