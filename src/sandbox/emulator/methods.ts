import { blockKitProblems } from '../../../views/validate.ts';
import { BOT_ID, BOT_USER_ID, type EmulatorState, type StoredMessage, type StoredView, TEAM_ID } from './state.ts';

type Args = Record<string, unknown>;
export type MethodContext = { state: EmulatorState; now: number; baseUrl: string };
type Method = (args: Args, ctx: MethodContext) => Record<string, unknown>;

/** A Slack `ok: false` answer. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

/** Slack's trigger ids are valid 3 seconds and once. */
const TRIGGER_TTL_MS = 3_000;

const str = (args: Args, key: string): string => {
  const value = args[key];
  if (typeof value !== 'string' || value === '') throw new SlackApiError(`invalid_arguments`);
  return value;
};
const optStr = (args: Args, key: string): string | undefined =>
  typeof args[key] === 'string' && args[key] !== '' ? (args[key] as string) : undefined;
const blocksOf = (args: Args): unknown[] => (Array.isArray(args.blocks) ? args.blocks : []);
type Metadata = NonNullable<StoredMessage['metadata']>;
function metadataOf(args: Args): Metadata | undefined {
  const raw = args.metadata;
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object') throw new SlackApiError('invalid_metadata_format');
  const { event_type, event_payload } = raw as Record<string, unknown>;
  if (typeof event_type !== 'string' || event_payload === null || typeof event_payload !== 'object')
    throw new SlackApiError('invalid_metadata_format');
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

/** A page of messages as conversations.history and .replies answer it; the cursor is an offset. */
function page(all: StoredMessage[], args: Args): Record<string, unknown> {
  // Slack's bounds: both exclusive unless `inclusive`; a thread's parent is always returned.
  const oldest = Number(optStr(args, 'oldest') ?? 0) || 0;
  const latest = Number(optStr(args, 'latest') ?? 0) || Number.POSITIVE_INFINITY;
  const inclusive = args.inclusive === true || args.inclusive === 'true';
  const within = (m: StoredMessage) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
  const messages = all.filter((m, i) => (i === 0 && args.ts !== undefined) || within(m));
  const limit = Math.min(Math.max(Number(args.limit) || 100, 1), 999);
  const start = Number(optStr(args, 'cursor') ?? 0) || 0;
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const slice = messages.slice(start, start + limit).map((m) => ({
    type: 'message',
    user: m.user,
    ...(m.user === BOT_USER_ID ? { bot_id: BOT_ID } : {}),
    text: m.text,
    blocks: m.blocks,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  }));
  const more = start + limit < messages.length;
  return { messages: slice, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
}

function requireChannel(ctx: MethodContext, channel: string): void {
  if (!ctx.state.channels.has(channel) && !channel.startsWith('D')) throw new SlackApiError('channel_not_found');
}

function requireText(args: Args): void {
  if (optStr(args, 'text') === undefined && blocksOf(args).length === 0) throw new SlackApiError('no_text');
}

function useTrigger(ctx: MethodContext, args: Args): string {
  const triggerId = str(args, 'trigger_id');
  const trigger = ctx.state.triggers.get(triggerId);
  if (!trigger) throw new SlackApiError('invalid_trigger_id');
  ctx.state.triggers.delete(triggerId);
  if (ctx.now - trigger.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
  return trigger.user;
}

function viewOf(args: Args): Record<string, unknown> {
  const view = args.view;
  if (view === null || typeof view !== 'object') throw new SlackApiError('invalid_arguments');
  return view as Record<string, unknown>;
}

function storeView(ctx: MethodContext, user: string, view: Record<string, unknown>, extra: Partial<StoredView>): StoredView {
  const type = view.type === 'home' ? 'home' : 'modal';
  const problems = blockKitProblems(type, view);
  const id = extra.id ?? ctx.state.nextId('V');
  const stored: StoredView = {
    id,
    type,
    user,
    view,
    hash: ctx.state.nextId('h'),
    rootViewId: extra.rootViewId ?? id,
    ...(extra.previousViewId ? { previousViewId: extra.previousViewId } : {}),
    problems,
  };
  ctx.state.views.set(id, stored);
  ctx.state.emit('change', { type: 'view', user, viewId: id, viewType: type });
  return stored;
}

const viewResponse = (v: StoredView) => ({
  view: { ...v.view, id: v.id, hash: v.hash, root_view_id: v.rootViewId, previous_view_id: v.previousViewId ?? null },
  ...(v.problems.length > 0 ? { warnings: v.problems } : {}),
});

function modalStackDepth(ctx: MethodContext, rootViewId: string): number {
  return [...ctx.state.views.values()].filter((v) => v.rootViewId === rootViewId).length;
}

export const METHODS: Record<string, Method> = {
  'api.test': (args) => ({ args }),
  'auth.test': () => ({
    url: 'http://sandbox.slack.local/',
    team: 'Sandbox',
    user: 'pii-review',
    team_id: TEAM_ID,
    user_id: BOT_USER_ID,
    bot_id: BOT_ID,
  }),

  'chat.postMessage': (args, ctx) => {
    const channel = str(args, 'channel');
    requireChannel(ctx, channel);
    requireText(args);
    const threadTs = optStr(args, 'thread_ts');
    if (threadTs && !ctx.state.findMessage(channel, threadTs)) throw new SlackApiError('thread_not_found');
    const metadata = metadataOf(args);
    const message = {
      channel,
      ts: ctx.state.nextTs(),
      ...(threadTs ? { threadTs } : {}),
      ...(metadata ? { metadata } : {}),
      user: BOT_USER_ID,
      text: optStr(args, 'text') ?? '',
      blocks: blocksOf(args),
      edits: 0,
      files: [],
      problems: blockKitProblems('message', args),
    };
    ctx.state.messages.push(message);
    ctx.state.emit('change', { type: 'message', channel, ts: message.ts });
    return {
      channel,
      ts: message.ts,
      message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, text: message.text, blocks: message.blocks, ts: message.ts },
      ...(message.problems.length > 0 ? { warnings: message.problems } : {}),
    };
  },

  'chat.update': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    const message = ctx.state.findMessage(channel, ts);
    if (!message) throw new SlackApiError('message_not_found');
    requireText(args);
    if (args.text !== undefined) message.text = String(args.text);
    if (args.blocks !== undefined) message.blocks = blocksOf(args);
    message.edits += 1;
    message.problems = blockKitProblems('message', { text: message.text, blocks: message.blocks });
    ctx.state.emit('change', { type: 'message', channel, ts });
    return { channel, ts, text: message.text, ...(message.problems.length ? { warnings: message.problems } : {}) };
  },

  'chat.delete': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    const index = ctx.state.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (index < 0) throw new SlackApiError('message_not_found');
    ctx.state.messages.splice(index, 1);
    ctx.state.emit('change', { type: 'message', channel, ts });
    return { channel, ts };
  },

  'chat.postEphemeral': (args, ctx) => {
    const channel = str(args, 'channel');
    const user = str(args, 'user');
    requireChannel(ctx, channel);
    requireText(args);
    if (!ctx.state.users.has(user)) throw new SlackApiError('user_not_in_channel');
    const id = ctx.state.nextId('E');
    ctx.state.ephemerals.push({
      id,
      channel,
      user,
      text: optStr(args, 'text') ?? '',
      blocks: blocksOf(args),
      at: new Date(ctx.now).toISOString(),
      problems: blockKitProblems('message', args),
    });
    ctx.state.emit('change', { type: 'ephemeral', user, id });
    return { message_ts: ctx.state.nextTs() };
  },

  'conversations.history': (args, ctx) => {
    const channel = str(args, 'channel');
    requireChannel(ctx, channel);
    const top = ctx.state.messages.filter((m) => m.channel === channel && (!m.threadTs || m.threadTs === m.ts));
    return page(top.reverse(), args); // newest first, as Slack answers
  },

  'conversations.replies': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    const parent = ctx.state.findMessage(channel, ts);
    if (!parent) throw new SlackApiError('thread_not_found');
    return page([parent, ...ctx.state.messages.filter((m) => m.channel === channel && m.threadTs === ts)], args);
  },

  'conversations.open': (args, ctx) => {
    const users = str(args, 'users').split(',');
    const user = users[0] as string;
    if (!ctx.state.users.has(user)) throw new SlackApiError('user_not_found');
    const id = `D${user.slice(1)}`;
    if (!ctx.state.channels.has(id)) ctx.state.channels.set(id, { id, name: `dm-${user}`, isPrivate: true });
    return { channel: { id } };
  },

  'users.info': (args, ctx) => {
    const user = ctx.state.users.get(str(args, 'user'));
    if (!user) throw new SlackApiError('user_not_found');
    const offset = tzOffsetSeconds(user.tz, ctx.now);
    return {
      user: {
        id: user.id,
        team_id: TEAM_ID,
        name: user.name,
        real_name: user.realName,
        tz: user.tz,
        tz_offset: offset,
        is_bot: false,
        profile: {
          real_name: user.realName,
          display_name: user.name,
          title: user.title,
          email: `${user.name}@sandbox.example.com`,
        },
      },
    };
  },

  'views.open': (args, ctx) => {
    const user = useTrigger(ctx, args);
    return viewResponse(storeView(ctx, user, viewOf(args), {}));
  },

  'views.push': (args, ctx) => {
    const user = useTrigger(ctx, args);
    const top = [...ctx.state.views.values()].reverse().find((v) => v.user === user && v.type === 'modal');
    if (!top) throw new SlackApiError('view_not_found');
    if (modalStackDepth(ctx, top.rootViewId) >= 3) throw new SlackApiError('push_limit_reached');
    return viewResponse(storeView(ctx, user, viewOf(args), { rootViewId: top.rootViewId, previousViewId: top.id }));
  },

  'views.update': (args, ctx) => {
    const id = optStr(args, 'view_id') ?? [...ctx.state.views.values()].find((v) => v.view.external_id === args.external_id)?.id;
    const existing = id ? ctx.state.views.get(id) : undefined;
    if (!existing) throw new SlackApiError('not_found');
    if (typeof args.hash === 'string' && args.hash !== existing.hash) throw new SlackApiError('hash_conflict');
    return viewResponse(storeView(ctx, existing.user, viewOf(args), { ...existing, id: existing.id }));
  },

  'views.publish': (args, ctx) => {
    const user = str(args, 'user_id');
    if (!ctx.state.users.has(user)) throw new SlackApiError('user_not_found');
    const view = viewOf(args);
    if (view.type !== 'home') throw new SlackApiError('invalid_arguments');
    const existing = [...ctx.state.views.values()].find((v) => v.type === 'home' && v.user === user);
    return viewResponse(storeView(ctx, user, view, existing ? { id: existing.id } : {}));
  },

  'files.getUploadURLExternal': (args, ctx) => {
    const id = ctx.state.nextId('F');
    ctx.state.files.set(id, { id, filename: str(args, 'filename'), title: str(args, 'filename'), user: BOT_USER_ID });
    return { upload_url: `${ctx.baseUrl}upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal': (args, ctx) => {
    const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
    const channel = optStr(args, 'channel_id') ?? optStr(args, 'channels');
    const threadTs = optStr(args, 'thread_ts');
    const done = files.map(({ id, title }) => {
      const file = ctx.state.files.get(id);
      if (!file?.content) throw new SlackApiError('file_not_found');
      if (title) file.title = title;
      if (channel) file.channel = channel;
      if (threadTs) file.threadTs = threadTs;
      return file;
    });
    if (channel) {
      requireChannel(ctx, channel);
      const message = {
        channel,
        ts: ctx.state.nextTs(),
        ...(threadTs ? { threadTs } : {}),
        user: BOT_USER_ID,
        text: optStr(args, 'initial_comment') ?? '',
        blocks: [],
        edits: 0,
        files: done.map((f) => f.id),
        problems: [],
      };
      ctx.state.messages.push(message);
      ctx.state.emit('change', { type: 'message', channel, ts: message.ts });
    }
    return { files: done.map((f) => ({ id: f.id, title: f.title, name: f.filename })) };
  },
};

function tzOffsetSeconds(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}
