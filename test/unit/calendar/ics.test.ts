import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type MeetingInvite, meetingInvite } from '../../../src/calendar/ics.ts';

const base: MeetingInvite = {
  uid: 'arch-review-42@pii-review',
  sequence: 0,
  method: 'REQUEST',
  start: new Date('2026-03-02T15:00:00Z'),
  durationMinutes: 45,
  summary: 'Architecture review: Acme Sellers, Inc.',
  description: 'Line one\nLine two; with a semicolon, a comma and a back\\slash',
  organizer: { name: 'Grace Hopper', email: 'grace@example.com' },
  attendees: [
    { name: 'Ada Lovelace', email: 'ada@example.com' },
    { name: 'Lovelace, Ada; "Countess"', email: 'countess@example.org' },
  ],
  stamp: new Date('2026-02-20T09:30:15.789Z'),
  url: 'https://review.example.com/applications/42',
};

const invite = (overrides: Partial<MeetingInvite> = {}): string => meetingInvite({ ...base, ...overrides });

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

/** Physical lines as raw bytes, so a fold inside a UTF-8 sequence is visible. */
function physicalLines(ics: string): Buffer[] {
  const bytes = Buffer.from(ics, 'utf8');
  const lines: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(from, i));
      from = i + 2;
    }
  }
  expect(from).toBe(bytes.length); // the last line ends with CRLF too
  return lines;
}

