import type { EventEmitter } from 'node:events';

/**
 * The HTTP requests this instance is answering, so background work (the outbox) can let them
 * go first: a request's answer is awaited (Slack gives up after 3 s), a card update is not.
 *
 * `idle()` resolves at once when nothing is in flight, and `graceMs` after the last request in
 * flight is answered, unless another has come by then (a client that sends its next request
 * as soon as it has an answer finds the thread free). Under a load that never lets up, a
 * waiter goes on `maxWaitMs` after it began to wait, and only one at a time, a turn of the
 * event loop apart: requests that arrived meanwhile are read between two steps of the
 * background work, never behind all of them.
 */
export function createInFlight(maxWaitMs: number, graceMs = 1) {
  let count = 0;
  let grace: NodeJS.Timeout | undefined;
  let queue: { since: number; resume: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stepping = false;

  function releaseAll(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const all = queue;
    queue = [];
    for (const waiter of all) waiter.resume();
  }

  function arm(): void {
    const head = queue[0];
    if (timer || stepping || !head) return;
    timer = setTimeout(step, Math.max(0, head.since + maxWaitMs - performance.now()));
  }

  /** Lets the longest waiter go, then, a turn later, the next if its time is up too. */
  function step(): void {
    timer = undefined;
    queue.shift()?.resume();
    if (queue.length === 0) return;
    stepping = true;
    setImmediate(() => {
      stepping = false;
      if (count === 0) return releaseAll();
      const head = queue[0];
      if (head && head.since + maxWaitMs <= performance.now()) step();
      else arm();
    });
  }

  return {
    /** Counts a request until its answer is sent or its connection closes. */
    track(res: EventEmitter): void {
      count += 1;
      if (grace) clearTimeout(grace);
      grace = undefined;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        count -= 1;
        if (count === 0) {
          grace = setTimeout(() => {
            grace = undefined;
            if (count === 0) releaseAll();
          }, graceMs);
        }
      };
      res.once('finish', end);
      res.once('close', end);
    },
    /** Resolves once no request is in flight (for `graceMs`), or after `maxWaitMs` (one waiter per turn). */
    idle(): Promise<void> {
      if (count === 0 && !grace) return Promise.resolve();
      return new Promise((resume) => {
        queue.push({ since: performance.now(), resume });
        arm();
      });
    },
    get inFlight(): number {
      return count;
    },
  };
}
