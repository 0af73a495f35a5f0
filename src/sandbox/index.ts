import { randomBytes } from 'node:crypto';
import type { CustomRoute } from '@slack/bolt';
import { COMMAND } from '../../views/help.ts';
import type { Logger } from '../logger.ts';
import type { DemoResult } from './demo.ts';
import { createSlackEmulator, type SlackEmulator } from './emulator/server.ts';
import { BOT_ID, BOT_USER_ID } from './emulator/state.ts';
import { PERSONAS, SANDBOX_CHANNEL } from './personas.ts';
import { createSlackRequester, type SlackRequester } from './slack-requests.ts';
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
  /** Ends the browser UI's open change streams; call before stopping the server. */
  close(): void;
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
  /** Fills the workspace with demo applications (the UI's "Load demo data"). */
  loadDemo?: () => Promise<DemoResult>;
};

/**
 * Slack, played locally: the emulator answers the bot's Web API calls on the bot's own
 * server (under /sandbox/slack/), and the requester sends the bot signed requests as Slack would.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const signingSecret = randomBytes(16).toString('hex');
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
  const emulatorUrl = `${options.baseUrl}${EMULATOR_PATH.slice(1)}`;
  const requester = createSlackRequester({
    botUrl: `${options.baseUrl}slack/events`,
    signingSecret,
    emulator,
    emulatorUrl,
    channelId: SANDBOX_CHANNEL.id,
    onSlowAck: (slow) =>
      options.logger.warn({ request: slow.what, ms: slow.ms }, 'Ack took over 3 s (Slack would show the user an error)'),
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
    intakeToken: options.intakeToken ?? SANDBOX_INTAKE_TOKEN,
    commands: [COMMAND],
    ...(options.resetDatabase ? { resetDatabase: options.resetDatabase } : {}),
    ...(options.loadDemo ? { loadDemo: options.loadDemo } : {}),
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
    routes: [...routes, ...ui.routes],
    close: ui.close,
  };
}
