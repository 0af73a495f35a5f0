import { blockKitProblems, MESSAGE_TEXT_MAX } from '../../../views/validate.ts';
import { type Args, type Method, type MethodContext, optStr, SlackApiError, str } from './call.ts';
import { VIEW_METHODS } from './methods-views.ts';
import { BOT_ID, BOT_USER_ID, type EmulatorState, type SandboxChannel, type StoredMessage, TEAM_ID } from './state.ts';

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
function page(all: StoredMessage[], args: Args, files: EmulatorState['files']): Record<string, unknown> {
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
    ...(m.files.length > 0
      ? { files: m.files.map((id) => ({ id, name: files.get(id)?.filename, title: files.get(id)?.title })) }
      : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  }));
  const more = start + limit < messages.length;
  return { messages: slice, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
}

/** A DM is `D` + the user id's tail; a user id as channel posts to the app's DM with them, as in Slack. */
function directMessage(ctx: MethodContext, channel: string): SandboxChannel | undefined {
  const user = [...ctx.state.users.keys()].find((id) => channel === id || channel === `D${id.slice(1)}`);
  if (!user) return undefined;
  const id = `D${user.slice(1)}`;
  const dm = ctx.state.channels.get(id) ?? {
    id,
    name: `dm-${user}`,
    isPrivate: true,
    members: new Set([user, BOT_USER_ID]),
    archived: false,
  };
  ctx.state.channels.set(id, dm);
  return dm;
}

/** The channel must exist and hold the bot; to post, it must not be archived. */
function requireChannel(ctx: MethodContext, channel: string, use: 'read' | 'post'): void {
  const found = ctx.state.channels.get(channel) ?? directMessage(ctx, channel);
  if (!found) throw new SlackApiError('channel_not_found');
  if (use === 'post' && found.archived) throw new SlackApiError('is_archived');
  // A private channel the bot is not in is invisible to it; a public one it merely has not joined.
  if (!found.members.has(BOT_USER_ID)) throw new SlackApiError(found.isPrivate ? 'channel_not_found' : 'not_in_channel');
}

function requireText(args: Args): void {
  if (optStr(args, 'text') === undefined && blocksOf(args).length === 0) throw new SlackApiError('no_text');
  if ((optStr(args, 'text') ?? '').length > MESSAGE_TEXT_MAX) throw new SlackApiError('msg_too_long');
}

export const METHODS: Record<string, Method> = {
  ...VIEW_METHODS,
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
    requireChannel(ctx, channel, 'post');
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
    ctx.state.addMessage(message);
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
    requireChannel(ctx, channel, 'post');
    const message = ctx.state.findMessage(channel, ts);
    if (!message) throw new SlackApiError('message_not_found');
    if (message.user !== BOT_USER_ID) throw new SlackApiError('cant_update_message');
    requireText(args);
    if (args.text !== undefined) message.text = String(args.text);
    if (args.blocks !== undefined) message.blocks = blocksOf(args);
    message.edits += 1;
    message.problems = blockKitProblems('message', { text: message.text, blocks: message.blocks });
    ctx.state.emit('change', { type: 'message', channel, ts });
    return { channel, ts, text: message.text, ...(message.problems.length ? { warnings: message.problems } : {}) };
  },

  'chat.getPermalink': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'message_ts');
    requireChannel(ctx, channel, 'read');
    if (!ctx.state.findMessage(channel, ts)) throw new SlackApiError('message_not_found');
    // Slack's own shape (…/archives/<channel>/p<ts without the dot>), on the emulator: the sandbox page opens it in place.
    return { channel, permalink: `${ctx.baseUrl}archives/${channel}/p${ts.replace('.', '')}` };
  },

  'chat.delete': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    requireChannel(ctx, channel, 'post');
    const message = ctx.state.findMessage(channel, ts);
    if (!message) throw new SlackApiError('message_not_found');
    if (message.user !== BOT_USER_ID) throw new SlackApiError('cant_delete_message');
    ctx.state.deleteMessage(channel, ts);
    return { channel, ts };
  },

  'chat.postEphemeral': (args, ctx) => {
    const channel = str(args, 'channel');
    const user = str(args, 'user');
    requireChannel(ctx, channel, 'post');
    requireText(args);
    if (!ctx.state.channels.get(channel)?.members.has(user)) throw new SlackApiError('user_not_in_channel');
    const id = ctx.state.nextId('E');
    ctx.state.ephemerals.push({
      id,
      channel,
      user,
      text: optStr(args, 'text') ?? '',
      blocks: blocksOf(args),
      // Slack's clock for what people see (the sandbox clock when it has one), as for message ts.
      at: new Date(ctx.state.clock()).toISOString(),
      problems: blockKitProblems('message', args),
    });
    ctx.state.emit('change', { type: 'ephemeral', user, id });
    return { message_ts: ctx.state.nextTs() };
  },

  'conversations.history': (args, ctx) => {
    const channel = str(args, 'channel');
    requireChannel(ctx, channel, 'read');
    const top = ctx.state.messages.filter((m) => m.channel === channel && (!m.threadTs || m.threadTs === m.ts));
    return page(top.reverse(), args, ctx.state.files); // newest first, as Slack answers
  },

  'conversations.replies': (args, ctx) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    requireChannel(ctx, channel, 'read');
    const parent = ctx.state.findMessage(channel, ts);
    if (!parent) throw new SlackApiError('thread_not_found');
    return page([parent, ...ctx.state.messages.filter((m) => m.channel === channel && m.threadTs === ts)], args, ctx.state.files);
  },

  'conversations.open': (args, ctx) => {
    const users = str(args, 'users').split(',');
    const user = users[0] as string;
    if (!ctx.state.users.has(user)) throw new SlackApiError('user_not_found');
    const id = `D${user.slice(1)}`;
    directMessage(ctx, id);
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

  'files.getUploadURLExternal': (args, ctx) => {
    const id = ctx.state.nextId('F');
    ctx.state.files.set(id, { id, filename: str(args, 'filename'), title: str(args, 'filename'), user: BOT_USER_ID });
    return { upload_url: `${ctx.baseUrl}upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal': (args, ctx) => {
    const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
    const channel = optStr(args, 'channel_id') ?? optStr(args, 'channels');
    const threadTs = optStr(args, 'thread_ts');
    if (channel) requireChannel(ctx, channel, 'post');
    const done = files.map(({ id, title }) => {
      const file = ctx.state.files.get(id);
      if (!file?.content) throw new SlackApiError('file_not_found');
      if (title) file.title = title;
      if (channel) file.channel = channel;
      if (threadTs) file.threadTs = threadTs;
      return file;
    });
    if (channel) {
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
      ctx.state.addMessage(message);
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

export { type MethodContext, SlackApiError };
