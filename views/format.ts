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
  return escapeSlackText(visible(text));
}

/** Slack's control characters `&`, `<` and `>` as the entities Slack reads and sends (`&amp;` first). */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text as the user typed it, from text Slack sends (escapeSlackText undone): a slash command's
 * `text` arrives with `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`, so `/pii status Smith
 * & Sons` would otherwise look for `Smith &amp; Sons`. `&amp;` is decoded last, so a typed
 * `&lt;` stays `&lt;`.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Shortens raw text to at most `max` characters, marking the cut, so a Block Kit limit is
 * never exceeded. Cut developer text BEFORE escaping it: an escape (`&amp;`) is longer than
 * the character it stands for.
 */
export function truncate(input: string, max: number): string {
  const text = visible(input);
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** What a cut must not split in mrkdwn: an escape, or a `<…>` link, mention or date token. */
const MRKDWN_TOKEN = /&(?:amp|lt|gt);|<[^<>\n]*>/g;

/**
 * Fits composed mrkdwn (already escaped, with links and date tokens) into `max` characters.
 * A cut that would fall inside an escape, a link or a date token moves before it, so Slack
 * never receives half a `&amp;` or an unclosed `<https://…|label`.
 */
export function fitMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  for (const match of text.matchAll(MRKDWN_TOKEN)) {
    const start = match.index;
    if (start >= cut) break;
    if (start + match[0].length > cut) {
      cut = start;
      break;
    }
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** A Slack date token: each reader sees the instant in their own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const fallback = at.toISOString().replace('T', ' ').slice(0, 16).concat(' UTC');
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback}>`;
}

const CALENDAR = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });

/**
 * A day without a time (an audit's date, a due date, a go-live), as text: "Jul 1, 2026". A date
 * picked in a modal is stored as midnight UTC, and a Slack date token would show that instant
 * in each reader's zone, a day early for everyone west of UTC.
 */
export function calendarDate(day: Date): string {
  return CALENDAR.format(day);
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

/** Long enough for any real address; a website is read, so its label is shortened. */
const WEBSITE_LABEL_MAX = 200;
/** Past this a link would not fit a 2000-character field beside its label: shown as text instead. */
const WEBSITE_LINK_MAX = 1500;

/** The applicant's website as a link with a readable label, within every Block Kit text limit. */
export function websiteLink(url: string): string {
  const label = truncate(url, WEBSITE_LABEL_MAX);
  return url.length <= WEBSITE_LINK_MAX ? link(url, label) : escapeMrkdwn(label);
}

export function applicationRef(id: number): string {
  return `#${id}`;
}
