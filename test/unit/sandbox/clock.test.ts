import { describe, expect, it } from 'vitest';
import { CLOCK_JUMPS, isClockJump, SandboxClock } from '../../../src/sandbox/clock.ts';

const REAL = Date.parse('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

describe('the sandbox clock', () => {
  it('tells real time until it is moved', () => {
    let real = REAL;
    const clock = new SandboxClock(() => real);
    expect(clock.now().toISOString()).toBe('2026-03-02T09:00:00.000Z');
    real += 5_000;
    expect(clock.now().getTime()).toBe(REAL + 5_000);
    expect(clock.describe()).toEqual({ now: new Date(REAL + 5_000).toISOString(), offsetMs: 0, offsetDays: 0 });
  });

  it('jumps add up, real time keeps running underneath, and "back to now" returns to it', () => {
    let real = REAL;
    const clock = new SandboxClock(() => real);
    expect(clock.jump('1d').toISOString()).toBe('2026-03-03T09:00:00.000Z');
    expect(clock.jump('7d').toISOString()).toBe('2026-03-10T09:00:00.000Z');
    real += 60_000;
    expect(clock.now().toISOString()).toBe('2026-03-10T09:01:00.000Z');
    clock.jump('30d');
    clock.jump('90d');
    expect(clock.offsetMs).toBe(128 * DAY);
    expect(clock.describe().offsetDays).toBe(128);
    expect(clock.jump('now').getTime()).toBe(real);
    expect(clock.offsetMs).toBe(0);
  });

  it('offers exactly the jumps of the page, and knows them from anything else', () => {
    expect(Object.values(CLOCK_JUMPS).map((j) => j.label)).toEqual(['+1 day', '+1 week', '+30 days', '+90 days', 'back to now']);
    expect(isClockJump('90d')).toBe(true);
    expect(isClockJump('now')).toBe(true);
    for (const bad of ['2d', '', 'toString', '__proto__', 90, null, undefined]) expect(isClockJump(bad)).toBe(false);
  });
});
