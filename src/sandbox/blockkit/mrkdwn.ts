import { renderDateHtml } from './datetokens.ts';
import { escapeHtml, getStr, isRecord } from './html.ts';
import { channelMention, emoji, link, SPECIAL_MENTIONS, specialMention, usergroupMention, userMention } from './inline.ts';
import type { RenderContext } from './types.ts';

// Rendered pieces are parked behind NUL-delimited indexes so later regex passes
// (bold, italic, ...) never see or alter HTML we already produced.
const SENTINEL = '\u0000';
const SENTINEL_RE = new RegExp(`${SENTINEL}(\\d+)${SENTINEL}`, 'g');

/** Slack text escapes only these three; decode once so "&amp;lt;" stays visible as "&lt;". */
export function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp);/g, (_m, n: string) => (n === 'lt' ? '<' : n === 'gt' ? '>' : '&'));
}

export function renderPlainText(text: string, _ctx?: RenderContext, emojiOn = false): string {
  const html = escapeHtml(text).replace(/\r?\n/g, '<br>');
  // Slack turns shortcodes of plain_text with `emoji` (its default) into emoji as well.
  if (!emojiOn) return html;
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => {
    const unicode = SHORTCODES[name];
    return unicode ? emoji(name, unicode) : whole;
  });
}

/** Renders a Block Kit text object ({type: 'plain_text'|'mrkdwn', text}); bare strings are plain. */
export function renderTextObject(obj: unknown, ctx: RenderContext): string {
  if (typeof obj === 'string') return renderPlainText(obj, ctx);
  if (!isRecord(obj)) return '';
  const text = getStr(obj, 'text') ?? '';
  return getStr(obj, 'type') === 'mrkdwn' ? renderMrkdwn(text, ctx) : renderPlainText(text, ctx, obj.emoji !== false);
}

/** The raw text of a text object, for places that cannot hold markup (option labels, JSON). */
export function textOf(obj: unknown): string {
  if (typeof obj === 'string') return obj;
  return isRecord(obj) ? (getStr(obj, 'text') ?? '') : '';
}

function renderAngle(inner: string, ctx: RenderContext): string {
  const raw = decodeEntities(inner);
  const bar = raw.indexOf('|');
  const target = bar === -1 ? raw : raw.slice(0, bar);
  const label = bar === -1 ? undefined : raw.slice(bar + 1);
  if (target.startsWith('@')) return userMention(target.slice(1), ctx, label);
  if (target.startsWith('#')) return channelMention(target.slice(1), ctx, label);
  if (target.startsWith('!')) {
    const cmd = target.slice(1);
    if (cmd.startsWith('date^')) {
      const [, ts = '', fmt = '', ...rest] = cmd.split('^');
      return renderDateHtml(ts, fmt, label, rest.length ? rest.join('^') : undefined, ctx);
    }
    if (SPECIAL_MENTIONS.has(cmd)) return specialMention(cmd);
    if (cmd.startsWith('subteam^')) return usergroupMention(cmd.slice(8), label);
    return escapeHtml(label ?? `<${raw}>`);
  }
  // Without a scheme this is stray markup Slack would not link either; show it verbatim.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) return escapeHtml(`<${raw}>`);
  return link(target, label);
}

const WORD = '\\p{L}\\p{N}';

function styleRe(marker: string): RegExp {
  const m = marker === '*' ? '\\*' : marker;
  // Like Slack: the marker must not touch a word character on its outer side or whitespace on its inner side.
  return new RegExp(`(^|[^${WORD}${m}])${m}(?!\\s)([^${m}\\n]*?[^\\s${m}])${m}(?![${WORD}${m}])`, 'gu');
}

const BOLD = styleRe('*');
const ITALIC = styleRe('_');
const STRIKE = styleRe('~');

