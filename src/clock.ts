/** Where logic gets the time; tests pass a FakeClock instead of touching timers or Date. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  #ms: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
  advanceBy(ms: number): void {
    this.#ms += ms;
  }
}
