import { describe, expect, it } from 'vitest';
import { formatSlackDate } from '../../src/sandbox/blockkit/datetokens.ts';
import { describeEvent } from '../../views/events.ts';
import { conflictNotice } from '../../views/notices.ts';

const AT = new Date('2026-12-05T17:37:00Z');

/** What a reader sees of a line's Slack date tokens: each as Slack renders it for them, or its fallback. */
function rendered(text: string, reader: { now: Date; timeZone: string } | 'fallback'): string {
  return text.replace(/<!date\^(\d+)\^([^|>]+)\|([^>]*)>/g, (_m, ts: string, format: string, fallback: string) =>
    reader === 'fallback'
      ? fallback
      : (formatSlackDate(Number(ts), format, { timeZone: reader.timeZone, users: {}, now: reader.now }) ?? fallback),
  );
}

/** The same instant as it reads the day it happened, the day after, weeks later, and where tokens do not render. */
const READERS = [
  { now: new Date('2026-12-05T20:00:00Z'), timeZone: 'UTC', shows: 'today at 5:37 PM' },
  { now: new Date('2026-12-06T09:00:00Z'), timeZone: 'UTC', shows: 'yesterday at 5:37 PM' },
  { now: new Date('2026-12-30T09:00:00Z'), timeZone: 'America/Los_Angeles', shows: 'Dec 5, 2026 at 9:37 AM' },
  { now: 'fallback' as const, timeZone: 'UTC', shows: '2026-12-05 17:37 UTC' },
];

describe('a date in a sentence reads right in every form Slack renders it', () => {
  it('a recorded restricted call', () => {
    const line = describeEvent({
      id: 1,
      type: 'restricted_call.recorded',
      actor: 'U0REVIEW01',
      at: AT,
      payload: { operation: 'getOrderAddress', at: AT.toISOString() },
    });
    for (const reader of READERS) {
      const text = rendered(line, reader.now === 'fallback' ? 'fallback' : reader);
      expect(text).toBe(`<@U0REVIEW01> recorded a successful restricted API call (\`getOrderAddress\`), made ${reader.shows}.`);
    }
  });

  it('a decision someone else took first', () => {
    const { text } = conflictNotice({ by: 'U0REVIEW01', at: AT });
    for (const reader of READERS) {
      expect(rendered(text, reader.now === 'fallback' ? 'fallback' : reader)).toContain(
        `Already decided by <@U0REVIEW01> (${reader.shows}). Nothing was changed`,
      );
    }
  });
});
