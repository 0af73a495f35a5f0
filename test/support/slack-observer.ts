import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import type { StoredMessage } from '../../src/sandbox/emulator/state.ts';
import { CHANNEL } from './harness.ts';

type Element = { action_id?: string; value?: string };

/** The application a card belongs to: the value of its "Status & history" button. */
export function cardApplicationId(message: { blocks: unknown[] }): number | undefined {
  for (const block of message.blocks as { elements?: Element[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id === 'card.status') return Number(element.value);
    }
  }
  return undefined;
}

/**
 * What reached the review channel, per application: its cards (more than one is a duplicate
 * post) and the lines in their threads; plus the channel's other top-level posts (digests).
 */
export function channelByApplication(emulator: RunningEmulator) {
  const cards = new Map<number, StoredMessage[]>();
  const byTs = new Map<string, number>();
  const others: StoredMessage[] = [];
  for (const m of emulator.state.messages) {
    if (m.channel !== CHANNEL || m.threadTs) continue;
    const id = cardApplicationId(m);
    if (id === undefined) {
      others.push(m);
      continue;
    }
    cards.set(id, [...(cards.get(id) ?? []), m]);
    byTs.set(m.ts, id);
  }
  const threads = new Map<number, string[]>();
  for (const m of emulator.state.messages) {
    const id = m.threadTs ? byTs.get(m.threadTs) : undefined;
    if (id !== undefined) threads.set(id, [...(threads.get(id) ?? []), m.text]);
  }
  return { cards, threads, others };
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the emulator has seen no call for `quietMs`: the bot has nothing left to send. */
export async function untilQuiet(emulator: RunningEmulator, quietMs = 1500, timeoutMs = 60_000): Promise<void> {
  let seen = emulator.state.calls.length;
  let since = Date.now();
  await waitFor(
    () => {
      if (emulator.state.calls.length !== seen) {
        seen = emulator.state.calls.length;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    'Slack calls to stop',
    timeoutMs,
  );
}
