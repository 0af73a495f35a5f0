import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/jobs/pacer.ts';

describe('the post pacer', () => {
  it('leaves no listener on the stop signal once a paced post got its slot', async () => {
    const pacer = createPacer(5, 1);
    const halt = new AbortController();
    // Twelve posts in one channel: all but the first wait for a slot, each on the same signal.
    await Promise.all(Array.from({ length: 12 }, () => pacer.wait('C1', halt.signal)));
    expect(getEventListeners(halt.signal, 'abort')).toHaveLength(0);
  });

  it('lets every waiting post go at once when the signal aborts', async () => {
    const pacer = createPacer(60_000, 1);
    const halt = new AbortController();
    await pacer.wait('C1', halt.signal);
    const waiting = Promise.all([pacer.wait('C1', halt.signal), pacer.wait('C1', halt.signal)]);
    halt.abort();
    await expect(waiting).resolves.toEqual([undefined, undefined]);
  });

  it('never lets posts out together after a busy event loop fired their timers late', async () => {
    const INTERVAL = 10;
    const BURST = 3;
    const pacer = createPacer(INTERVAL, BURST);
    const released: number[] = [];
    // The event loop is busy for 60 ms while posts wait: six slots' timers come due meanwhile.
    setTimeout(() => {
      const until = performance.now() + 60;
      while (performance.now() < until);
    }, 25);
    await Promise.all(Array.from({ length: 30 }, () => pacer.wait('C1').then(() => released.push(performance.now()))));
    // Within any window, at most the burst plus one post per interval went.
    const WINDOW = 100;
    for (let i = 0, j = 0; i < released.length; i += 1) {
      while ((released[i] ?? 0) - (released[j] ?? 0) > WINDOW) j += 1;
      expect(i - j + 1).toBeLessThanOrEqual(WINDOW / INTERVAL + BURST);
    }
    // And the busy loop did not make the pacer skip slots: the 30 posts took about 30 intervals.
    expect((released.at(-1) ?? 0) - (released[0] ?? 0)).toBeGreaterThanOrEqual((30 - BURST) * INTERVAL - 1);
  });
});
