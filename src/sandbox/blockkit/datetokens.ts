import { attrs, escapeHtml, safeHref } from './html.ts';
import type { RenderContext } from './types.ts';

type DayParts = { year: number; month: number; day: number };

function format(d: Date, timeZone: string, opts: Intl.DateTimeFormatOptions): string {
  // ICU puts a narrow no-break space before AM/PM; Slack shows a plain space.
  return new Intl.DateTimeFormat('en-US', { timeZone, ...opts }).format(d).replace(/\u202f/g, ' ');
}

function dayParts(d: Date, timeZone: string): DayParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(d);
  const pick = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { year: pick('year'), month: pick('month'), day: pick('day') };
}

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function dayNumber(p: DayParts): number {
  return Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
}

/** "today"/"yesterday"/"tomorrow" if `d` is within a day of ctx.now in the zone, else undefined. */
function relativeDay(d: Date, ctx: RenderContext): string | undefined {
  if (!ctx.now) return undefined;
  const diff = dayNumber(dayParts(d, ctx.timeZone)) - dayNumber(dayParts(ctx.now, ctx.timeZone));
  if (diff === 0) return 'today';
  if (diff === -1) return 'yesterday';
  if (diff === 1) return 'tomorrow';
  return undefined;
}

function ago(d: Date, ctx: RenderContext): string | undefined {
  if (!ctx.now) return undefined;
  const secs = Math.round((d.getTime() - ctx.now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const abs = Math.abs(secs);
  if (abs < 60) return rtf.format(secs, 'second');
  if (abs < 3600) return rtf.format(Math.round(secs / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(secs / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(secs / 86_400), 'day');
  // Slack keeps counting in months and years ("4 months ago"): a card read long after stays relative.
  if (abs < 365 * 86_400) return rtf.format(Math.round(secs / (30 * 86_400)), 'month');
  return rtf.format(Math.round(secs / (365 * 86_400)), 'year');
}

function token(name: string, d: Date, ctx: RenderContext): string | undefined {
  const tz = ctx.timeZone;
  const p = dayParts(d, tz);
  const month = format(d, tz, { month: 'long' });
  const date = `${month} ${ordinal(p.day)}, ${p.year}`;
  const dateShort = format(d, tz, { month: 'short', day: 'numeric', year: 'numeric' });
  const dateLong = `${format(d, tz, { weekday: 'long' })}, ${date}`;
  switch (name) {
    case 'date_num':
      return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
    case 'date':
      return date;
    case 'date_short':
      return dateShort;
    case 'date_long':
      return dateLong;
    case 'date_pretty':
      return relativeDay(d, ctx) ?? date;
    case 'date_short_pretty':
      return relativeDay(d, ctx) ?? dateShort;
    case 'date_long_pretty':
      return relativeDay(d, ctx) ?? dateLong;
    case 'time':
      return format(d, tz, { hour: 'numeric', minute: '2-digit', hour12: true });
    case 'time_secs':
      return format(d, tz, { hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });
    case 'ago':
      return ago(d, ctx) ?? dateShort;
    default:
      return undefined;
  }
}

/**
 * Expands a Slack date format string (e.g. "{date_short} at {time}") for a unix timestamp.
 * Returns undefined when any token is unknown or the zone is invalid, so callers use the fallback.
 */
export function formatSlackDate(unixSeconds: number, fmt: string, ctx: RenderContext): string | undefined {
  if (!Number.isFinite(unixSeconds)) return undefined;
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  let failed = false;
  let out: string;
  try {
    out = fmt.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
      const value = token(name, d, ctx);
      if (value === undefined) failed = true;
      return value ?? '';
    });
  } catch {
    return undefined;
  }
  return failed ? undefined : out;
}

/** HTML for a date token; inputs are already entity-decoded raw strings. */
export function renderDateHtml(
  timestamp: string | number,
  fmt: string,
  fallback: string | undefined,
  link: string | undefined,
  ctx: RenderContext,
): string {
  const ts = typeof timestamp === 'number' ? timestamp : /^-?\d+$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const text = formatSlackDate(ts, fmt, ctx);
  // Without a fallback, the raw timestamp still tells the developer what was sent.
  const shown = text ?? fallback ?? String(timestamp);
  const iso = text === undefined ? undefined : new Date(ts * 1000).toISOString();
  const html = `<time class="bk-date"${attrs({ datetime: iso, title: fallback })}>${escapeHtml(shown)}</time>`;
  const href = link ? safeHref(link) : undefined;
  return href ? `<a class="bk-link"${attrs({ href, target: '_blank', rel: 'noopener noreferrer' })}>${html}</a>` : html;
}
