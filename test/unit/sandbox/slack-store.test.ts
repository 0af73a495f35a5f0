import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { METHODS } from '../../../src/sandbox/emulator/methods.ts';
import { createSlackEmulator, type SlackEmulator } from '../../../src/sandbox/emulator/server.ts';
import { PERSONAS, SANDBOX_CHANNEL } from '../../../src/sandbox/personas.ts';
import { persistSlack } from '../../../src/sandbox/slack-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'pii-slack-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logger = createLogger('silent');
const CHANNEL = SANDBOX_CHANNEL.id;
const RILEY = PERSONAS[0]?.id ?? '';

const emulator = () => createSlackEmulator({ token: 't', users: PERSONAS, channels: [SANDBOX_CHANNEL] });
function call(e: SlackEmulator, method: string, args: Record<string, unknown>): Record<string, any> {
  const impl = METHODS[method];
  if (!impl) throw new Error(method);
  return impl(args, { state: e.state, now: Date.now(), baseUrl: 'http://sandbox.test/' });
}
/** A file shared in a thread, as the bot uploads one (its bytes arrive between the two calls). */
function share(e: SlackEmulator, threadTs: string, name: string, bytes: string): string {
  const { file_id } = call(e, 'files.getUploadURLExternal', { filename: name, length: bytes.length });
  const file = e.state.files.get(file_id);
  if (file) file.content = Buffer.from(bytes);
  call(e, 'files.completeUploadExternal', { files: [{ id: file_id, title: name }], channel_id: CHANNEL, thread_ts: threadTs });
  return file_id;
}

describe('the sandbox keeps its Slack workspace in a file across restarts', () => {
  it('brings back the cards, their threads, files, Homes and DMs; ids and ts go on after them', () => {
    const file = join(dir, 'restart.json');
    const first = emulator();
    const store = persistSlack(first.state, file, { logger });
    const card = call(first, 'chat.postMessage', {
      channel: CHANNEL,
      text: 'Card #1',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '#1' } }],
    });
    call(first, 'chat.postMessage', { channel: CHANNEL, thread_ts: card.ts, text: 'claimed the application' });
    call(first, 'chat.update', { channel: CHANNEL, ts: card.ts, text: 'Card #1, claimed' });
    const invite = share(first, card.ts, 'invite.ics', 'BEGIN:VCALENDAR');
    call(first, 'views.publish', { user_id: RILEY, view: { type: 'home', blocks: [] } });
    call(first, 'chat.postMessage', { channel: RILEY, text: 'Your export' });
    store.close();

    const second = emulator();
    expect(persistSlack(second.state, file, { logger }).restored).toBe(4);
    expect(second.state.findMessage(CHANNEL, card.ts)).toMatchObject({ text: 'Card #1, claimed', edits: 1 });
    const replies = call(second, 'conversations.replies', { channel: CHANNEL, ts: card.ts }).messages as { text: string }[];
    expect(replies.map((m) => m.text)).toEqual(['Card #1, claimed', 'claimed the application', '']);
    expect(second.state.files.get(invite)?.content?.toString()).toBe('BEGIN:VCALENDAR');
    expect([...second.state.views.values()].filter((v) => v.type === 'home').map((v) => v.user)).toEqual([RILEY]);
    expect(second.state.channels.get(`D${RILEY.slice(1)}`)?.members.has(RILEY)).toBe(true);
    expect(second.state.messages.some((m) => m.text === 'Your export')).toBe(true);
    // The bot keeps working the same card, and nothing new takes an old id or ts.
    call(second, 'chat.update', { channel: CHANNEL, ts: card.ts, text: 'Card #1, in Stage 2' });
    const next = call(second, 'chat.postMessage', { channel: CHANNEL, text: 'Card #2' });
    expect(Number(next.ts)).toBeGreaterThan(Number(card.ts));
    expect(share(second, card.ts, 'q.md', '# Questionnaire')).not.toBe(invite);
  });

  it('writes a burst of changes once, shortly after, and a reset empties the file too', async () => {
    const file = join(dir, 'burst.json');
    const e = emulator();
    const store = persistSlack(e.state, file, { logger, delayMs: 20 });
    for (let i = 0; i < 5; i += 1) call(e, 'chat.postMessage', { channel: CHANNEL, text: `post ${i}` });
    expect(existsSync(file)).toBe(false);
    await expect.poll(() => existsSync(file)).toBe(true);
    expect(persistSlack(emulator().state, file, { logger }).restored).toBe(5);
    e.state.reset();
    store.flush();
    expect(persistSlack(emulator().state, file, { logger }).restored).toBe(0);
    store.close();
    // Written whole through a temporary file renamed over it: none is left behind.
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('starts empty from a file it cannot read, and keeps that file aside', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"version":1,"messages":');
    const e = emulator();
    expect(persistSlack(e.state, file, { logger }).restored).toBe(0);
    expect(e.state.messages).toEqual([]);
    expect(readdirSync(dir).some((f) => f.startsWith('broken.json.unreadable-'))).toBe(true);
  });
});
