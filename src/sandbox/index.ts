import { randomBytes } from 'node:crypto';
import type { CustomRoute } from '@slack/bolt';
import { COMMAND } from '../../views/help.ts';
import type { Logger } from '../logger.ts';
import { SandboxClock } from './clock.ts';
import type { DemoResult } from './demo.ts';
import { createDeveloper, createInbox } from './developer.ts';
import type { DeveloperData } from './developer-data.ts';
import { createSlackEmulator, type SlackEmulator } from './emulator/server.ts';
import { BOT_ID, BOT_USER_ID } from './emulator/state.ts';
import { PERSONAS, SANDBOX_CHANNEL } from './personas.ts';
import { createSlackRequester, type SlackRequester } from './slack-requests.ts';
import { persistSlack } from './slack-store.ts';
import { clockRoutes, developerPanelRoutes } from './ui/developer-routes.ts';
import { sandboxUiRoutes } from './ui/routes.ts';

export const SANDBOX_BOT_TOKEN = 'xoxb-sandbox-token';
export const SANDBOX_INTAKE_TOKEN = 'sandbox-intake-token';
const EMULATOR_PATH = '/sandbox/slack/';

export type Sandbox = {
  emulator: SlackEmulator;
  requester: SlackRequester;
  baseUrl: string;
  signingSecret: string;
  slack: { mode: 'http'; botToken: string; signingSecret: string; apiUrl: string; botId: string; botUserId: string };
  channelId: string;
  routes: CustomRoute[];
  /** The sandbox clock: hand it to the bot as its Clock. */
  clock: SandboxClock;
  /** Where the bot sends its webhooks in the sandbox: the developer inbox. */
  webhook: { url: string; secret: string };
  /** Ends the browser UI's open change streams; call before stopping the server. */
  close(): void;
  /** Writes the Slack workspace to its file now (with `slackStateFile`); call once the bot has stopped. */
  saveSlack(): void;
};

export type SandboxOptions = {
  baseUrl: string;
  logger: Logger;
  /** The token the bot's intake API expects; the UI's sample button uses it. */
  intakeToken?: string;
  /** Slack's rate tiers (default on); off for a test bot that posts without pacing. */
  rateLimits?: boolean;
  /** Empties the sandbox database (the UI's reset button). */
  resetDatabase?: () => Promise<void>;
  /** The sandbox clock (default: a new one at real time). */
  clock?: SandboxClock;
  /** The developer's own records (what they sent, what they were asked); without them there is no developer panel. */
  developerData?: DeveloperData;
  /** After the clock goes back to now (pending Slack effects put off to the sandbox's future become due). */
  onBackToNow?: (now: Date) => Promise<void>;
  /** Fills the workspace with demo applications (the UI's "Load demo data"). */
  loadDemo?: () => Promise<DemoResult>;
  /**
   * Where the Slack workspace (channel, threads, files, Homes) is kept across restarts; without
   * it the emulator lives in memory only, as in tests.
   */
  slackStateFile?: string;
};

/**
 * Slack, played locally: the emulator answers the bot's Web API calls on the bot's own
 * server (under /sandbox/slack/), and the requester sends the bot signed requests as Slack would.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const signingSecret = randomBytes(16).toString('hex');
  const clock = options.clock ?? new SandboxClock();
  const intakeToken = options.intakeToken ?? SANDBOX_INTAKE_TOKEN;
  let refreshPage = () => {};
  const inboxSecret = randomBytes(16).toString('hex');
  const inbox = createInbox({ secret: inboxSecret, clock, onEntry: () => refreshPage() });
  const emulator = createSlackEmulator({
    token: SANDBOX_BOT_TOKEN,
    users: PERSONAS,
    channels: [SANDBOX_CHANNEL],
    strictLimits: false,
    // Slack's rate tiers, so the page shows the bot pacing its posts and backing off on 429.
    rateLimits: options.rateLimits ?? true,
    onProblem: (method, problems) =>
      options.logger.warn({ method, problems }, 'Block Kit limit broken (Slack would refuse this)'),
  });
  emulator.state.clock = () => clock.now().getTime();
  // Before anything listens or posts: the restarted sandbox finds its channel as it left it.
  const store = options.slackStateFile
    ? persistSlack(emulator.state, options.slackStateFile, { logger: options.logger })
    : undefined;
  if (store)
    options.logger.info(
      { file: options.slackStateFile, messages: store.restored },
      store.restored > 0 ? 'Sandbox Slack workspace restored' : 'Sandbox Slack workspace kept in a file',
    );
  const emulatorUrl = `${options.baseUrl}${EMULATOR_PATH.slice(1)}`;
  const requester = createSlackRequester({
    botUrl: `${options.baseUrl}slack/events`,
    signingSecret,
    emulator,
    emulatorUrl,
    channelId: SANDBOX_CHANNEL.id,
    onSlowAck: (slow) =>
      options.logger.warn({ request: slow.what, ms: slow.ms }, 'Ack took over 3 s (Slack would show the user an error)'),
    onRefusedAck: (refused) =>
      options.logger.warn(
        { request: refused.what, problems: refused.problems },
        'Block Kit limit broken in an ack (Slack would show the user an error)',
      ),
  });
  const routes: CustomRoute[] = [
    {
      path: `${EMULATOR_PATH}*rest`,
      method: ['POST', 'GET'],
      handler: (req, res) => {
        const rest = (req.params?.rest as unknown as string[] | string | undefined) ?? '';
        void emulator.handle(req, res, Array.isArray(rest) ? rest.join('/') : rest, emulatorUrl);
      },
    },
  ];
  const ui = sandboxUiRoutes({
    emulator,
    requester,
    logger: options.logger,
    channelId: SANDBOX_CHANNEL.id,
    baseUrl: options.baseUrl,
    emulatorUrl,
    intakeToken,
    commands: [COMMAND],
    ...(options.resetDatabase ? { resetDatabase: options.resetDatabase } : {}),
    ...(options.loadDemo ? { loadDemo: options.loadDemo } : {}),
    now: () => clock.now().getTime(),
    extraState: () => ({ clock: clock.describe() }),
    onReset: () => inbox.clear(),
    extend: (tools) => {
      refreshPage = tools.refresh;
      const routes = clockRoutes({
        clock,
        apiBase: options.baseUrl,
        intakeToken,
        ...(options.onBackToNow ? { onBackToNow: options.onBackToNow } : {}),
      })(tools);
      const data = options.developerData;
      if (!data) return routes;
      const developer = createDeveloper({ apiBase: options.baseUrl, intakeToken, clock, data });
      return [...routes, ...developerPanelRoutes({ developer, data, inbox })(tools)];
    },
  });
  return {
    emulator,
    requester,
    baseUrl: options.baseUrl,
    signingSecret,
    slack: {
      mode: 'http',
      botToken: SANDBOX_BOT_TOKEN,
      signingSecret,
      apiUrl: `${emulatorUrl}api/`,
      botId: BOT_ID,
      botUserId: BOT_USER_ID,
    },
    channelId: SANDBOX_CHANNEL.id,
    clock,
    webhook: { url: `${options.baseUrl}${inbox.route.path.slice(1)}`, secret: inboxSecret },
    routes: [...routes, inbox.route, ...ui.routes],
    close: ui.close,
    saveSlack: () => store?.flush(),
  };
}
