import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import type { EmulatorSnapshot, EmulatorState } from './emulator/state.ts';

/** How long after a change the workspace is written: a burst of posts (the demo's) is written once. */
export const SLACK_STORE_DELAY_MS = 1_000;

const message = z.object({
  channel: z.string(),
  ts: z.string(),
  threadTs: z.string().optional(),
  user: z.string(),
  text: z.string(),
  blocks: z.array(z.unknown()),
  edits: z.number(),
  files: z.array(z.string()),
  problems: z.array(z.string()),
  metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }).optional(),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  seq: z.number().int().nonnegative(),
  lastTsMicros: z.number().nonnegative(),
  channels: z.array(
    z.object({ id: z.string(), name: z.string(), isPrivate: z.boolean(), members: z.array(z.string()), archived: z.boolean() }),
  ),
  messages: z.array(message),
  files: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      title: z.string(),
      content: z.string().optional(),
      channel: z.string().optional(),
      threadTs: z.string().optional(),
      user: z.string(),
    }),
  ),
  homes: z.array(
    z.object({
      id: z.string(),
      type: z.literal('home'),
      user: z.string(),
      view: z.record(z.string(), z.unknown()),
      hash: z.string(),
      rootViewId: z.string(),
      previousViewId: z.string().optional(),
      problems: z.array(z.string()),
    }),
  ),
});

export type SlackStore = {
  /** Writes the workspace now if anything changed since the last write (on shutdown). */
  flush(): void;
  /** Flushes and stops watching. */
  close(): void;
};

/** Written whole to a temporary file, flushed to disk and renamed over the old one: a crash leaves one or the other. */
function writeDurably(file: string, data: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** The workspace as last written, or undefined (none yet, or unreadable: set aside and said in the log). */
export function readSlackStore(file: string, logger: Logger): EmulatorSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return snapshotSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) as EmulatorSnapshot;
  } catch (error) {
    const aside = `${file}.unreadable-${Date.now()}`;
    renameSync(file, aside);
    logger.warn(
      { err: error, file, movedTo: aside },
      'The sandbox’s saved Slack workspace could not be read: starting with an empty channel',
    );
    return undefined;
  }
}

/**
 * Keeps the sandbox's Slack workspace in `file` across restarts, as Slack keeps a workspace
 * while the bot restarts: loaded into the (new, empty) emulator now, then written after each
 * change (a second later, once for a burst), and at exit.
 */
export function persistSlack(
  state: EmulatorState,
  file: string,
  options: { logger: Logger; delayMs?: number },
): SlackStore & { restored: number } {
  const saved = readSlackStore(file, options.logger);
  if (saved) state.restore(saved);
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      writeDurably(file, JSON.stringify(state.snapshot()));
    } catch (error) {
      options.logger.warn({ err: error, file }, 'Could not save the sandbox’s Slack workspace');
    }
  };
  const changed = () => {
    dirty = true;
    if (timer) return;
    timer = setTimeout(write, options.delayMs ?? SLACK_STORE_DELAY_MS);
    timer.unref();
  };
  state.on('change', changed);
  process.once('exit', write);
  return {
    restored: saved?.messages.length ?? 0,
    flush: write,
    close() {
      write();
      state.off('change', changed);
      process.off('exit', write);
    },
  };
}
