import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/sandbox/emulator/server.ts';
import { BOT_TOKEN, CHANNEL, startTestEmulator } from '../../support/harness.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

async function call(method: string, args: Record<string, unknown>) {
  const res = await fetch(`${emulator.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Record<string, any>;
}

describe('chat.getPermalink in the emulator', () => {
  it('answers Slack’s link shape, which opens the sandbox page on that message', async () => {
    const posted = await call('chat.postMessage', { channel: CHANNEL, text: 'a card' });
    const answer = await call('chat.getPermalink', { channel: CHANNEL, message_ts: posted.ts });
    expect(answer).toMatchObject({ ok: true, channel: CHANNEL });
    expect(answer.permalink).toBe(`${emulator.url}archives/${CHANNEL}/p${String(posted.ts).replace('.', '')}`);

    const opened = await fetch(answer.permalink, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    const target = new URL(opened.headers.get('location') ?? '');
    expect(target.pathname).toBe('/');
    expect(target.searchParams.get('message')).toBe(`${CHANNEL}/${posted.ts}`);
  });

  it('refuses a message that does not exist', async () => {
    expect(await call('chat.getPermalink', { channel: CHANNEL, message_ts: '1.000001' })).toMatchObject({
      ok: false,
      error: 'message_not_found',
    });
  });
});
