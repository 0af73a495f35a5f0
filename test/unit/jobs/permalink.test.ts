import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPermalinks } from '../../../src/jobs/permalink.ts';
import { createLogger } from '../../../src/logger.ts';
import type { RunningEmulator } from '../../../src/sandbox/emulator/server.ts';
import { BOT_TOKEN, CHANNEL, startTestEmulator } from '../../support/harness.ts';

let emulator: RunningEmulator;
let slack: WebClient;
const logger = createLogger('silent');
beforeAll(async () => {
  emulator = await startTestEmulator();
  slack = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => emulator.state.reset());

const post = async (threadTs?: string) => {
  const posted = await slack.chat.postMessage({
    channel: CHANNEL,
    text: 'a message',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { channel: CHANNEL, ts: String(posted.ts) };
};
const asked = () => emulator.state.calls.filter((c) => c.method === 'chat.getPermalink').length;
const slackSays = async (message: { channel: string; ts: string }) =>
  (await slack.chat.getPermalink({ channel: message.channel, message_ts: message.ts })).permalink;

describe('links to cards and thread lines', () => {
  it('asks Slack for the first card, and builds later cards’ links in the very shape Slack answered', async () => {
    const permalinks = createPermalinks({ slack, logger });
    const first = await post();
    const second = await post();
    expect(await permalinks.ofCard(first)).toBe(await slackSays(first));
    expect(asked()).toBe(2);
    const built = await permalinks.ofCard(second);
    expect(asked()).toBe(2);
    expect(built).toBe(await slackSays(second));
  });

  it('always asks for a thread line’s link', async () => {
    const permalinks = createPermalinks({ slack, logger });
    const card = await post();
    await permalinks.ofCard(card);
    const line = await post(card.ts);
    await permalinks.ofReply(line);
    await permalinks.ofReply(line);
    expect(asked()).toBe(3);
  });

  it('learns nothing from a refusal: the link is missing, and the next card asks again', async () => {
    const permalinks = createPermalinks({ slack, logger });
    const first = await post();
    emulator.state.faults.push({ method: 'chat.getPermalink', fault: { error: 'internal_error' } });
    expect(await permalinks.ofCard(first)).toBeNull();
    const second = await post();
    expect(await permalinks.ofCard(second)).toBe(await slackSays(second));
    expect(asked()).toBe(3);
  });
});
