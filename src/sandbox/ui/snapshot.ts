import { escapeHtml } from '../blockkit/html.ts';
import { type RenderContext, renderBlocks, renderMrkdwn, renderView } from '../blockkit/render.ts';
import { BOT_USER_ID, type EmulatorState, type StoredMessage, type StoredView } from '../emulator/state.ts';
import { PERSONAS } from '../personas.ts';
import { ICONS } from './icons.ts';

export const BOT_NAME = 'pii-review';

/** What the page needs to draw one persona's screen; HTML is rendered here, in that persona's time zone. */
export type Snapshot = {
  user: { id: string; name: string; realName: string; tz: string; title: string; role: string };
  channel: { id: string; name: string; archived: boolean };
  channelHtml: string;
  dmHtml: string;
  threads: Record<string, string>;
  modal: { viewId: string; key: string; depth: number; html: string } | null;
  home: { viewId: string | null; html: string };
  /** Block or element types the renderer could not show (each also visible as a .bk-unknown box). */
  placeholders: string[];
};

/** When each message was first seen: Slack shows post times, and the emulator's ts values are synthetic. */
export function createPostTimes(state: EmulatorState, now: () => number = Date.now) {
  const times = new Map<string, number>();
  const key = (channel: string, ts: string) => `${channel}/${ts}`;
  state.on('change', (change) => {
    if (change.type === 'reset') times.clear();
    if (change.type === 'message' && !times.has(key(change.channel, change.ts))) times.set(key(change.channel, change.ts), now());
  });
  // A message from before a restart was seen by no watcher: its ts is its time (Slack's clock, the sandbox's).
  return { of: (m: StoredMessage) => times.get(key(m.channel, m.ts)) ?? Number(m.ts) * 1000 };
}
export type PostTimes = ReturnType<typeof createPostTimes>;

export type SnapshotInput = {
  state: EmulatorState;
  channelId: string;
  userId: string;
  postTimes: PostTimes;
  /** block_id → message per view, from the bot's `response_action: errors`. */
  viewErrors: ReadonlyMap<string, Record<string, string>>;
  now?: Date;
};

function clock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(at).replace(/\u202f/g, ' ');
}

function fullDate(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(at);
}

function problemsHtml(problems: readonly string[], what: string): string {
  if (problems.length === 0) return '';
  const items = problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('');
  return `<div class="ui-problems" role="alert"><strong>⚠ Slack would refuse this ${what}</strong> (Block Kit limits):<ul>${items}</ul></div>`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  const { state, userId } = input;
  const persona = PERSONAS.find((p) => p.id === userId) ?? PERSONAS[0];
  if (!persona) throw new Error('no personas');
  const tz = persona.tz;
  const placeholders: string[] = [];
  const users: RenderContext['users'] = { [BOT_USER_ID]: { name: BOT_NAME } };
  for (const u of state.users.values()) users[u.id] = { name: u.realName };
  const channels: Record<string, { name: string }> = {};
  for (const c of state.channels.values()) channels[c.id] = { name: c.name };
  const ctx = (idPrefix: string, errors?: Record<string, string>): RenderContext => ({
    timeZone: tz,
    users,
    channels,
    placeholders,
    now: input.now ?? new Date(),
    idPrefix,
    ...(errors ? { errors } : {}),
  });

  const body = (blocks: unknown[], text: string, prefix: string) =>
    blocks.length > 0
      ? renderBlocks(blocks, ctx(prefix), 'message')
      : `<div class="msg-text">${renderMrkdwn(text, ctx(prefix))}</div>`;

  const files = (m: StoredMessage) =>
    m.files
      .map((id) => state.files.get(id))
      .filter((f) => f !== undefined)
      .map(
        (f) =>
          `<div class="msg-file"><span class="msg-file-icon">${ICONS.file}</span><div><a class="msg-file-name" href="/sandbox/ui/files/${encodeURIComponent(f.id)}" download>${escapeHtml(f.title || f.filename)}</a><div class="msg-file-meta">${escapeHtml(f.filename)} · ${formatBytes(f.content?.length ?? 0)}</div></div></div>`,
      )
      .join('');

  const replies = (m: StoredMessage) => state.messages.filter((r) => r.channel === m.channel && r.threadTs === m.ts);

  const message = (m: StoredMessage, inThread: boolean) => {
    const at = input.postTimes.of(m);
    const count = inThread ? 0 : replies(m).length;
    const thread =
      count > 0
        ? `<button type="button" class="msg-replies" data-open-thread="${escapeHtml(m.ts)}">${count} ${count === 1 ? 'reply' : 'replies'}</button>`
        : '';
    return (
      `<article class="msg" data-msg-channel="${escapeHtml(m.channel)}" data-msg-ts="${escapeHtml(m.ts)}">` +
      `<div class="msg-avatar" aria-hidden="true">PR</div><div class="msg-main">` +
      `<div class="msg-meta"><span class="msg-author">${BOT_NAME}</span><span class="msg-badge">APP</span>` +
      `<time title="${escapeHtml(fullDate(at, tz))}">${escapeHtml(clock(at, tz))}</time>${m.edits > 0 ? '<span class="msg-edited">(edited)</span>' : ''}` +
      `<button type="button" class="link-button msg-delete" data-delete-msg="${escapeHtml(m.ts)}" data-delete-channel="${escapeHtml(m.channel)}" title="Delete it as an admin or a retention policy would; the bot is not told">Delete</button></div>` +
      `${body(m.blocks, m.text, `m${m.ts}-`)}${files(m)}${problemsHtml(m.problems, 'message')}${thread}</div></article>`
    );
  };

  const timeline = (channel: string) => {
    const items = [
      ...state.messages
        .filter((m) => m.channel === channel && !m.threadTs)
        .map((m) => ({ at: input.postTimes.of(m), html: message(m, false) })),
      ...state.ephemerals
        .filter((e) => e.user === userId && e.channel === channel)
        .map((e) => {
          const at = Date.parse(e.at);
          return {
            at,
            html:
              `<article class="msg msg--ephemeral" data-ephemeral-id="${escapeHtml(e.id)}" data-msg-channel="${escapeHtml(e.channel)}">` +
              `<div class="msg-avatar" aria-hidden="true">PR</div><div class="msg-main">` +
              `<div class="msg-meta"><span class="msg-author">${BOT_NAME}</span><span class="msg-badge">APP</span>` +
              `<time title="${escapeHtml(fullDate(at, tz))}">${escapeHtml(clock(at, tz))}</time></div>` +
              `${body(e.blocks, e.text, `e${e.id}-`)}${problemsHtml(e.problems, 'message')}` +
              `<div class="msg-ephemeral-note">${ICONS.eye} Only visible to you · <button type="button" class="link-button" data-dismiss="${escapeHtml(e.id)}">Dismiss message</button></div></div></article>`,
          };
        }),
    ];
    items.sort((a, b) => a.at - b.at);
    return items.map((i) => i.html).join('');
  };

  const threads: Record<string, string> = {};
  for (const m of state.messages) {
    if (m.threadTs || m.channel !== input.channelId) continue;
    const list = replies(m);
    if (list.length === 0) continue;
    threads[m.ts] =
      `${message(m, true)}<div class="thread-count">${list.length} ${list.length === 1 ? 'reply' : 'replies'}</div>` +
      list.map((r) => message(r, true)).join('');
  }

  const channel = state.channels.get(input.channelId) ?? { id: input.channelId, name: input.channelId, archived: false };
  return {
    user: { id: persona.id, name: persona.name, realName: persona.realName, tz, title: persona.title, role: persona.role },
    channel: { id: channel.id, name: channel.name, archived: channel.archived },
    channelHtml: timeline(input.channelId),
    dmHtml: timeline(`D${userId.slice(1)}`),
    threads,
    modal: modalOf(state, userId, (view, errors) => renderView(view.view, ctx(`v${view.id}-`, errors)), input.viewErrors),
    home: homeOf(state, userId, (view) => renderView(view.view, ctx(`h${view.id}-`))),
    placeholders,
  };
}

