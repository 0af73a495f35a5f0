import type { ServerResponse } from 'node:http';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock.ts';
import { createTimeZones } from '../../../src/listeners/time-zones.ts';
import { createLogger } from '../../../src/logger.ts';
import { startWebApiStandIn, type WebApiStandIn } from '../../support/web-api-stand-in.ts';

let slack: WebApiStandIn | undefined;
afterEach(async () => {
  await slack?.close();
});

/** Slack answering users.info with a time zone after `delayMs`. */
async function zones(delayMs: number, waitMs = 200) {
  const answer = (_method: string, res: ServerResponse) =>
    setTimeout(
      () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, user: { tz: 'America/Los_Angeles' } })),
      delayMs,
    );
  slack = await startWebApiStandIn(answer);
  const clock = new FakeClock('2026-03-02T09:00:00Z');
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  return { clock, timeZones: createTimeZones({ slack: client, clock, logger: createLogger('silent'), waitMs }) };
}
const asked = () => slack?.seen.filter((r) => r.url?.endsWith('users.info')).length;

describe('architects’ time zones', () => {
  it('asks Slack once, and answers from what it told for an hour', async () => {
    const { clock, timeZones } = await zones(0);
    expect(await timeZones.of('UADA')).toBe('America/Los_Angeles');
    expect(await timeZones.of('UADA')).toBe('America/Los_Angeles');
    expect(asked()).toBe(1);
    clock.advanceBy(61 * 60_000);
    expect(await timeZones.of('UADA')).toBe('America/Los_Angeles');
    expect(asked()).toBe(2);
  });

  it('goes on without a slow answer, and has it for the next submission', async () => {
    const { timeZones } = await zones(500, 100);
    // Undefined: it did not wait for Slack's answer, which tells the time zone.
    expect(await timeZones.of('UADA')).toBeUndefined();
    await expect.poll(async () => timeZones.of('UADA'), { timeout: 2_000 }).toBe('America/Los_Angeles');
    expect(asked()).toBe(1);
  });

  it('asks ahead for whoever it does not know, once each', async () => {
    const { timeZones } = await zones(0);
    timeZones.prefetch(['UADA', 'UBOB', 'UADA']);
    expect(await timeZones.of('UBOB')).toBe('America/Los_Angeles');
    timeZones.prefetch(['UADA', 'UBOB']);
    expect(await timeZones.of('UADA')).toBe('America/Los_Angeles');
    expect(asked()).toBe(2);
  });
});
