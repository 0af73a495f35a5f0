import { EventEmitter } from 'node:events';

export type SandboxUser = {
  id: string;
  name: string;
  realName: string;
  tz: string;
  /** What the persona is in the sandbox; the bot learns roles from its own config, not from here. */
  title: string;
};

export type StoredMessage = {
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  blocks: unknown[];
  edits: number;
  files: string[];
  /** Block Kit limit problems found when the message was posted or last updated. */
  problems: string[];
  /** Message metadata, as `chat.postMessage` took it. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
};

export type EphemeralMessage = {
  id: string;
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
  at: string;
  problems: string[];
};

export type StoredView = {
  id: string;
  type: 'modal' | 'home';
  user: string;
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId?: string;
  problems: string[];
};

export type StoredFile = {
  id: string;
  filename: string;
  title: string;
  content?: Buffer;
  channel?: string;
  threadTs?: string;
  user: string;
};

export type RecordedCall = {
  method: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  status: number;
  at: number;
};

/**
 * An answer other than the method's own. `done: true` does the work first and loses the
 * answer (a timeout or a proxy error after Slack posted): the caller cannot tell it happened.
 */
export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 500; done?: boolean }
  | { error: string }
  /** Answers as usual, this much later: a slow Slack. */
  | { delayMs: number };

export type SandboxChannel = {
  id: string;
  name: string;
  isPrivate: boolean;
  /** Who is in it, the bot included; Slack refuses posts by non-members and ephemerals to them. */
  members: Set<string>;
  archived: boolean;
};

/** A request to the bot whose ack took longer than Slack waits (3 s): Slack would have shown an error. */
export type RefusedAck = { what: string; problems: string[]; at: number };
export type SlowAck = { what: string; ms: number; at: number };

/** What the emulator tells listeners (the sandbox UI) after every change. */
export type EmulatorChange =
  | { type: 'message'; channel: string; ts: string }
  | { type: 'ephemeral'; user: string; id: string }
  | { type: 'view'; user: string; viewId: string; viewType: 'modal' | 'home' }
  | { type: 'view_closed'; user: string; viewId: string }
  | { type: 'channel'; channel: string }
  | { type: 'reset' };

/**
 * What of the workspace outlives a restart of the sandbox, as it outlives a restart of the bot in
 * Slack: the channels' messages and threads, the files shared in them, each person's App Home.
 * Not what a Slack client loses on reload either (ephemerals, open modals) nor the emulator's
 * own bookkeeping (calls, triggers, faults). Plain JSON: file contents in base64.
 */
export type EmulatorSnapshot = {
  version: 1;
  seq: number;
  lastTsMicros: number;
  channels: { id: string; name: string; isPrivate: boolean; members: string[]; archived: boolean }[];
  messages: StoredMessage[];
  files: (Omit<StoredFile, 'content'> & { content?: string })[];
  homes: StoredView[];
};

export const BOT_USER_ID = 'UPIIBOT01';
export const BOT_ID = 'BPIIBOT01';
export const TEAM_ID = 'TSANDBOX1';

export class EmulatorState extends EventEmitter<{ change: [EmulatorChange] }> {
  readonly users = new Map<string, SandboxUser>();
  readonly channels = new Map<string, SandboxChannel>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, StoredView>();
  readonly files = new Map<string, StoredFile>();
  readonly calls: RecordedCall[] = [];
  /** Requests to the bot that were not acknowledged within 3 s. */
  readonly slowAcks: SlowAck[] = [];
  /** Acks whose body Slack would refuse (Block Kit broken): a reply or a modal the user never sees. */
  readonly refusedAcks: RefusedAck[] = [];
  /** Issued trigger ids and when; Slack's are single-use and live 3 seconds. */
  readonly triggers = new Map<string, { user: string; issuedAt: number }>();
  /** Faults to answer the next calls of a method with ('*' matches any). */
  readonly faults: { method: string; fault: Fault }[] = [];
  /** Random fault rates, for pacing and outage drills. */
  faultRates = { rateLimited: 0, serverError: 0, retryAfter: 1 };
  /** Set when the workspace revoked the bot's token (`admin-actions.ts`): every call answers this error. */
  tokenRefusal: string | undefined;
  /** Slack's clock; the sandbox sets its own clock here, so post times follow its jumps. */
  clock: () => number = Date.now;
  #seq = 0;
  /** The last ts handed out, in microseconds: ts stay unique and increasing within a millisecond. */
  #lastTsMicros = 0;

