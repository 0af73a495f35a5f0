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
});
