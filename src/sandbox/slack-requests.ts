import { createHmac } from 'node:crypto';
import { escapeSlackText } from '../../views/format.ts';
import { blockKitProblems } from '../../views/validate.ts';
import type { SlackEmulator } from './emulator/server.ts';
import { type RefusedAck, type SlowAck, TEAM_ID } from './emulator/state.ts';

/** Slack's request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, hex, prefixed `v0=`. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type BotAnswer = { status: number; text: string; json: unknown; ms: number };

export type SentRequest = {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** Overrides for the signing headers, to forge or replay. */
  headers?: Record<string, string>;
};

export type RequesterOptions = {
  /** The bot's Slack endpoint, e.g. http://127.0.0.1:3000/slack/events */
  botUrl: string;
  signingSecret: string;
  emulator: SlackEmulator;
  /** The emulator's base URL (where response_url and uploads point). */
  emulatorUrl: string;
  channelId: string;
  now?: () => number;
  /** Told of every request whose ack took longer than Slack waits (also recorded in the emulator's state). */
  onSlowAck?: (slow: SlowAck) => void;
  /** Slack's 3 s, unless a test shortens it. */
  ackDeadlineMs?: number;
  /**
   * Told of every ack whose body Slack would refuse: a reply's blocks or a modal pushed or
   * updated in the ack, over a Block Kit limit (also recorded in the emulator's state).
   */
  onRefusedAck?: (refused: RefusedAck) => void;
  /**
   * Sends a signed request in place of fetch (the benchmark hands requests built here to
   * another thread, which sends and times them); answers what the bot answered.
   */
  transport?: (request: SignedRequest) => Promise<BotAnswer>;
};

/** A request as Slack sends it, signed. */
export type SignedRequest = { url: string; headers: Record<string, string>; body: string };

/** Slack shows the user an error when the bot has not acknowledged within 3 seconds. */
export const ACK_DEADLINE_MS = 3_000;

/** What a request was, for the slow-ack record: the command, or the payload type and callback. */
function describe(request: SentRequest): string {
  const form = new URLSearchParams(request.body);
  if (form.has('command')) return `${form.get('command')} ${form.get('text') ?? ''}`.trim();
  try {
    const payload = JSON.parse(form.get('payload') ?? request.body) as Record<string, unknown>;
    const view = payload.view as { callback_id?: string } | undefined;
    const action = (payload.actions as { action_id?: string }[] | undefined)?.[0]?.action_id;
    return [payload.type ?? 'event', view?.callback_id ?? action].filter(Boolean).join(' ');
  } catch {
    return 'request';
  }
}

export type ActionSpec = {
  actionId: string;
  blockId?: string;
  value?: string;
  type?: string;
  selectedOption?: { value: string; text?: string };
  /** The element's fields as Slack sends them (text, selected_options, selected_date, …); they win over the above. */
  fields?: Record<string, unknown>;
};

/**
 * What Slack would refuse in an ack's body, as it checks the same Block Kit sent through the
 * Web API: a reply's blocks (a slash command's), or the view of `response_action: update|push`.
 */
function ackProblems(json: unknown): string[] {
  if (json === null || typeof json !== 'object') return [];
  const body = json as { blocks?: unknown; response_action?: unknown; view?: unknown };
  if (body.response_action === 'update' || body.response_action === 'push')
    return blockKitProblems('modal', (body.view ?? {}) as Record<string, unknown>);
  return Array.isArray(body.blocks) ? blockKitProblems('message', body as Record<string, unknown>) : [];
}

/**
 * Sends the bot exactly what Slack would: the same payload shapes, content types and
 * signatures. Used by tests, the sandbox UI and the benchmark.
 */
