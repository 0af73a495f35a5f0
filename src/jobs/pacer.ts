/**
 * Spaces posts per channel (Slack allows about one message per second per channel, with
 * short bursts), so a burst of reminders is paced rather than answered with 429s.
 *
 * A channel's posts take their slots one after another, each when the one before it has
 * gone: a slot is counted from when the post before it actually went, so two posts whose
 * timers a busy event loop fired late never go out together.
 */
export function createPacer(intervalMs: number, burst = 3) {
  const nextFree = new Map<string, number>();
  /** Per channel, the last post waiting for its slot: the next one waits behind it. */
  const queues = new Map<string, Promise<void>>();

  async function slot(channel: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const now = Date.now();
    // The bucket: a channel may run `burst` intervals ahead of now, no more.
    const slotAt = Math.max(now - intervalMs * (burst - 1), nextFree.get(channel) ?? 0);
    const delay = slotAt - now;
    if (delay > 0) await sleep(delay, signal);
    // A post that waited is counted from when it went: late, if its timer fired late.
    nextFree.set(channel, (delay > 0 ? Math.max(slotAt, Date.now()) : slotAt) + intervalMs);
  }

  return {
    /** Resolves at the channel's next free slot, or at once when `signal` aborts (a stopping dispatcher). */
    async wait(channel: string, signal?: AbortSignal): Promise<void> {
      if (intervalMs <= 0) return;
      const mine = (queues.get(channel) ?? Promise.resolve()).then(() => slot(channel, signal));
      queues.set(channel, mine);
      try {
        await mine;
      } finally {
        if (queues.get(channel) === mine) queues.delete(channel);
      }
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; its listener goes with its wait. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const halted = () => {
      clearTimeout(timer);
      resolve();
    };
    // The dispatcher's signal outlives every post it paces: the listener must not.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', halted);
      resolve();
    }, ms);
    signal?.addEventListener('abort', halted, { once: true });
  });
}
