import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitProblems } from '../../../views/validate.ts';
import { METHODS, SlackApiError } from './methods.ts';
import {
  createRateLimiter,
  type RateLimiter,
  type RateLimits,
  readManifestScopes,
  SLACK_RATE_LIMITS,
  scopesFor,
} from './rules.ts';
import { BOT_USER_ID, EmulatorState, type Fault, type SandboxUser } from './state.ts';

export type EmulatorOptions = {
  /** The bot token the emulator accepts. */
  token: string;
  users: readonly SandboxUser[];
  /** `members` defaults to every user and the bot. */
  channels: readonly { id: string; name: string; isPrivate?: boolean; members?: readonly string[] }[];
  /** Refuse Block Kit that breaks a limit (`invalid_blocks`), as Slack does; off in the sandbox, which shows it instead. */
  strictLimits?: boolean;
  /** The bot token's scopes; by default those `manifest.yml` requests. A method they do not cover answers `missing_scope`. */
  scopes?: readonly string[];
  /** Slack's rate tiers (429 with Retry-After); `true` for Slack's own figures. Off unless asked, to keep suites fast. */
  rateLimits?: boolean | RateLimits;
  now?: () => number;
  onProblem?: (method: string, problems: string[]) => void;
};

export type SlackEmulator = {
  state: EmulatorState;
  /** Turns Slack's rate tiers on (Slack's figures or given ones) or off. */
  setRateLimits(limits: boolean | RateLimits): void;
  /** Handles a request whose path, below the emulator's mount point, is `rest` (e.g. `api/chat.postMessage`). */
  handle(req: IncomingMessage, res: ServerResponse, rest: string, baseUrl: string): Promise<void>;
  /** Registers where Bolt's `respond()` for an interaction goes; answers the URL to put in the payload. */
  responseUrl(baseUrl: string, target: ResponseTarget): string;
};

export type ResponseTarget = { user: string; channel: string; messageTs?: string };

/** Slack accepts up to 5 responses on a response_url, within 30 minutes of the interaction. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);
const LIMIT_CHECKED_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', ...VIEW_METHODS]);

const MAX_BODY = 5 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SlackApiError('request_too_large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** web-api posts upload bytes as multipart form data; Slack keeps the file part, not the framing. */
async function uploadedBytes(req: IncomingMessage, raw: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  const entries: FormDataEntryValue[] = [];
  form.forEach((value) => {
    entries.push(value);
  });
  const [first] = entries;
  if (first === undefined) return Buffer.alloc(0);
  return typeof first === 'string' ? Buffer.from(first) : Buffer.from(await first.arrayBuffer());
}

