import type { Clock } from '../clock.ts';

const DAY_MS = 86_400_000;

/** The jumps the page offers; "now" goes back to real time. */
export const CLOCK_JUMPS = {
  '1d': { label: '+1 day', ms: DAY_MS },
  '7d': { label: '+1 week', ms: 7 * DAY_MS },
  '30d': { label: '+30 days', ms: 30 * DAY_MS },
  '90d': { label: '+90 days', ms: 90 * DAY_MS },
  now: { label: 'back to now', ms: 0 },
} as const;
export type ClockJump = keyof typeof CLOCK_JUMPS;

export const isClockJump = (value: unknown): value is ClockJump => typeof value === 'string' && Object.hasOwn(CLOCK_JUMPS, value);

/**
 * The sandbox's clock: real time plus an offset the page moves forward in jumps, so days and
 * months pass in a click. The bot is handed this as its `Clock` and learns nothing else.
 */
export class SandboxClock implements Clock {
  #offsetMs = 0;
  readonly #real: () => number;

  constructor(real: () => number = Date.now) {
    this.#real = real;
  }

  now(): Date {
    return new Date(this.#real() + this.#offsetMs);
  }

  /** How far ahead of real time the sandbox is (0 after "back to now"). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  jump(to: ClockJump): Date {
    this.#offsetMs = to === 'now' ? 0 : this.#offsetMs + CLOCK_JUMPS[to].ms;
    return this.now();
  }

  /** What the page shows: the sandbox instant, and how far it is from real time. */
  describe(): { now: string; offsetMs: number; offsetDays: number } {
    return { now: this.now().toISOString(), offsetMs: this.#offsetMs, offsetDays: Math.round(this.#offsetMs / DAY_MS) };
  }
}
