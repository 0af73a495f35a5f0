import { describe, expect, it } from 'vitest';
import { BOT_USER_ID, EmulatorState, type StoredMessage } from '../../../src/sandbox/emulator/state.ts';

const message = (channel: string, ts: string): StoredMessage => ({
  channel,
  ts,
  user: BOT_USER_ID,
  text: `message ${ts}`,
  blocks: [],
  edits: 0,
  files: [],
  problems: [],
});

describe('the emulator finds messages by channel and ts', () => {
  it('finds a message pushed straight onto the list, and the same one again', () => {
    const state = new EmulatorState();
    const card = message('C1', '1.000001');
    state.messages.push(message('C1', '1.000000'), card, message('C2', '1.000001'));
    expect(state.findMessage('C1', '1.000001')).toBe(card);
    expect(state.findMessage('C1', '1.000001')).toBe(card);
    expect(state.findMessage('C2', '1.000000')).toBeUndefined();
  });

  it('no longer finds a deleted message, nor any after a reset, and finds one posted again under the same ts', () => {
    const state = new EmulatorState();
    const card = message('C1', '2.000000');
    state.messages.push(card);
    expect(state.findMessage('C1', '2.000000')).toBe(card);
    expect(state.deleteMessage('C1', '2.000000')).toBe(true);
    expect(state.findMessage('C1', '2.000000')).toBeUndefined();

    const again = message('C1', '2.000000');
    state.messages.push(again);
    expect(state.findMessage('C1', '2.000000')).toBe(again);
    state.reset();
    expect(state.findMessage('C1', '2.000000')).toBeUndefined();
  });

  it('keeps a message it posts, tells the watchers, and finds it by channel and ts', () => {
    const state = new EmulatorState();
    const changes: unknown[] = [];
    state.on('change', (change) => changes.push(change));
    const card = message('C1', '3.000000');
    state.addMessage(card);
    expect(state.messages).toEqual([card]);
    expect(changes).toEqual([{ type: 'message', channel: 'C1', ts: '3.000000' }]);
    expect(state.findMessage('C1', '3.000000')).toBe(card);
    expect(state.findMessage('C2', '3.000000')).toBeUndefined();
    expect(state.deleteMessage('C1', '3.000000')).toBe(true);
    expect(state.findMessage('C1', '3.000000')).toBeUndefined();
  });
});
