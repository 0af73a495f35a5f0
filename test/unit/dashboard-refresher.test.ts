import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDebouncedPublisher } from '../../src/dashboard/home-refresher.ts';

const logger = pino({ level: 'silent' });
const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const calls: { user: string; at: number }[] = [];
  return { calls, publish: async (user: string) => void calls.push({ user, at: Date.now() }) };
}

describe('home refresher', () => {
  it('publishes each user once per debounce window, however many touches', async () => {
    const r = recorder();
    const refresher = createDebouncedPublisher({ publish: r.publish, logger, debounceMs: 5_000, minIntervalMs: 600, timers });
    const start = Date.now();
    refresher.touch(['U1']);
    await vi.advanceTimersByTimeAsync(2_000);
    refresher.touch(['U1', 'U1']);
    await vi.advanceTimersByTimeAsync(2_900);
    expect(r.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(r.calls).toEqual([{ user: 'U1', at: start + 5_000 }]);
    refresher.touch(['U1']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(r.calls).toHaveLength(2);
  });

  it('paces publishes across users inside the views.publish tier', async () => {
    const r = recorder();
    const refresher = createDebouncedPublisher({ publish: r.publish, logger, debounceMs: 100, minIntervalMs: 600, timers });
    refresher.touch(['U1', 'U2', 'U3', 'U4']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.calls.map((c) => c.user)).toEqual(['U1', 'U2', 'U3', 'U4']);
    const gaps = r.calls.slice(1).map((c, i) => c.at - (r.calls[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(600);
  });

  it('a rate limit pauses every publish for Retry-After, then retries; other failures wait for the next touch', async () => {
    let failures = 0;
    const calls: string[] = [];
    const refresher = createDebouncedPublisher({
      logger,
      debounceMs: 100,
      minIntervalMs: 10,
      timers,
      publish: async (user) => {
        calls.push(user);
        if (user === 'U1' && failures++ === 0)
          throw Object.assign(new Error('rate'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3 });
        if (user === 'U2') throw new Error('boom');
      },
    });
    refresher.touch(['U1', 'U2']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual(['U1']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual(['U1', 'U2', 'U1']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(3);
  });

  it('flush publishes what is pending now; stop drops the rest', async () => {
    const r = recorder();
    const refresher = createDebouncedPublisher({ publish: r.publish, logger, debounceMs: 60_000, minIntervalMs: 0, timers });
    refresher.touch(['U1', 'U2']);
    expect(refresher.pending()).toBe(2);
    await refresher.flush();
    expect(r.calls.map((c) => c.user)).toEqual(['U1', 'U2']);
    refresher.touch(['U3']);
    await refresher.stop();
    refresher.touch(['U4']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(r.calls).toHaveLength(2);
    expect(refresher.pending()).toBe(0);
  });
});
