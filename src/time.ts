import { UTCDate } from '@date-fns/utc';
import { addDays, differenceInBusinessDays, differenceInCalendarDays, startOfDay, subBusinessDays, subDays } from 'date-fns';

/**
 * Calendar arithmetic in UTC, whatever the server's TZ: instants are stored in UTC and a
 * "day" must not shrink or grow across the host's daylight-saving change.
 */
const utc = (d: Date) => new UTCDate(d.getTime());
const plain = (d: Date) => new Date(d.getTime());

export const addDaysUtc = (d: Date, days: number): Date => plain(addDays(utc(d), days));
/** 00:00 UTC of the instant's UTC day. */
export const startOfDayUtc = (d: Date): Date => plain(startOfDay(utc(d)));
export const subDaysUtc = (d: Date, days: number): Date => plain(subDays(utc(d), days));
export const subBusinessDaysUtc = (d: Date, days: number): Date => plain(subBusinessDays(utc(d), days));
export const businessDaysBetweenUtc = (later: Date, earlier: Date): number => differenceInBusinessDays(utc(later), utc(earlier));
export const calendarDaysBetweenUtc = (later: Date, earlier: Date): number => differenceInCalendarDays(utc(later), utc(earlier));

/*
 * Calendar days (audit dates, due dates, go-lives: stored as 00:00 UTC of the day) against
 * instants. A day is over at the end of its UTC day, for every surface alike (the card, the
 * dashboards, the digest, the reminders). Whether a day can have come is judged for whoever
 * reads it, anywhere from UTC-12 to UTC+14: a reviewer in Sydney records today's go-live while
 * it is still yesterday in UTC.
 */
const HOUR_MS = 3_600_000;
/** The end of a calendar day's UTC day: from then on it is over (an audit awaits its outcome, an item is overdue). */
export const dayOverUtc = (day: Date): Date => addDaysUtc(startOfDayUtc(day), 1);
/** Calendar days before this one are over at `now` (dayOverUtc, as a bound for a query). */
export const firstDayNotOver = (now: Date): Date => startOfDayUtc(now);
/** The latest calendar day that is today somewhere at `now` (UTC+14). */
export const latestToday = (now: Date): Date => startOfDayUtc(new Date(now.getTime() + 14 * HOUR_MS));
/** The earliest calendar day an instant falls on somewhere (UTC-12). */
export const earliestDayOf = (instant: Date): Date => startOfDayUtc(new Date(instant.getTime() - 12 * HOUR_MS));
/** The first instant at which a calendar day has begun somewhere (UTC+14). */
export const dayBegunSomewhere = (day: Date): Date => new Date(startOfDayUtc(day).getTime() - 14 * HOUR_MS);
