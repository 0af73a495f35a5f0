import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import type { DemoResult } from '../demo.ts';
import type { SlackEmulator } from '../emulator/server.ts';
import type { EmulatorChange } from '../emulator/state.ts';
import { PERSONAS } from '../personas.ts';
import { SAMPLE_APPLICATIONS, sampleApplication } from '../samples.ts';
import type { SlackRequester } from '../slack-requests.ts';
import { demoRoute } from './demo-route.ts';
import { createInteractions, type Outcome, UiError } from './interactions.ts';
import { renderPage } from './page.ts';
import { createPageTokens, sandboxHostAllowed } from './same-origin.ts';
import { buildSnapshot, createPostTimes } from './snapshot.ts';
import type { FormControl } from './state-values.ts';

export type UiDeps = {
  emulator: SlackEmulator;
  requester: SlackRequester;
  logger: Logger;
  channelId: string;
  /** The bot's own base URL (ends in "/"); samples go through its real intake API. */
  baseUrl: string;
  emulatorUrl: string;
  intakeToken: string;
  commands: readonly string[];
  resetDatabase?: () => Promise<void>;
  /** Fills the workspace with demo applications (the page's "Load demo data"). */
  loadDemo?: () => Promise<DemoResult>;
  /** The sandbox clock (default: real time): post times, date tokens and samples follow it. */
  now?: () => number;
  /** More page routes (the developer panel, the clock), built with the page's own helpers. */
  extend?: (tools: UiTools) => CustomRoute[];
  /** More for the page's state (the sandbox clock). */
  extraState?: () => Record<string, unknown>;
  /** After a reset (the developer inbox empties). */
  onReset?: () => void;
};

/** What extensions of the page use: token-checked posts, reads, and a nudge for open pages to redraw. */
export type UiTools = {
  post(path: string, fn: (body: Record<string, unknown>) => Promise<unknown>): CustomRoute;
  get(path: string, fn: (query: URLSearchParams) => Promise<unknown>): CustomRoute;
  refresh(): void;
};

const MAX_BODY = 256 * 1024;
const HEARTBEAT_MS = 20_000;
/** The page's scripts: plain ES modules, read once, served as they are (no bundler). */
const SCRIPTS = Object.fromEntries(
  ['client.js', 'controls.js', 'permalink.js', 'developer.js', 'clock.js', 'demo.js', 'overflow.js'].map((name) => [
    name,
    readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'),
  ]),
);

type Req = IncomingMessage & { params?: Record<string, string | string[]> };

function send(res: ServerResponse, status: number, body: string, type: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new UiError(413, 'Request too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new UiError(400, 'Send a JSON object.');
  }
}

const str = (body: Record<string, unknown>, key: string): string => {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new UiError(400, `${key} is required.`);
  return v;
};

function persona(id: string) {
  const p = PERSONAS.find((x) => x.id === id);
  if (!p) throw new UiError(400, `Unknown persona ${id.slice(0, 40)}.`);
  return p;
}

function controlsOf(value: unknown): FormControl[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((c) => {
    if (c === null || typeof c !== 'object') return [];
    const { blockId, actionId, values } = c as Record<string, unknown>;
    if (typeof blockId !== 'string' || typeof actionId !== 'string' || !Array.isArray(values)) return [];
    return [{ blockId, actionId, values: values.filter((v): v is string => typeof v === 'string') }];
  });
}

/**
 * The sandbox's browser UI: a page, a JSON snapshot per persona, a change stream, and the
 * posts that turn clicks into the signed requests Slack would send.
 */
