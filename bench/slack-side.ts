/**
 * The Slack side of the bench, in its own thread (as Slack is another machine): the emulator,
 * which answers the bot's Web API calls, and builds and signs the requests Slack sends the bot.
 * The measured requests are sent and timed by the load generator, in a thread of its own
 * (bench/load-side.ts), which asks this one for them a few at a time over a port: the time the
 * emulator spends on a card never counts as the bot's latency. The bot under test runs on the
 * main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { type RunningEmulator, startSlackEmulator } from '../src/sandbox/emulator/server.ts';
import { PERSONAS, SANDBOX_CHANNEL } from '../src/sandbox/personas.ts';
import {
  type BotAnswer,
  createSlackRequester,
  type RequesterOptions,
  type SignedRequest,
  type SlackRequester,
} from '../src/sandbox/slack-requests.ts';
import { type ProfileSummary, startProfile } from './cpu.ts';
import type { EmulatorSide, PacingCheck, RequestSpec } from './slack-types.ts';
import { maxInWindow } from './stats.ts';
import { errorText, serveWorker } from './worker-rpc.ts';

const CHANNEL = SANDBOX_CHANNEL.id;
let emulator: RunningEmulator | undefined;
let requester: SlackRequester | undefined;
/** What the requester is made of, for building requests without sending them (the load generator sends them). */
let requesterOptions: RequesterOptions | undefined;
/** The measured requests of the level being run, and the cards they click, as planned. */
let planned: { specs: RequestSpec[]; cards: ReturnType<typeof cardIndex> } | undefined;
let intake: { url: string; token: string } | undefined;
let profiler: { stop(): Promise<ProfileSummary> } | undefined;

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is not set up`);
  return value;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cards in the review channel by application id: the ts and the buttons a reviewer sees. */
function cardIndex(): Map<number, { ts: string; buttons: Map<string, string> }> {
  const index = new Map<number, { ts: string; buttons: Map<string, string> }>();
  for (const m of need(emulator, 'emulator').state.messages) {
    if (m.channel !== CHANNEL || m.threadTs) continue;
    const actions = (m.blocks as { type?: string; elements?: { action_id?: string; value?: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    const buttons = new Map<string, string>();
    let id: number | undefined;
    for (const e of actions?.elements ?? []) {
      const match = /^(\d+):\d+$/.exec(e.value ?? '');
      if (!match || !e.action_id) continue;
      id = Number(match[1]);
      buttons.set(e.action_id, e.value ?? '');
    }
    if (id !== undefined) index.set(id, { ts: m.ts, buttons });
  }
  return index;
}

/** An intake of `body`, as the integration sends it to the bot's intake API. */
function intakeRequest(body: unknown): SignedRequest {
  const target = need(intake, 'intake target');
  return {
    url: target.url,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    body: JSON.stringify(body),
  };
}

async function postIntake(body: unknown): Promise<{ status: number; json: any }> {
  const { url, headers, body: text } = intakeRequest(body);
  const response = await fetch(url, { method: 'POST', headers, body: text });
  const answer = await response.text();
  return { status: response.status, json: answer ? JSON.parse(answer) : undefined };
}

const UNSENT: BotAnswer = { status: 0, text: '', json: undefined, ms: 0 };

/** The signed request a spec stands for, built now (its trigger is issued now, its signature dated now). */
async function signedRequest(spec: RequestSpec, cards: ReturnType<typeof cardIndex>): Promise<SignedRequest> {
  if (spec.kind === 'intake') return intakeRequest(spec.body);
  const built: SignedRequest[] = [];
  const builder = createSlackRequester({
    ...need(requesterOptions, 'requester'),
    transport: async (request) => {
      built.push(request);
      return UNSENT;
    },
  });
  await prepare(spec, cards, builder)();
  return need(built[0], 'built request');
}

/** Turns a spec into a function that sends it and answers the HTTP status; lookups happen here, not in the timing. */
function prepare(
  spec: RequestSpec,
  cards: ReturnType<typeof cardIndex>,
  slack: SlackRequester = need(requester, 'requester'),
): () => Promise<number> {
  switch (spec.kind) {
    case 'intake':
      return async () => (await postIntake(spec.body)).status;
    case 'command':
      return async () => (await slack.command({ user: spec.user, text: spec.text })).status;
    case 'submit':
      return async () => (await slack.viewSubmission({ user: spec.user, viewId: spec.viewId, values: spec.values })).status;
    case 'click': {
      const card = cards.get(spec.appId);
      const value = card?.buttons.get(spec.actionId);
      if (!card || value === undefined) throw new Error(`card ${spec.appId} has no ${spec.actionId} button`);
      const action = { actionId: spec.actionId, blockId: 'card.actions', value };
      return async () => (await slack.messageAction({ user: spec.user, channel: CHANNEL, ts: card.ts, action })).status;
    }
  }
}

const api: EmulatorSide = {
  async start() {
    emulator = await startSlackEmulator({
      token: 'xoxb-bench-token',
      users: PERSONAS,
      channels: [SANDBOX_CHANNEL],
      strictLimits: true,
    });
    return { url: emulator.url, apiUrl: emulator.apiUrl };
  },
  async target({ botUrl, intakeUrl, intakeToken, signingSecret }) {
    const emu = need(emulator, 'emulator');
    requesterOptions = { botUrl, signingSecret, emulator: emu, emulatorUrl: emu.url, channelId: CHANNEL };
    requester = createSlackRequester(requesterOptions);
    intake = { url: intakeUrl, token: intakeToken };
  },
  async intake({ bodies }) {
    const ids: number[] = [];
    for (const body of bodies) {
      const answer = await postIntake(body);
      if (answer.status !== 201) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      ids.push(Number(answer.json.id));
    }
    return ids;
  },
  async openModals({ items }) {
    const state = need(emulator, 'emulator').state;
    const cards = cardIndex();
    const viewIds: string[] = [];
    for (const item of items) {
      const before = new Set(state.views.keys());
      const status = await prepare({ kind: 'click', ...item }, cards)();
      if (status !== 200) throw new Error(`click ${item.actionId} on ${item.appId} answered ${status}`);
      let found: string | undefined;
      for (let waited = 0; found === undefined; waited += 2) {
        if (waited > 5_000) throw new Error(`no modal opened for ${item.actionId} on ${item.appId}`);
        await sleep(2);
        found = [...state.views.keys()].find((id) => !before.has(id));
      }
      viewIds.push(found);
    }
    return viewIds;
  },
  async submit({ user, viewId, values }) {
    const answer = await need(requester, 'requester').viewSubmission({ user, viewId, values });
    return { status: answer.status, text: answer.text };
  },
  async plan({ specs }) {
    planned = { specs, cards: cardIndex() };
  },
  async mark() {
    return need(emulator, 'emulator').state.calls.length;
  },
  async waitCalls({ method, since, count, timeoutMs }) {
    const state = need(emulator, 'emulator').state;
    const deadline = Date.now() + timeoutMs;
    let calls = state.calls.slice(since).filter((c) => c.method === method);
    while (calls.length < count && Date.now() < deadline) {
      await sleep(10);
      calls = state.calls.slice(since).filter((c) => c.method === method);
    }
    return {
      calls: calls.length,
      ok: calls.filter((c) => c.ok).length,
      errors: calls.filter((c) => !c.ok).map((c) => c.error ?? ''),
    };
  },
  async lastCallAt({ since }) {
    const calls = need(emulator, 'emulator').state.calls.slice(since);
    return calls.reduce((latest, c) => Math.max(latest, c.at), 0);
  },
  async faults(rates) {
    need(emulator, 'emulator').state.faultRates = rates;
  },
  async pacing({ since, expectedThread, expectedUpdates }): Promise<PacingCheck> {
    const calls = need(emulator, 'emulator').state.calls.slice(since);
    const expected = new Set(expectedThread);
    const byMethod: PacingCheck['byMethod'] = {};
    for (const c of calls) {
      const row = byMethod[c.method] ?? { ok: 0, rateLimited: 0, serverError: 0, other: 0 };
      byMethod[c.method] = row;
      if (c.ok) row.ok += 1;
      else if (c.status === 429) row.rateLimited += 1;
      else if (c.status === 500) row.serverError += 1;
      else row.other += 1;
    }
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    const threadSeen = new Map<string, number>();
    for (const c of posts.filter((p) => p.ok && p.args.thread_ts)) {
      const key = `${String(c.args.thread_ts)}|${String(c.args.text)}`;
      threadSeen.set(key, (threadSeen.get(key) ?? 0) + 1);
    }
    const updatesSeen = new Map<string, number>();
    for (const c of calls.filter((u) => u.method === 'chat.update' && u.ok)) {
      updatesSeen.set(String(c.args.ts), (updatesSeen.get(String(c.args.ts)) ?? 0) + 1);
    }
    const channels = new Set(posts.map((p) => String(p.args.channel)));
    const perChannel = (list: typeof posts) =>
      Math.max(
        0,
        ...[...channels].map((ch) =>
          maxInWindow(
            list.filter((p) => p.args.channel === ch).map((p) => p.at),
            1000,
          ),
        ),
      );
    return {
      byMethod,
      threadOnce: expectedThread.filter((k) => threadSeen.get(k) === 1).length,
      threadMissing: expectedThread.filter((k) => !threadSeen.has(k)).length,
      threadDuplicated: [...threadSeen.values()].filter((n) => n > 1).length,
      threadUnexpected: [...threadSeen.keys()].filter((k) => !expected.has(k)).length,
      distinctThreadPosts: threadSeen.size,
      updatesExact: Object.entries(expectedUpdates).filter(([ts, n]) => updatesSeen.get(ts) === n).length,
      updatesWrong: Object.entries(expectedUpdates).filter(([ts, n]) => updatesSeen.get(ts) !== n).length,
      updatesTotal: [...updatesSeen.values()].reduce((a, b) => a + b, 0),
      maxPostsPerChannelPerSecond: perChannel(posts.filter((p) => p.ok)),
      maxAttemptsPerChannelPerSecond: perChannel(posts),
    };
  },
  async profileStart() {
    profiler = await startProfile();
  },
  async profileStop() {
    const running = need(profiler, 'profiler');
    profiler = undefined;
    return running.stop();
  },
  async close() {
    await emulator?.close();
  },
};

/** The load generator's asks: the planned requests `from` to `to`, built and signed now. */
function serveLoadGenerator(port: MessagePort): void {
  port.on('message', async ({ id, from, to }: { id: number; from: number; to: number }) => {
    try {
      const plan = need(planned, 'plan');
      const requests: SignedRequest[] = [];
      for (const spec of plan.specs.slice(from, to)) requests.push(await signedRequest(spec, plan.cards));
      port.postMessage({ id, requests });
    } catch (error) {
      port.postMessage({ id, error: errorText(error) });
    }
  });
}

serveWorker(api, serveLoadGenerator);
