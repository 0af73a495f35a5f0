/**
 * RFC 5545 / RFC 5546 (iTIP) invite for an application's architecture-review meeting.
 * Pure: every instant, including DTSTAMP, comes from the caller.
 */

export type Person = { name: string; email: string };

export type MeetingInvite = {
  /** Stable per meeting (e.g. `arch-review-42@pii-review`); a reschedule or cancel must reuse it. */
  uid: string;
  /** 0 at first, +1 on each reschedule or cancel (RFC 5545 §3.8.7.4), so clients replace the older copy. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  start: Date;
  durationMinutes: number;
  summary: string;
  description: string;
  organizer: Person;
  attendees: Person[];
  /** DTSTAMP: when this copy of the invite was created, from the caller's clock. */
  stamp: Date;
  url?: string;
};

const PRODID = '-//pii-review//architecture review//EN';
const CRLF = '\r\n';
const MAX_OCTETS = 75;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;
// TEXT forbids every control but HTAB (§3.3.11); LF is kept here because it has an escape of its own.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const TEXT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// Deliberately strict: a CR/LF or quote in an address would let a caller inject properties or parameters.
const EMAIL = /^[^\s@"<>,;:\\]+@[^\s@"<>,;:\\]+$/;

export function meetingInvite(invite: MeetingInvite): string {
  const { sequence, durationMinutes } = invite;
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError(`sequence must be an integer ≥ 0: ${sequence}`);
  if (!Number.isFinite(durationMinutes) || durationMinutes <= 0) {
    throw new RangeError(`durationMinutes must be > 0: ${durationMinutes}`);
  }
  const end = new Date(invite.start.getTime() + durationMinutes * 60_000);

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(invite.uid)}`,
    `SEQUENCE:${sequence}`,
    `DTSTAMP:${utc(invite.stamp)}`,
    `DTSTART:${utc(invite.start)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${escapeText(invite.summary)}`,
    `DESCRIPTION:${escapeText(invite.description)}`,
    `ORGANIZER${cn(invite.organizer)}:${mailto(invite.organizer)}`,
    ...invite.attendees.map((a) => `ATTENDEE${cn(a)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(a)}`),
    `STATUS:${invite.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    // URL is a URI value, not TEXT: no escaping, but the WHATWG serialisation percent-encodes spaces and controls.
    ...(invite.url === undefined ? [] : [`URL:${new URL(invite.url).href}`]),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((line) => fold(line) + CRLF).join('');
}

/** `20260302T150000Z`. Sub-second precision is dropped: DATE-TIME has none. */
function utc(date: Date): string {
  const year = date.getUTCFullYear();
  // toISOString throws on an invalid Date and switches to ±YYYYYY outside 0000–9999, which DATE-TIME cannot hold.
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`date out of range for iCalendar: ${String(date)}`);
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** RFC 5545 §3.3.11. Backslash goes first so the escapes added after it are not doubled. */
function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(TEXT_CONTROL, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/**
 * `;CN=…`, or nothing for a blank name. A parameter value cannot be escaped (§3.2): a DQUOTE or control
 * character has no legal spelling at all, so it is dropped, and `:;,` are legal only inside quotes.
 */
function cn(person: Person): string {
  const name = person.name.replace(/"/g, '').replace(CONTROL, '').trim();
  if (name === '') return '';
  return /[:;,]/.test(name) ? `;CN="${name}"` : `;CN=${name}`;
}

function mailto(person: Person): string {
  if (!EMAIL.test(person.email)) throw new RangeError(`not a usable email address: ${JSON.stringify(person.email)}`);
  return `mailto:${person.email}`;
}

/**
 * §3.1: at most 75 octets per line excluding CRLF; a continuation starts with one space, which counts.
 * Iterating by code point keeps every multi-byte UTF-8 sequence whole.
 */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  // Lone surrogates land here too; TextEncoder writes them as U+FFFD, also 3 octets.
  if (codePoint < 0x10000) return 3;
  return 4;
}
