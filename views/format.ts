import { formatDistanceStrict } from 'date-fns';

/** Zero-width characters and bidi controls: invisible, yet able to hide or reverse what a line shows. */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/** Display text without invisible characters (data stored before intake refused them, or in free text). */
export function visible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Text from developers reaches mrkdwn only through this: with &, < and > escaped, Slack
 * cannot read it as a mention (`<!channel>`, `<@U…>`) or a link of someone else's making.
 */
export function escapeMrkdwn(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to at most `max` characters, marking the cut, so a Block Kit limit is never exceeded. */
export function truncate(input: string, max: number): string {
  const text = visible(input);
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A Slack date token: each reader sees the instant in their own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const fallback = at.toISOString().replace('T', ' ').slice(0, 16).concat(' UTC');
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback}>`;
}

export function age(from: Date, now: Date): string {
  return formatDistanceStrict(from, now);
}

export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** A link whose label is escaped; the URL was validated as https at intake. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

export function applicationRef(id: number): string {
  return `#${id}`;
}