export function createSlackRequester(options: RequesterOptions) {
  const now = options.now ?? Date.now;
  const userObject = (id: string) => {
    const user = options.emulator.state.users.get(id);
    return { id, username: user?.name ?? id, name: user?.name ?? id, team_id: TEAM_ID };
  };

  async function send(request: SentRequest): Promise<BotAnswer> {
    const timestamp = Math.floor(now() / 1000);
    const headers = {
      'content-type': request.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.signingSecret, timestamp, request.body),
      ...request.headers,
    };
    if (options.transport) return options.transport({ url: options.botUrl, headers, body: request.body });
    const started = performance.now();
    const response = await fetch(options.botUrl, { method: 'POST', headers, body: request.body });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const ms = performance.now() - started;
    const problems = ackProblems(json);
    if (problems.length > 0) {
      const refused = { what: describe(request), problems, at: now() };
      options.emulator.state.refusedAcks.push(refused);
      options.onRefusedAck?.(refused);
    }
    if (ms > (options.ackDeadlineMs ?? ACK_DEADLINE_MS)) {
      const slow = { what: describe(request), ms: Math.round(ms), at: now() };
      options.emulator.state.slowAcks.push(slow);
      options.onSlowAck?.(slow);
    }
    return { status: response.status, text, json, ms };
  }

  const interactive = (payload: Record<string, unknown>, headers?: Record<string, string>) =>
    send({
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
      ...(headers ? { headers } : {}),
    });

  return {
    send,

    command(input: { user: string; text: string; command?: string; channel?: string; headers?: Record<string, string> }) {
      const channel = input.channel ?? options.channelId;
      const user = userObject(input.user);
      const form = new URLSearchParams({
        token: 'sandbox-verification-token',
        team_id: TEAM_ID,
        team_domain: 'sandbox',
        channel_id: channel,
        channel_name: options.emulator.state.channels.get(channel)?.name ?? 'privategroup',
        user_id: user.id,
        user_name: user.name,
        command: input.command ?? '/pii',
        // As Slack sends it: its control characters escaped (`&amp;`, `&lt;`, `&gt;`).
        text: escapeSlackText(input.text),
        api_app_id: 'APIIREVIEW',
        is_enterprise_install: 'false',
        response_url: options.emulator.responseUrl(options.emulatorUrl, { user: user.id, channel }),
        trigger_id: options.emulator.state.issueTrigger(user.id, now()),
      });
      return send({
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        ...(input.headers ? { headers: input.headers } : {}),
      });
    },

    /** A click on a message (card) element. */
    messageAction(input: { user: string; channel: string; ts: string; action: ActionSpec }) {
      const message = options.emulator.state.findMessage(input.channel, input.ts);
      return interactive({
        type: 'block_actions',
        user: userObject(input.user),
        api_app_id: 'APIIREVIEW',
        token: 'sandbox-verification-token',
        container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: false },
        trigger_id: options.emulator.state.issueTrigger(input.user, now()),
        team: { id: TEAM_ID, domain: 'sandbox' },
        channel: { id: input.channel, name: options.emulator.state.channels.get(input.channel)?.name ?? 'channel' },
        message: message
          ? { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, thread_ts: message.threadTs }
          : { type: 'message', ts: input.ts, text: '' },
        response_url: options.emulator.responseUrl(options.emulatorUrl, {
          user: input.user,
          channel: input.channel,
          messageTs: input.ts,
        }),
        actions: [actionPayload(input.action, now())],
        state: { values: {} },
      });
    },

    /** A click inside a modal or the App Home. */
    viewAction(input: { user: string; viewId: string; action: ActionSpec; values?: Record<string, unknown> }) {
      const view = options.emulator.state.views.get(input.viewId);
      return interactive({
        type: 'block_actions',
        user: userObject(input.user),
        api_app_id: 'APIIREVIEW',
        token: 'sandbox-verification-token',
        container: { type: 'view', view_id: input.viewId },
        trigger_id: options.emulator.state.issueTrigger(input.user, now()),
        team: { id: TEAM_ID, domain: 'sandbox' },
        view: view ? viewPayload(view, input.values ?? {}) : { id: input.viewId },
        actions: [actionPayload(input.action, now())],
      });
    },

    /** Submits a modal with `values` shaped as Slack's `view.state.values[block_id][action_id]`. */
    viewSubmission(input: { user: string; viewId: string; values: Record<string, unknown>; headers?: Record<string, string> }) {
      const view = options.emulator.state.views.get(input.viewId);
      if (!view) throw new Error(`no view ${input.viewId} in the emulator`);
      return interactive(
        {
          type: 'view_submission',
          team: { id: TEAM_ID, domain: 'sandbox' },
          user: userObject(input.user),
          api_app_id: 'APIIREVIEW',
          token: 'sandbox-verification-token',
          trigger_id: options.emulator.state.issueTrigger(input.user, now()),
          view: viewPayload(view, input.values),
          response_urls: [],
        },
        input.headers,
      );
    },

    viewClosed(input: { user: string; viewId: string }) {
      const view = options.emulator.state.views.get(input.viewId);
      return interactive({
        type: 'view_closed',
        team: { id: TEAM_ID, domain: 'sandbox' },
        user: userObject(input.user),
        api_app_id: 'APIIREVIEW',
        view: view ? viewPayload(view, {}) : { id: input.viewId },
        is_cleared: false,
      });
    },

    event(event: Record<string, unknown>, headers?: Record<string, string>) {
      return send({
        body: JSON.stringify({
          token: 'sandbox-verification-token',
          team_id: TEAM_ID,
          api_app_id: 'APIIREVIEW',
          event: { event_ts: String(now() / 1000), ...event },
          type: 'event_callback',
          event_id: `Ev${now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 6).toUpperCase()}`,
          event_time: Math.floor(now() / 1000),
        }),
        contentType: 'application/json',
        ...(headers ? { headers } : {}),
      });
    },
  };
}

function actionPayload(action: ActionSpec, at: number): Record<string, unknown> {
  return {
    action_id: action.actionId,
    block_id: action.blockId ?? 'block',
    type: action.type ?? 'button',
    ...(action.value !== undefined ? { value: action.value } : {}),
    ...(action.selectedOption
      ? {
          selected_option: {
            value: action.selectedOption.value,
            text: { type: 'plain_text', text: action.selectedOption.text ?? action.selectedOption.value },
          },
        }
      : {}),
    ...action.fields,
    action_ts: String(at / 1000),
  };
}

function viewPayload(
  stored: { id: string; hash: string; rootViewId: string; previousViewId?: string; view: Record<string, unknown> },
  values: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...stored.view,
    id: stored.id,
    team_id: TEAM_ID,
    hash: stored.hash,
    root_view_id: stored.rootViewId,
    previous_view_id: stored.previousViewId ?? null,
    private_metadata: stored.view.private_metadata ?? '',
    callback_id: stored.view.callback_id ?? '',
    state: { values },
  };
}

export type SlackRequester = ReturnType<typeof createSlackRequester>;
