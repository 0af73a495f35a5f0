import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createInFlight } from '../../../src/http/in-flight.ts';

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background work waits for the requests being answered', () => {
  it('goes on at once when nothing is in flight', async () => {
    const inFlight = createInFlight(1_000);
    expect(await settled(inFlight.idle())).toBe(true);
  });

  it('waits until the last request in flight is answered, or its connection closes', async () => {
    const inFlight = createInFlight(10_000);
    const first = new EventEmitter();
    const second = new EventEmitter();
    inFlight.track(first);
    inFlight.track(second);
    const waiting = [inFlight.idle(), inFlight.idle()];
    first.emit('finish');
    first.emit('close');
    expect(inFlight.inFlight).toBe(1);
    expect(await settled(Promise.all(waiting))).toBe(false);
    second.emit('close');
    expect(inFlight.inFlight).toBe(0);
    await Promise.all(waiting);
  });

  it('keeps waiting when the next request comes within the grace after the last answer', async () => {
    const inFlight = createInFlight(10_000, 20);
    const first = new EventEmitter();
    inFlight.track(first);
    const waiting = inFlight.idle();
    first.emit('finish');
    const second = new EventEmitter();
    inFlight.track(second);
    await sleep(40);
    expect(await settled(waiting)).toBe(false);
    second.emit('finish');
    expect(await settled(waiting)).toBe(false);
    await sleep(40);
    expect(await settled(waiting)).toBe(true);
  });

  it('under a load that never lets up, lets each waiter go after its longest wait, one per turn', async () => {
    const inFlight = createInFlight(20);
    inFlight.track(new EventEmitter());
    const order: number[] = [];
    let goneWithTheFirst: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      inFlight.idle().then(() => {
        order.push(n);
        // Everything resumed in the same turn as the first has run its first step by then.
        if (n === 1) queueMicrotask(() => (goneWithTheFirst = [...order]));
      }),
    );
    expect(await settled(waiters[0] as Promise<unknown>)).toBe(false);
    await sleep(60);
    expect(goneWithTheFirst).toEqual([1]);
    expect(order).toEqual([1, 2, 3]);
    await Promise.all(waiters);
  });

  it('lets a later waiter wait its own full time', async () => {
    const inFlight = createInFlight(40);
    inFlight.track(new EventEmitter());
    const first = inFlight.idle();
    await sleep(30);
    const second = inFlight.idle();
    await first;
    expect(await settled(second)).toBe(false);
    await second;
  });
});