export function sandboxUiRoutes(deps: UiDeps) {
  const { state } = deps.emulator;
  const nowMs = deps.now ?? Date.now;
  const postTimes = createPostTimes(state, nowMs);
  const viewErrors = new Map<string, Record<string, string>>();
  const streams = new Set<ServerResponse>();
  let sampleCount = 0;
  const tokens = createPageTokens();
  const ownHost = new URL(deps.baseUrl).hostname;
  const interactions = createInteractions({
    state,
    requester: deps.requester,
    channelId: deps.channelId,
    emulatorUrl: deps.emulatorUrl,
    viewErrors,
    commands: deps.commands,
    onProblem: (method, problems) => deps.logger.warn({ method, problems }, 'Block Kit limit broken (Slack would refuse this)'),
  });

  // Route handlers get raw req/res from Bolt and must never throw: every failure is an answer.
  const handle =
    (name: string, fn: (req: Req, res: ServerResponse) => Promise<void> | void): CustomRoute['handler'] =>
    (req, res) => {
      Promise.resolve()
        .then(() => {
          if (!sandboxHostAllowed(req.headers.host, ownHost))
            throw new UiError(403, `Open the sandbox at ${deps.baseUrl} (or by IP address).`);
          return fn(req as Req, res);
        })
        .catch((error: unknown) => {
          if (error instanceof UiError) return json(res, error.status, { error: error.message });
          deps.logger.error({ err: error, route: name }, 'sandbox UI request failed');
          json(res, 500, { error: error instanceof Error ? error.message : 'Internal error' });
        });
    };

  const post = (path: string, fn: (body: Record<string, unknown>) => Promise<unknown>): CustomRoute => ({
    path,
    method: 'POST',
    handler: handle(path, async (req, res) => {
      try {
        tokens.check(req);
      } catch (error) {
        req.resume();
        throw error;
      }
      json(res, 200, await fn(await readBody(req)));
    }),
  });

  function onChange(change: EmulatorChange): void {
    const data = `event: change\ndata: ${JSON.stringify({ type: change.type })}\n\n`;
    for (const res of streams) res.write(data);
  }
  state.on('change', onChange);

  const routes: CustomRoute[] = [
    {
      path: '/',
      method: 'GET',
      handler: handle('page', (_req, res) =>
        send(
          res,
          200,
          renderPage({
            personas: PERSONAS,
            channelName: state.channels.get(deps.channelId)?.name ?? 'review',
            token: tokens.issue(),
          }),
          'text/html; charset=utf-8',
        ),
      ),
    },
    ...Object.entries(SCRIPTS).map(([name, body]) => ({
      path: `/sandbox/ui/${name}`,
      method: 'GET',
      handler: handle(name, (_req, res) => send(res, 200, body, 'text/javascript; charset=utf-8')),
    })),
    {
      path: '/sandbox/ui/stream',
      method: 'GET',
      handler: handle('stream', (req, res) => {
        // Connection: close so a stopping server is not held open by a browser tab.
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'close',
        });
        res.write('retry: 1000\n\nevent: ready\ndata: {}\n\n');
        streams.add(res);
        const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        req.on('close', () => {
          clearInterval(heartbeat);
          streams.delete(res);
        });
      }),
    },
    {
      path: '/sandbox/ui/state',
      method: 'GET',
      handler: handle('state', (req, res) => {
        const user = new URL(req.url ?? '/', 'http://localhost').searchParams.get('user') ?? PERSONAS[0]?.id ?? '';
        persona(user);
        json(res, 200, {
          ...buildSnapshot({ state, channelId: deps.channelId, userId: user, postTimes, viewErrors, now: new Date(nowMs()) }),
          ...deps.extraState?.(),
        });
      }),
    },
    {
      path: '/sandbox/ui/files/:id',
      method: 'GET',
      handler: handle('file', (req, res) => {
        const file = state.files.get(String(req.params?.id ?? ''));
        if (!file?.content) throw new UiError(404, 'No such file.');
        const name = (file.filename || 'file').replace(/[^\w.-]+/g, '_');
        // Served as a download, never inline: the content is whatever the bot uploaded.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"`,
          'content-length': String(file.content.length),
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        res.end(file.content);
      }),
    },
    post('/sandbox/ui/command', (b) => interactions.command(persona(str(b, 'user')).id, str(b, 'text'))),
    post('/sandbox/ui/action', async (b) => {
      const user = persona(str(b, 'user'));
      const target =
        typeof b.viewId === 'string'
          ? { kind: 'view' as const, viewId: b.viewId }
          : typeof b.ephemeralId === 'string'
            ? { kind: 'ephemeral' as const, id: b.ephemeralId }
            : { kind: 'message' as const, channel: str(b, 'channel'), ts: str(b, 'ts') };
      const values = Array.isArray(b.values) ? b.values.filter((v): v is string => typeof v === 'string') : [];
      return interactions.action({
        user: user.id,
        blockId: str(b, 'blockId'),
        actionId: str(b, 'actionId'),
        values,
        timeZone: user.tz,
        target,
        controls: controlsOf(b.controls),
      });
    }),
    post('/sandbox/ui/submit', (b) => {
      const user = persona(str(b, 'user'));
      return interactions.submit({
        user: user.id,
        viewId: str(b, 'viewId'),
        controls: controlsOf(b.controls),
        timeZone: user.tz,
      });
    }),
    post('/sandbox/ui/close', (b) =>
      interactions.closeView({ user: persona(str(b, 'user')).id, viewId: str(b, 'viewId'), all: b.all === true }),
    ),
    post('/sandbox/ui/home-opened', (b) => interactions.homeOpened(persona(str(b, 'user')).id)),
    post('/sandbox/ui/dismiss', async (b) => {
      interactions.dismiss(persona(str(b, 'user')).id, str(b, 'id'));
      return { what: 'dismiss', level: 'ok', note: 'Dismissed.' } satisfies Outcome;
    }),
    post('/sandbox/ui/delete-message', async (b) => {
      const deleted = state.deleteMessage(str(b, 'channel'), str(b, 'ts'));
      if (!deleted) throw new UiError(404, 'That message is already gone.');
      return {
        what: 'delete message',
        level: 'ok',
        note: 'Deleted, as an admin or a retention policy would; the bot is not told (chat.update now answers message_not_found).',
      } satisfies Outcome;
    }),
    post('/sandbox/ui/archive', async (b) => {
      const archived = b.archived === true;
      state.setArchived(deps.channelId, archived);
      return {
        what: archived ? 'archive channel' : 'unarchive channel',
        level: 'ok',
        note: archived ? 'Channel archived: posts to it now answer is_archived.' : 'Channel unarchived.',
      } satisfies Outcome;
    }),
    post('/sandbox/ui/sample', async () => {
      const input = sampleApplication(sampleCount++, new Date(nowMs()));
      const started = performance.now();
      const response = await fetch(`${deps.baseUrl}api/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.intakeToken}` },
        body: JSON.stringify(input),
      });
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      const ok = response.status === 200 || response.status === 201;
      const answer = ok ? (JSON.parse(text) as { id?: number; outcome?: string }) : {};
      return {
        what: 'POST /api/applications',
        status: response.status,
        ms,
        level: ok ? 'ok' : 'error',
        note: ok
          ? `Application #${answer.id} (${input.organization.name}) ${answer.outcome ?? 'created'}`
          : 'Intake refused the sample application.',
        body: text.slice(0, 2000),
      } satisfies Outcome;
    }),
    post('/sandbox/ui/demo', () => demoRoute(deps)),
    post('/sandbox/ui/reset', async () => {
      await deps.resetDatabase?.();
      viewErrors.clear();
      sampleCount = 0;
      state.reset();
      deps.onReset?.();
      return {
        what: 'reset',
        level: 'ok',
        note: deps.resetDatabase
          ? 'Database and Slack emulator emptied.'
          : 'Slack emulator emptied (no database reset was configured).',
      } satisfies Outcome;
    }),
  ];

  routes.push(
    ...(deps.extend?.({
      post,
      get: (path, fn) => ({
        path,
        method: 'GET',
        handler: handle(path, async (req, res) =>
          json(res, 200, await fn(new URL(req.url ?? '/', 'http://localhost').searchParams)),
        ),
      }),
      refresh: () => onChange({ type: 'channel', channel: deps.channelId }),
    }) ?? []),
  );

  return {
    routes,
    samples: SAMPLE_APPLICATIONS.length,
    /** Ends every open change stream, so the server can stop. */
    close(): void {
      state.off('change', onChange);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
