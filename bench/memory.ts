/** Samples the process's resident set size every `everyMs` and keeps the peak per phase. */
export function createRssSampler(everyMs = 50) {
  const peaks = new Map<string, number>();
  let phase: string | undefined;
  const sample = () => {
    if (phase === undefined) return;
    const rss = process.memoryUsage.rss();
    peaks.set(phase, Math.max(peaks.get(phase) ?? 0, rss));
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** Starts attributing samples to `name` (one phase at a time). */
    phase(name: string): void {
      sample();
      phase = name;
      sample();
    },
    stop(): Map<string, number> {
      sample();
      clearInterval(timer);
      phase = undefined;
      return peaks;
    },
  };
}

export type RssSampler = ReturnType<typeof createRssSampler>;
