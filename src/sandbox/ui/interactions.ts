import { getArr, isRecord, type Json } from '../blockkit/html.ts';
import { METHODS, type MethodContext, SlackApiError } from '../emulator/methods.ts';
import type { EmulatorState, StoredView } from '../emulator/state.ts';
import type { BotAnswer, SlackRequester } from '../slack-requests.ts';
import { modalStack } from './snapshot.ts';
import { actionFields, type FormControl, findElement, missingRequired, stateValues } from './state-values.ts';

/** Slack waits this long for an ack, then shows the user an error and ignores the answer (SLACK.md). */
export const ACK_TIMEOUT_MS = 3_000;

/** What the page shows about one request to the bot: nothing about it is hidden. */
export type Outcome = {
  what: string;
  status?: number;
  ms?: number;
  /** 'ok' | 'warn' (slow or odd answer) | 'error' (the bot failed, or Slack would show the user an error). */
  level: 'ok' | 'warn' | 'error';
  note: string;
  body?: string;
};

export type InteractionDeps = {
  state: EmulatorState;
  requester: SlackRequester;
  channelId: string;
  emulatorUrl: string;
  viewErrors: Map<string, Record<string, string>>;
  onProblem: (what: string, problems: string[]) => void;
  /** Slash commands the app declares; anything else is refused as Slack would. */
  commands: readonly string[];
};

export class UiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function summarize(what: string, answer: BotAnswer): Outcome {
  const ms = Math.round(answer.ms);
  const base = { what, status: answer.status, ms, body: answer.text.slice(0, 2000) };
  // Checked first: Bolt itself answers 404 once 3 s pass without an ack.
  if (answer.ms > ACK_TIMEOUT_MS) {
    return {
      ...base,
      level: 'error',
      note: `No ack within 3 s (${ms} ms): Slack would show the user an error and ignore the answer.`,
    };
  }
  if (answer.status < 200 || answer.status > 299) {
    return { ...base, level: 'error', note: `The bot answered HTTP ${answer.status}; Slack would show the user an error.` };
  }
  return { ...base, level: 'ok', note: '' };
}

