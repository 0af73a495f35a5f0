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