/** Slack's Web API takes form fields whose objects are JSON strings, or a JSON body. */
function parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function createSlackEmulator(options: EmulatorOptions): SlackEmulator {
  const state = new EmulatorState();
  const now = options.now ?? Date.now;
  for (const user of options.users) state.users.set(user.id, user);
  for (const c of options.channels) {
    const members = new Set(c.members ?? [...state.users.keys(), BOT_USER_ID]);
    state.channels.set(c.id, { id: c.id, name: c.name, isPrivate: c.isPrivate ?? true, members, archived: false });
  }
  const responseTargets = new Map<string, ResponseTarget & { issuedAt: number; uses: number }>();
  const granted = new Set(options.scopes ?? readManifestScopes());
  let limiter: RateLimiter | undefined;
  const setRateLimits = (limits: boolean | RateLimits) => {
    limiter = limits === false ? undefined : createRateLimiter(limits === true ? SLACK_RATE_LIMITS : limits);
  };
  setRateLimits(options.rateLimits ?? false);

  /** The scope a call lacks, if any (`missing_scope`, with Slack's `needed` and `provided`). */
  function missingScope(method: string, args: Record<string, unknown>): string | undefined {
    const channelId = typeof args.channel === 'string' ? args.channel : undefined;
    const channel = channelId ? state.channels.get(channelId) : undefined;
    const kind = channelId?.startsWith('D') ? 'im' : channel && !channel.isPrivate ? 'public' : 'private';
    const needed = scopesFor(method, kind);
    if (!needed || needed.length === 0 || needed.some((s) => granted.has(s))) return undefined;
    return needed[0];
  }

  /** Block Kit as Slack checks it: `invalid_blocks` for messages, `invalid_arguments` for views. */
  function blockProblems(method: string, args: Record<string, unknown>): string[] {
    if (!VIEW_METHODS.has(method)) return blockKitProblems('message', args);
    const view = (args.view ?? {}) as Record<string, unknown>;
    return blockKitProblems(view.type === 'home' ? 'home' : 'modal', view);
  }
  const refusal = (method: string, problems: string[]) =>
    VIEW_METHODS.has(method)
      ? { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } }
      : {
          ok: false,
          error: 'invalid_blocks',
          errors: problems,
          response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
        };

  function takeFault(method: string): Fault | undefined {
    const index = state.faults.findIndex((f) => f.method === method || f.method === '*');
    if (index >= 0) return state.faults.splice(index, 1)[0]?.fault;
    const roll = Math.random();
    if (roll < state.faultRates.rateLimited) return { status: 429, retryAfter: state.faultRates.retryAfter };
    if (roll < state.faultRates.rateLimited + state.faultRates.serverError) return { status: 500 };
    return undefined;
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, method: string, baseUrl: string): Promise<void> {
    const args = parseArgs(req, await readBody(req));
    const record = (status: number, ok: boolean, error?: string) =>
      state.calls.push({ method, args, ok, status, at: now(), ...(error ? { error } : {}) });
    const auth = req.headers.authorization ?? (typeof args.token === 'string' ? `Bearer ${args.token}` : '');
    if (auth !== `Bearer ${options.token}`) {
      record(200, false, 'invalid_auth');
      return send(res, 200, { ok: false, error: auth ? 'invalid_auth' : 'not_authed' });
    }
    if (state.tokenRefusal) {
      record(200, false, state.tokenRefusal);
      return send(res, 200, { ok: false, error: state.tokenRefusal });
    }
    const taken = takeFault(method);
    if (taken && 'delayMs' in taken) await new Promise((resolve) => setTimeout(resolve, taken.delayMs));
    const fault = taken && 'delayMs' in taken ? undefined : taken;
    if (fault && 'done' in fault && fault.done) {
      try {
        METHODS[method]?.(args, { state, now: now(), baseUrl });
      } catch (error) {
        if (!(error instanceof SlackApiError)) throw error;
      }
    }
    if (fault && 'status' in fault) {
      record(fault.status, false, `http_${fault.status}`);
      if (fault.status === 429)
        return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
      return send(res, 500, { ok: false, error: 'internal_error' });
    }
    if (fault) {
      record(200, false, fault.error);
      return send(res, 200, { ok: false, error: fault.error });
    }
    const impl = METHODS[method];
    if (!impl) {
      record(200, false, 'unknown_method');
      return send(res, 200, { ok: false, error: 'unknown_method' });
    }
    const needed = missingScope(method, args);
    if (needed) {
      record(200, false, 'missing_scope');
      return send(res, 200, { ok: false, error: 'missing_scope', needed, provided: [...granted].join(',') });
    }
    const wait = limiter?.check(method, typeof args.channel === 'string' ? args.channel : undefined, now()) ?? 0;
    if (wait > 0) {
      record(429, false, 'ratelimited');
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
    }
    if (LIMIT_CHECKED_METHODS.has(method) && options.strictLimits) {
      const problems = blockProblems(method, args);
      if (problems.length > 0) {
        options.onProblem?.(method, problems);
        const body = refusal(method, problems);
        record(200, false, body.error);
        return send(res, 200, body);
      }
    }
    try {
      const result = impl(args, { state, now: now(), baseUrl });
      record(200, true);
      const warnings = result.warnings as string[] | undefined;
      if (warnings?.length) options.onProblem?.(method, warnings);
      send(res, 200, { ok: true, ...result });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      record(200, false, error.error);
      send(res, 200, { ok: false, error: error.error });
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const file = state.files.get(fileId);
    if (!file) return send(res, 404, { ok: false });
    file.content = await uploadedBytes(req, await readBody(req));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${file.content.length}`);
  }

  /** What Bolt's respond() sends: ephemeral by default, or in the channel, or replacing the original. */
  async function respond(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const target = responseTargets.get(token);
    if (!target) return send(res, 404, { ok: false, error: 'expired_url' });
    const body = parseArgs(req, await readBody(req));
    const refuse = (status: number, error: string, extra: Record<string, unknown> = {}) => {
      state.calls.push({ method: 'response_url', args: body, ok: false, status, error, at: now() });
      send(res, status, { ok: false, error, ...extra });
    };
    if (now() - target.issuedAt > RESPONSE_URL_TTL_MS) return refuse(404, 'expired_url');
    if (target.uses >= RESPONSE_URL_USES) return refuse(404, 'used_url');
    target.uses += 1;
    if (options.strictLimits && !body.delete_original) {
      const problems = blockKitProblems('message', body);
      if (problems.length > 0) {
        options.onProblem?.('response_url', problems);
        return refuse(400, 'invalid_blocks', { errors: problems });
      }
    }
    const ctx = { state, now: now(), baseUrl: '' };
    try {
      if (body.delete_original === true && target.messageTs) {
        METHODS['chat.delete']?.({ channel: target.channel, ts: target.messageTs }, ctx);
      } else if (body.replace_original === true && target.messageTs) {
        METHODS['chat.update']?.({ channel: target.channel, ts: target.messageTs, text: body.text, blocks: body.blocks }, ctx);
      } else if (body.response_type === 'in_channel') {
        METHODS['chat.postMessage']?.({ channel: target.channel, text: body.text, blocks: body.blocks }, ctx);
      } else {
        METHODS['chat.postEphemeral']?.(
          { channel: target.channel, user: target.user, text: body.text, blocks: body.blocks },
          ctx,
        );
      }
      state.calls.push({ method: 'response_url', args: body, ok: true, status: 200, at: now() });
      send(res, 200, { ok: true });
    } catch (error) {
      const code = error instanceof SlackApiError ? error.error : 'internal_error';
      state.calls.push({ method: 'response_url', args: body, ok: false, status: 200, error: code, at: now() });
      send(res, 200, { ok: false, error: code });
    }
  }

  return {
    state,
    setRateLimits,
    responseUrl(baseUrl, target) {
      const token = state.nextId('R');
      responseTargets.set(token, { ...target, issuedAt: now(), uses: 0 });
      return `${baseUrl}response/${token}`;
    },
    async handle(req, res, rest, baseUrl) {
      try {
        const [kind, id = ''] = rest.split('/');
        if (req.method === 'GET' && kind === 'archives') return openPermalink(res, rest, baseUrl);
        if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
        if (kind === 'api') return await callMethod(req, res, id, baseUrl);
        if (kind === 'upload') return await upload(req, res, id);
        if (kind === 'response') return await respond(req, res, id);
        send(res, 404, { ok: false, error: 'unknown_path' });
      } catch (error) {
        const code = error instanceof SlackApiError ? error.error : 'internal_error';
        if (!res.headersSent) send(res, code === 'request_too_large' ? 413 : 500, { ok: false, error: code });
      }
    },
  };
}

/**
 * A permalink opened in a new tab: to the sandbox page, which shows the message (`?message=`).
 * The page is served at the root of the origin the emulator is mounted on.
 */
function openPermalink(res: ServerResponse, rest: string, baseUrl: string): void {
  const match = /^archives\/([A-Z0-9]+)\/p(\d+)(\d{6})$/.exec(rest);
  if (!match) {
    send(res, 404, { ok: false, error: 'message_not_found' });
    return;
  }
  const page = new URL('/', baseUrl || 'http://localhost/');
  page.searchParams.set('message', `${match[1]}/${match[2]}.${match[3]}`);
  res.writeHead(302, { location: page.toString() });
  res.end();
}

export type RunningEmulator = SlackEmulator & {
  /** Base URL of the emulator; the Web API is at `${url}api/` (WebClient's slackApiUrl). */
  url: string;
  apiUrl: string;
  close(): Promise<void>;
};

/** The emulator on its own loopback server, as tests use it: Slack's stand-in on a random port. */
export async function startSlackEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = createSlackEmulator(options);
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/^\//, '');
    void emulator.handle(req, res, path, baseUrl);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    ...emulator,
    url: baseUrl,
    apiUrl: `${baseUrl}api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { BOT_USER_ID };