/** Shortcodes Slack renders as emoji, for the ones the bot writes; others stay as text, as Slack shows unknown ones. */
const SHORTCODES: Record<string, string> = {
  warning: '26a0-fe0f',
  no_entry: '26d4',
  white_check_mark: '2705',
  tada: '1f389',
  hourglass: '231b',
  information_source: '2139-fe0f',
  grey_question: '2754',
  alarm_clock: '23f0',
  calendar: '1f4c5',
  clipboard: '1f4cb',
  wrench: '1f527',
  bell: '1f514',
  sparkles: '2728',
  hourglass_flowing_sand: '23f3',
  x: '274c',
  arrows_counterclockwise: '1f504',
};

function renderInline(line: string, ctx: RenderContext, formatting: boolean): string {
  const held: string[] = [];
  const hold = (html: string) => `${SENTINEL}${held.push(html) - 1}${SENTINEL}`;
  let s = '';
  let last = 0;
  for (const m of line.matchAll(/<([^<>]*)>/g)) {
    s += escapeHtml(decodeEntities(line.slice(last, m.index)));
    s += hold(renderAngle(m[1] ?? '', ctx));
    last = m.index + m[0].length;
  }
  s += escapeHtml(decodeEntities(line.slice(last)));
  if (formatting) {
    s = s.replace(/`([^`]+)`/g, (_m, code: string) => hold(`<code class="bk-code">${code}</code>`));
    s = s.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => {
      const unicode = SHORTCODES[name];
      return unicode ? hold(emoji(name, unicode)) : whole;
    });
    s = s.replace(BOLD, (_m, pre: string, t: string) => `${pre}<strong>${t}</strong>`);
    s = s.replace(ITALIC, (_m, pre: string, t: string) => `${pre}<em>${t}</em>`);
    s = s.replace(STRIKE, (_m, pre: string, t: string) => `${pre}<s>${t}</s>`);
  }
  const restore = (str: string): string => str.replace(SENTINEL_RE, (_m, i: string) => restore(held[Number(i)] ?? ''));
  return restore(s);
}

const QUOTE_RE = /^(?:>|&gt;) ?/;
const QUOTE_REST_RE = /^(?:>>>|&gt;&gt;&gt;) ?/;

function renderLines(segment: string, ctx: RenderContext): string {
  const lines = segment.split('\n');
  const out: string[] = [];
  let plain: string[] = [];
  let quote: string[] = [];
  const flushPlain = () => {
    if (plain.length) out.push(plain.join('<br>'));
    plain = [];
  };
  const flushQuote = () => {
    if (quote.length) out.push(`<blockquote class="bk-quote">${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (QUOTE_REST_RE.test(line)) {
      flushPlain();
      // ">>>" quotes everything after it, including later lines.
      const rest = [line.replace(QUOTE_REST_RE, ''), ...lines.slice(i + 1)];
      quote.push(...rest.map((l) => renderInline(l, ctx, true)));
      break;
    }
    const m = QUOTE_RE.exec(line);
    if (m) {
      flushPlain();
      quote.push(renderInline(line.slice(m[0].length), ctx, true));
    } else {
      flushQuote();
      plain.push(renderInline(line, ctx, true));
    }
  }
  flushPlain();
  flushQuote();
  return out.join('');
}

/** Renders Slack mrkdwn to HTML; every character of the input ends up escaped or in our own markup. */
export function renderMrkdwn(text: string, ctx: RenderContext): string {
  const clean = text.replaceAll(SENTINEL, '').replace(/\r\n?/g, '\n');
  const out: string[] = [];
  let last = 0;
  for (const m of clean.matchAll(/```([\s\S]*?)```/g)) {
    // The newlines hugging a code block belong to the block, not to extra blank lines.
    out.push(renderLines(clean.slice(last, m.index).replace(/\n$/, ''), ctx));
    const code = (m[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    const body = code
      .split('\n')
      .map((l) => renderInline(l, ctx, false))
      .join('\n');
    out.push(`<pre class="bk-pre">${body}</pre>`);
    last = m.index + m[0].length;
    if (clean[last] === '\n') last++;
  }
  out.push(renderLines(clean.slice(last), ctx));
  return out.join('');
}
