import { addMinutes } from 'date-fns';

/** A meeting needs at least this much notice. */
export const MIN_LEAD_MINUTES = 60;
/** The architect's working day, in their own time zone. */
export const WORKING_HOURS = { start: 8, end: 18 } as const;

export type LocalTime = { minutes: number; label: string; day: string };

/** The wall-clock time of an instant in a time zone (DST-correct: Intl knows the zone's rules). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const hour = Number(get('hour'));
  const minute = Number(get('minute'));
  return {
    minutes: hour * 60 + minute,
    label: `${get('hour')}:${get('minute')}`,
    day: `${get('year')}-${get('month')}-${get('day')}`,
  };
}

export type TimeProblem = { kind: 'error' | 'warning'; message: string };

/**
 * When a meeting may start: not in the past, at least an hour ahead (errors), and inside the
 * architect's working hours in their own time zone (a warning the scheduler may confirm).
 */
export function meetingTimeProblem(
  startsAt: Date,
  durationMinutes: number,
  now: Date,
  timeZone?: string,
): TimeProblem | undefined {
  if (startsAt.getTime() <= now.getTime()) return { kind: 'error', message: 'That time is in the past.' };
  if (startsAt.getTime() < addMinutes(now, MIN_LEAD_MINUTES).getTime()) {
    return { kind: 'error', message: `Schedule it at least ${MIN_LEAD_MINUTES} minutes ahead.` };
  }
  if (!timeZone) return undefined;
  const start = localTime(startsAt, timeZone);
  const end = localTime(addMinutes(startsAt, durationMinutes), timeZone);
  const inside = start.day === end.day && start.minutes >= WORKING_HOURS.start * 60 && end.minutes <= WORKING_HOURS.end * 60;
  if (inside) return undefined;
  return {
    kind: 'warning',
    message: `That is ${start.label}–${end.label} for the architect (${timeZone}), outside their working hours (0${WORKING_HOURS.start}:00–${WORKING_HOURS.end}:00). Tick “Outside working hours is fine” to schedule it anyway.`,
  };
}
