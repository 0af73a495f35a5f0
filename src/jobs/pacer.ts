/**
 * Spaces posts per channel (Slack allows about one message per second per channel, with
 * short bursts), so a burst of reminders is paced rather than answered with 429s.
 */
export function createPacer(intervalMs: number, burst = 3) {
  const nextFree = new Map<string, number>();
  return {
    /** Resolves at the channel's next free slot, or at once when `signal` aborts (a stopping dispatcher). */
    async wait(channel: string, signal?: AbortSignal): Promise<void> {
      if (intervalMs <= 0) return;
      const now = Date.now();
      // The bucket: a channel may run `burst` intervals ahead of now, no more.
      const slot = Math.max(now - intervalMs * (burst - 1), nextFree.get(channel) ?? 0);
      nextFree.set(channel, slot + intervalMs);
      const delay = slot - now;
      if (delay <= 0 || signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const halted = () => {
          clearTimeout(timer);
          resolve();
        };
        // The listener goes with its wait: the dispatcher's signal outlives every post it paces.
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', halted);
          resolve();
        }, delay);
        signal?.addEventListener('abort', halted, { once: true });
      });
    },
  };
}
