/** "YYYY-MM-DDTHH:mm": the wall-clock time of an instant in an IANA zone (what a datetime-local control holds). */
export function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** The instant a zone's clock shows `hour`:00 on the day `from` falls on there (the offset is read twice: DST-safe). */
export function zonedHour(from: Date, hour: number, timeZone: string): Date {
  const target = Date.parse(`${wallClock(from, timeZone).slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00Z`);
  const offset = (at: number) => Date.parse(`${wallClock(new Date(at), timeZone)}:00Z`) - at;
  return new Date(target - offset(target - offset(target)));
}