/** The user's visible modal stack (the newest root's), top first; Slack shows only the top view. */
export function modalStack(state: EmulatorState, userId: string): StoredView[] {
  const mine = [...state.views.values()].filter((v) => v.type === 'modal' && v.user === userId);
  const newest = mine[mine.length - 1];
  if (!newest) return [];
  const stack = mine.filter((v) => v.rootViewId === newest.rootViewId);
  const below = new Set(stack.map((v) => v.previousViewId).filter(Boolean));
  const ordered: StoredView[] = [];
  let top = stack.find((v) => !below.has(v.id));
  while (top) {
    ordered.push(top);
    const previous: string | undefined = top.previousViewId;
    top = previous ? stack.find((v) => v.id === previous) : undefined;
  }
  return ordered;
}

function modalOf(
  state: EmulatorState,
  userId: string,
  render: (view: StoredView, errors?: Record<string, string>) => string,
  viewErrors: ReadonlyMap<string, Record<string, string>>,
): Snapshot['modal'] {
  const stack = modalStack(state, userId);
  const top = stack[0];
  if (!top) return null;
  const errors = viewErrors.get(top.id);
  // The key changes only when what the bot sent changes, so the page keeps what the user typed otherwise.
  const key = `${top.id}:${top.hash}:${JSON.stringify(errors ?? {})}`;
  const html = `${problemsHtml(top.problems, 'view')}${render(top, errors)}`;
  return { viewId: top.id, key, depth: stack.length, html };
}

function homeOf(state: EmulatorState, userId: string, render: (view: StoredView) => string): Snapshot['home'] {
  const view = [...state.views.values()].find((v) => v.type === 'home' && v.user === userId);
  if (!view) {
    return {
      viewId: null,
      html:
        `<div class="empty-state"><div class="empty-state-icon">${ICONS.home}</div><h2>No Home tab yet</h2>` +
        `<p>${BOT_NAME} has not published a Home tab for you (no <code>views.publish</code> call). ` +
        'Opening this tab sent the bot an <code>app_home_opened</code> event, as Slack does; the Home feature may not exist yet.</p></div>',
    };
  }
  return { viewId: view.id, html: `${problemsHtml(view.problems, 'Home tab')}${render(view)}` };
}