  nextId(prefix: string): string {
    this.#seq += 1;
    return `${prefix}${this.#seq.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** Like Slack's: the time of posting (Slack's own clock), so `oldest`/`latest` filter by time. */
  nextTs(): string {
    this.#seq += 1;
    this.#lastTsMicros = Math.max(this.clock() * 1000, this.#lastTsMicros + 1);
    const seconds = Math.floor(this.#lastTsMicros / 1_000_000);
    return `${seconds}.${String(this.#lastTsMicros % 1_000_000).padStart(6, '0')}`;
  }

  /**
   * Messages by channel and ts, filled as the emulator posts them (and by findMessage): a card
   * is updated and replied to many times over a long run, and scanning every message each time
   * made the emulator's cost grow with its history. `messages` stays the truth (tests push to
   * it): a miss scans it; deleteMessage and reset, the only ways a message leaves it, drop its entry.
   */
  readonly #byTs = new Map<string, StoredMessage>();
  static #keyOf = (channel: string, ts: string) => `${channel}|${ts}`;

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    const key = EmulatorState.#keyOf(channel, ts);
    const known = this.#byTs.get(key);
    if (known) return known;
    const found = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (found) this.#byTs.set(key, found);
    return found;
  }

  /** Stores a message posted now and tells the watchers. */
  addMessage(message: StoredMessage): void {
    this.messages.push(message);
    this.#byTs.set(EmulatorState.#keyOf(message.channel, message.ts), message);
    this.emit('change', { type: 'message', channel: message.channel, ts: message.ts });
  }

  /** A message someone else wrote (the bot may not edit or delete it). */
  postAs(user: string, channel: string, text: string): StoredMessage {
    const message = { channel, ts: this.nextTs(), user, text, blocks: [], edits: 0, files: [], problems: [] };
    this.addMessage(message);
    return message;
  }

  /** Deletes a message as an admin or a retention policy would: the bot is not told. */
  deleteMessage(channel: string, ts: string): boolean {
    const index = this.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    this.#byTs.delete(EmulatorState.#keyOf(channel, ts));
    this.emit('change', { type: 'message', channel, ts });
    return true;
  }

  /** Archives (or unarchives) a channel: posts to it then fail with `is_archived`. */
  setArchived(channel: string, archived: boolean): boolean {
    const found = this.channels.get(channel);
    if (!found) return false;
    found.archived = archived;
    this.emit('change', { type: 'channel', channel });
    return true;
  }

  /** Messages a method was asked to send, for tests: `callsTo('chat.postMessage')`. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  issueTrigger(user: string, at: number): string {
    const id = `${this.#seq + 1}.${Date.now()}.${Math.random().toString(16).slice(2, 10)}`;
    this.#seq += 1;
    this.triggers.set(id, { user, issuedAt: at });
    return id;
  }

  snapshot(): EmulatorSnapshot {
    return {
      version: 1,
      seq: this.#seq,
      lastTsMicros: this.#lastTsMicros,
      channels: [...this.channels.values()].map((c) => ({ ...c, members: [...c.members] })),
      messages: this.messages,
      files: [...this.files.values()].map(({ content, ...file }) => ({
        ...file,
        ...(content ? { content: content.toString('base64') } : {}),
      })),
      homes: [...this.views.values()].filter((v) => v.type === 'home'),
    };
  }

  /**
   * Takes back a snapshot into an emulator just made (nothing posted yet): the workspace's own
   * users and channels stay as configured, but an archived channel stays archived and a DM
   * opened since is there again. Ids and ts go on from where they were, so none is handed out twice.
   */
  restore(snapshot: EmulatorSnapshot): void {
    for (const c of snapshot.channels) {
      const known = this.channels.get(c.id);
      if (known) known.archived = c.archived;
      else this.channels.set(c.id, { ...c, members: new Set(c.members) });
    }
    this.messages.push(...snapshot.messages);
    for (const file of snapshot.files) {
      const { content, ...rest } = file;
      this.files.set(file.id, { ...rest, ...(content !== undefined ? { content: Buffer.from(content, 'base64') } : {}) });
    }
    for (const home of snapshot.homes) if (this.users.has(home.user)) this.views.set(home.id, home);
    this.#seq = Math.max(this.#seq, snapshot.seq);
    this.#lastTsMicros = Math.max(this.#lastTsMicros, snapshot.lastTsMicros);
  }

  reset(): void {
    this.messages.length = 0;
    this.#byTs.clear();
    this.ephemerals.length = 0;
    this.views.clear();
    this.files.clear();
    this.calls.length = 0;
    this.slowAcks.length = 0;
    this.refusedAcks.length = 0;
    for (const channel of this.channels.values()) channel.archived = false;
    this.triggers.clear();
    this.faults.length = 0;
    this.tokenRefusal = undefined;
    this.emit('change', { type: 'reset' });
  }
}