export function createInteractions(deps: InteractionDeps) {
  const { state } = deps;
  const ctx = (): MethodContext => ({ state, now: Date.now(), baseUrl: deps.emulatorUrl });
  const call = (method: string, args: Json): Json => {
    const impl = METHODS[method];
    if (!impl) throw new Error(`emulator has no ${method}`);
    const result = impl(args, ctx());
    const warnings = result.warnings as string[] | undefined;
    if (warnings?.length) deps.onProblem(method, warnings);
    return result;
  };

  function viewOf(viewId: string, user: string): StoredView {
    const view = state.views.get(viewId);
    if (!view || view.user !== user) throw new UiError(404, 'That view is no longer open.');
    return view;
  }

  function close(viewId: string): void {
    const view = state.views.get(viewId);
    if (!view) return;
    state.views.delete(viewId);
    deps.viewErrors.delete(viewId);
    if (modalStack(state, view.user).length === 0) {
      // A closed modal takes any older stack of the same user with it: Slack shows one modal at a time.
      for (const v of [...state.views.values()]) if (v.type === 'modal' && v.user === view.user) state.views.delete(v.id);
    }
    state.emit('change', { type: 'view_closed', user: view.user, viewId });
  }

  function clearStack(user: string): void {
    for (const v of modalStack(state, user)) close(v.id);
  }

  /** A command's ack body is its answer: Slack posts it as an ephemeral (or in the channel). */
  function postCommandAnswer(user: string, answer: BotAnswer): void {
    const json = answer.json;
    if (isRecord(json) && (typeof json.text === 'string' || Array.isArray(json.blocks))) {
      const args = { channel: deps.channelId, text: json.text, blocks: getArr(json, 'blocks') };
      if (json.response_type === 'in_channel') call('chat.postMessage', args);
      else call('chat.postEphemeral', { ...args, user });
    } else if (answer.json === undefined && answer.text.trim() !== '') {
      call('chat.postEphemeral', { channel: deps.channelId, user, text: answer.text });
    }
  }

  return {
    close,

    async command(user: string, input: string): Promise<Outcome> {
      const [command = '', ...rest] = input.trim().split(/\s+/);
      if (!deps.commands.includes(command)) {
        throw new UiError(400, `${command || 'That'} is not a command of this app. Try ${deps.commands.join(', ')}.`);
      }
      const answer = await deps.requester.command({ user, command, text: rest.join(' ') });
      const outcome = summarize(`${command} ${rest.join(' ')}`.trim(), answer);
      if (outcome.level === 'ok') postCommandAnswer(user, answer);
      return outcome;
    },

    async action(input: {
      user: string;
      blockId: string;
      actionId: string;
      values: string[];
      timeZone: string;
      target:
        | { kind: 'message'; channel: string; ts: string }
        | { kind: 'ephemeral'; id: string }
        | { kind: 'view'; viewId: string };
      controls?: FormControl[];
    }): Promise<Outcome> {
      const { target, user } = input;
      let blocks: unknown[];
      if (target.kind === 'message') {
        const message = state.findMessage(target.channel, target.ts);
        if (!message) throw new UiError(404, 'That message no longer exists.');
        blocks = message.blocks;
      } else if (target.kind === 'ephemeral') {
        const eph = state.ephemerals.find((e) => e.id === target.id && e.user === user);
        if (!eph) throw new UiError(404, 'That message no longer exists.');
        blocks = eph.blocks;
      } else {
        blocks = getArr(viewOf(target.viewId, user).view, 'blocks');
      }
      const found = findElement(blocks, input.blockId, input.actionId);
      if (!found) throw new UiError(400, `No element ${input.actionId} in block ${input.blockId}.`);
      const action = {
        actionId: found.actionId,
        blockId: found.blockId,
        fields: actionFields(found.element, input.values, input.timeZone),
      };
      const answer =
        target.kind === 'view'
          ? await deps.requester.viewAction({
              user,
              viewId: target.viewId,
              action,
              values: stateValues(blocks, input.controls ?? [], input.timeZone),
            })
          : target.kind === 'message'
            ? await deps.requester.messageAction({ user, channel: target.channel, ts: target.ts, action })
            : await deps.requester.messageAction({ user, channel: deps.channelId, ts: target.id, action });
      return summarize(`block_actions ${found.actionId}`, answer);
    },

    async submit(input: { user: string; viewId: string; controls: FormControl[]; timeZone: string }): Promise<Outcome> {
      const view = viewOf(input.viewId, input.user);
      const blocks = getArr(view.view, 'blocks');
      const values = stateValues(blocks, input.controls, input.timeZone);
      const missing = missingRequired(blocks, values);
      if (Object.keys(missing).length > 0) {
        deps.viewErrors.set(view.id, missing);
        state.emit('change', { type: 'view', user: view.user, viewId: view.id, viewType: 'modal' });
        return { what: 'view_submission', level: 'warn', note: 'Required fields are empty: Slack does not send the submission.' };
      }
      deps.viewErrors.delete(view.id);
      const answer = await deps.requester.viewSubmission({ user: input.user, viewId: view.id, values });
      const outcome = summarize(`view_submission ${String(view.view.callback_id ?? '')}`.trim(), answer);
      if (outcome.level !== 'ok') {
        state.emit('change', { type: 'view', user: view.user, viewId: view.id, viewType: 'modal' });
        return outcome;
      }
      return { ...outcome, ...applyResponseAction(view, answer.json, answer.text) };
    },

    async closeView(input: { user: string; viewId: string; all: boolean }): Promise<Outcome> {
      const view = viewOf(input.viewId, input.user);
      let outcome: Outcome = {
        what: 'close',
        level: 'ok',
        note: 'Closed (notify_on_close is not set, so the bot was not told).',
      };
      if (view.view.notify_on_close === true)
        outcome = summarize('view_closed', await deps.requester.viewClosed({ user: input.user, viewId: view.id }));
      if (input.all || view.view.clear_on_close === true) clearStack(input.user);
      else close(view.id);
      return outcome;
    },

    async homeOpened(user: string): Promise<Outcome> {
      const home = [...state.views.values()].find((v) => v.type === 'home' && v.user === user);
      const answer = await deps.requester.event({
        type: 'app_home_opened',
        user,
        channel: `D${user.slice(1)}`,
        tab: 'home',
        ...(home ? { view: { ...home.view, id: home.id, hash: home.hash } } : {}),
      });
      return summarize('app_home_opened', answer);
    },

    dismiss(user: string, id: string): void {
      const index = state.ephemerals.findIndex((e) => e.id === id && e.user === user);
      if (index < 0) return;
      state.ephemerals.splice(index, 1);
      state.emit('change', { type: 'ephemeral', user, id });
    },
  };

  /** What Slack does with a view_submission ack: close, show errors, update, push or clear. */
  function applyResponseAction(view: StoredView, json: unknown, text: string): Pick<Outcome, 'level' | 'note'> {
    if (text.trim() === '') {
      close(view.id);
      return { level: 'ok', note: 'Empty ack: the view closed.' };
    }
    if (!isRecord(json)) return { level: 'error', note: 'The ack body is not JSON; Slack would show the user an error.' };
    try {
      switch (json.response_action) {
        case 'errors': {
          const errors = isRecord(json.errors) ? json.errors : {};
          deps.viewErrors.set(view.id, Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])));
          state.emit('change', { type: 'view', user: view.user, viewId: view.id, viewType: 'modal' });
          return { level: 'ok', note: 'The bot answered with field errors; the modal stays open.' };
        }
        case 'update':
          call('views.update', { view_id: view.id, view: json.view });
          return { level: 'ok', note: 'response_action update: the view was replaced.' };
        case 'push':
          call('views.push', { trigger_id: state.issueTrigger(view.user, Date.now()), view: json.view });
          return { level: 'ok', note: 'response_action push: a view was pushed.' };
        case 'clear':
          clearStack(view.user);
          return { level: 'ok', note: 'response_action clear: all views closed.' };
        default:
          if (Object.keys(json).length === 0) {
            close(view.id);
            return { level: 'ok', note: 'Empty ack: the view closed.' };
          }
          return { level: 'error', note: 'The ack has no known response_action; Slack would show the user an error.' };
      }
    } catch (error) {
      if (error instanceof SlackApiError)
        return { level: 'error', note: `Slack would refuse that response_action: ${error.error}.` };
      throw error;
    }
  }
}

export type Interactions = ReturnType<typeof createInteractions>;
