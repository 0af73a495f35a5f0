import { describe, expect, it } from 'vitest';
import { parkedAlert, parkedHomeBlocks, retriedNotice, tokenBackAlert } from '../../views/slack-alerts.ts';
import { blockKitProblems } from '../../views/validate.ts';

describe('parked-effect views', () => {
  it('name the cause and the kind of effect, pass Slack’s limits, and say what to do', () => {
    const alert = parkedAlert('is_archived', 'card.sync');
    expect(alert.text).toContain('a card update');
    expect(alert.text).toContain('`is_archived`');
    expect(alert.text).toContain('unarchive');
    expect(alert.text).toContain('/pii retry-parked');
    expect(blockKitProblems('message', alert)).toEqual([]);
    const back = tokenBackAlert('token_revoked', new Date('2026-03-02T09:00:00Z'), 3);
    expect(back.text).toContain('3 updates were waiting');
    expect(blockKitProblems('message', back)).toEqual([]);
  });

  it('show on the admins’ Home only when something is parked', () => {
    expect(parkedHomeBlocks(null)).toEqual([]);
    expect(parkedHomeBlocks([])).toEqual([]);
    const blocks = parkedHomeBlocks([
      { cause: 'invalid_blocks', count: 2 },
      { cause: 'is_archived', count: 1 },
    ]);
    expect(JSON.stringify(blocks)).toContain('3 Slack effects are parked (`invalid_blocks` ×2, `is_archived` ×1)');
    expect(blockKitProblems('home', { type: 'home', blocks })).toEqual([]);
    expect(retriedNotice([]).text).toContain('No Slack effects are parked');
  });
});
