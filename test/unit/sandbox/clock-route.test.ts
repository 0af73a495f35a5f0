import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../../../src/sandbox/personas.ts';
import { startTestBot, type TestBot } from './ui-test-bot.ts';

/** The page's clock route against a stand-in bot; the sweep it runs on the real bot is in test/e2e/developer-clock.test.ts. */
const RILEY = PERSONAS[0]?.id ?? '';
const DAY = 86_400_000;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.stop();
});

describe('the sandbox clock on the page', () => {
  it('starts at real time, jumps on request, shows the sandbox time in the state, and goes back to now', async () => {
    const before = (await bot.state(RILEY)).clock;
    expect(before.offsetMs).toBe(0);
    expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(60_000);

    const { status, json } = await bot.post('/sandbox/ui/clock', { user: RILEY, to: '30d' });
    expect(status).toBe(200);
    expect(json.what).toBe('clock +30 days');
    // The stand-in bot serves no sweep route: the page is told the sweep failed, the jump stands.
    expect(json.level).toBe('error');
    expect(json.note).toContain('the reminder sweep failed');
    const after = (await bot.state(RILEY)).clock;
    expect(after.offsetMs).toBe(30 * DAY);
    expect(after.offsetDays).toBe(30);
    expect(Date.parse(after.now) - Date.now()).toBeGreaterThan(29 * DAY);
    expect(bot.sandbox.clock.offsetMs).toBe(30 * DAY);

    await bot.post('/sandbox/ui/clock', { user: RILEY, to: 'now' });
    expect((await bot.state(RILEY)).clock.offsetMs).toBe(0);
  });

  it('refuses an unknown jump, and any request without the page token', async () => {
    const bad = await bot.post('/sandbox/ui/clock', { user: RILEY, to: '2d' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('to must be one of 1d, 7d, 30d, 90d, now.');
    const forged = await fetch(`${bot.baseUrl}sandbox/ui/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: RILEY, to: '90d' }),
    });
    expect(forged.status).toBe(403);
    expect(bot.sandbox.clock.offsetMs).toBe(0);
  });
});