describe('meetingInvite', () => {
  it('round-trips the meeting through ical.js', () => {
    const { calendar, vevent, event } = parse(invite());
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//pii-review//architecture review//EN');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(event.uid).toBe('arch-review-42@pii-review');
    expect(event.sequence).toBe(0);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-02T15:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-03-02T15:45:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.summary).toBe('Architecture review: Acme Sellers, Inc.');
    expect(event.description).toBe(base.description);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://review.example.com/applications/42');
    expect(String(vevent.getFirstPropertyValue('dtstamp'))).toBe('2026-02-20T09:30:15Z');
  });

  it('writes instants in UTC, dropping sub-second precision', () => {
    const lines = invite().split('\r\n');
    expect(lines).toContain('DTSTART:20260302T150000Z');
    expect(lines).toContain('DTEND:20260302T154500Z');
    expect(lines).toContain('DTSTAMP:20260220T093015Z');
  });

  it('names the organizer and every attendee with their email and CN', () => {
    const { vevent, event } = parse(invite());
    const organizer = vevent.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:grace@example.com');
    expect(organizer?.getParameter('cn')).toBe('Grace Hopper');
    expect(
      event.attendees.map((a) => ({
        email: a.getFirstValue(),
        cn: a.getParameter('cn'),
        role: a.getParameter('role'),
        partstat: a.getParameter('partstat'),
        rsvp: a.getParameter('rsvp'),
      })),
    ).toEqual([
      { email: 'mailto:ada@example.com', cn: 'Ada Lovelace', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', rsvp: 'TRUE' },
      {
        email: 'mailto:countess@example.org',
        cn: 'Lovelace, Ada; Countess',
        role: 'REQ-PARTICIPANT',
        partstat: 'NEEDS-ACTION',
        rsvp: 'TRUE',
      },
    ]);
  });

  it('quotes a CN only when it must, and strips quotes and control characters from it', () => {
    const ics = invite({
      organizer: { name: 'Grace\r\nATTENDEE:mailto:evil@example.com', email: 'grace@example.com' },
    });
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toContain('ORGANIZER;CN="GraceATTENDEE:mailto:evil@example.com":mailto:grace@example.com');
    expect(lines).toContain(
      'ATTENDEE;CN=Ada Lovelace;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ada@example.com',
    );
    expect(lines).toContain(
      'ATTENDEE;CN="Lovelace, Ada; Countess";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:countess@example.org',
    );
    expect(parse(ics).event.attendees.map((a) => a.getFirstValue())).toEqual([
      'mailto:ada@example.com',
      'mailto:countess@example.org',
    ]);
  });

  it('escapes TEXT values per RFC 5545 §3.3.11 and round-trips unicode', () => {
    const description = 'Café — naïve résumé 🚀👩‍💻\r\nSecond line, with; all \\ the\n\nspecials\\n\rold Mac line\u0007';
    const summary = 'a, b; c \\ d\ne';
    const ics = invite({ description, summary });
    expect(ics.split('\r\n')).toContain('SUMMARY:a\\, b\\; c \\\\ d\\ne');
    const { event } = parse(ics);
    expect(event.summary).toBe(summary);
    // CRLF and a lone CR are newlines like LF and come back as LF; BEL has no legal spelling in TEXT.
    expect(event.description).toBe('Café — naïve résumé 🚀👩‍💻\nSecond line, with; all \\ the\n\nspecials\\n\nold Mac line');
  });

  it('ends every line with CRLF and keeps every line within 75 octets', () => {
    const ics = invite({ description: `${'x'.repeat(300)} ${'é'.repeat(100)}`, summary: 's'.repeat(200) });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = physicalLines(ics);
    expect(Math.max(...lines.map((l) => l.length))).toBe(75);
    const summary = lines.filter((l) => /^( s|SUMMARY:)/.test(l.toString()));
    expect(summary.map((l) => l.length)).toEqual([75, 75, 60]);
    expect(summary[0]?.toString()).toBe(`SUMMARY:${'s'.repeat(67)}`);
    expect(summary[1]?.toString()).toBe(` ${'s'.repeat(74)}`);
    expect(parse(ics).event.description).toBe(`${'x'.repeat(300)} ${'é'.repeat(100)}`);
  });

  it('folds a long emoji description without splitting a UTF-8 character', () => {
    const description = '🧪'.repeat(60);
    const ics = invite({ description });
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const lines = physicalLines(ics);
    const start = lines.findIndex((l) => l.toString().startsWith('DESCRIPTION:'));
    const folded = lines.slice(start, start + 4);
    // 12 octets of name, then whole 4-octet emoji: 15 fit (72), 16 would not (76); continuations hold 18 (1 + 72).
    expect(folded.map((l) => l.length)).toEqual([72, 73, 73, 37]);
    for (const line of folded) expect(() => fatal.decode(line)).not.toThrow();
    expect(fatal.decode(folded[0])).toBe(`DESCRIPTION:${'🧪'.repeat(15)}`);
    expect(lines[start + 4]?.toString()).toMatch(/^ORGANIZER/);
    expect(parse(ics).event.description).toBe(description);
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const { calendar, vevent, event } = parse(invite({ method: 'CANCEL', sequence: 2 }));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.uid).toBe('arch-review-42@pii-review');
    expect(event.sequence).toBe(2);
    expect(event.attendees).toHaveLength(2);
  });

  it('reschedules as the same event with a higher sequence and the new start', () => {
    const first = parse(invite()).event;
    const moved = parse(invite({ sequence: 1, start: new Date('2026-03-04T10:30:00Z'), durationMinutes: 90 })).event;
    expect(moved.uid).toBe(first.uid);
    expect([first.sequence, moved.sequence]).toEqual([0, 1]);
    expect(moved.startDate.toJSDate().toISOString()).toBe('2026-03-04T10:30:00.000Z');
    expect(moved.endDate.toJSDate().toISOString()).toBe('2026-03-04T12:00:00.000Z');
  });

  it('leaves URL out when there is none', () => {
    const ics = invite({ url: undefined });
    expect(ics).not.toContain('URL');
    expect(parse(ics).vevent.getFirstProperty('url')).toBeNull();
  });

  it('refuses values that would corrupt or inject into the calendar', () => {
    expect(() => invite({ attendees: [{ name: 'X', email: 'x@example.com\r\nATTENDEE:mailto:evil@example.com' }] })).toThrow(
      RangeError,
    );
    expect(() => invite({ organizer: { name: 'X', email: 'not-an-address' } })).toThrow(RangeError);
    expect(() => invite({ sequence: -1 })).toThrow(RangeError);
    expect(() => invite({ sequence: 1.5 })).toThrow(RangeError);
    expect(() => invite({ durationMinutes: 0 })).toThrow(RangeError);
    expect(() => invite({ start: new Date(Number.NaN) })).toThrow(RangeError);
    expect(() => invite({ url: 'not a url' })).toThrow(TypeError);
  });
});
