import { emojiImage } from './emoji-images.ts';
import { attrs, escapeHtml, safeHref } from './html.ts';
import type { RenderContext } from './types.ts';

// Shared by mrkdwn and rich_text so both surfaces show mentions and links identically.

export function userMention(id: string, ctx: RenderContext, label?: string): string {
  const name = ctx.users[id]?.name ?? label?.replace(/^@/, '') ?? id;
  return `<span class="bk-mention bk-mention--user"${attrs({ 'data-user-id': id })}>@${escapeHtml(name)}</span>`;
}

export function channelMention(id: string, ctx: RenderContext, label?: string): string {
  const name = ctx.channels?.[id]?.name ?? label?.replace(/^#/, '') ?? id;
  return `<span class="bk-mention bk-mention--channel"${attrs({ 'data-channel-id': id })}>#${escapeHtml(name)}</span>`;
}

export function usergroupMention(id: string, label?: string): string {
  const name = label?.replace(/^@/, '') ?? id;
  return `<span class="bk-mention bk-mention--usergroup"${attrs({ 'data-usergroup-id': id })}>@${escapeHtml(name)}</span>`;
}

export const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);

export function specialMention(range: string): string {
  return `<span class="bk-mention bk-mention--special">@${escapeHtml(range)}</span>`;
}

/** A link if the scheme is safe; otherwise the text alone, marked so the developer can see why. */
export function link(url: string, label: string | undefined, innerHtml?: string): string {
  const shown = innerHtml ?? escapeHtml(label ?? (url.startsWith('mailto:') ? url.slice(7) : url));
  const href = safeHref(url);
  if (!href) return `<span class="bk-link bk-link--unsafe"${attrs({ title: `Not linked: ${url}` })}>${shown}</span>`;
  return `<a class="bk-link"${attrs({ href, target: '_blank', rel: 'noopener noreferrer' })}>${shown}</a>`;
}

/** Unicode for an emoji from rich_text's hex code points ("1f44d" or "1f1fa-1f1f8"), else the shortcode. */
export function emoji(name: string, unicode: string | undefined): string {
  let glyph = `:${name}:`;
  if (unicode && /^[0-9a-f]{1,6}(-[0-9a-f]{1,6})*$/i.test(unicode)) {
    try {
      glyph = String.fromCodePoint(...unicode.split('-').map((h) => Number.parseInt(h, 16)));
    } catch {
      // Out-of-range code point: keep the shortcode.
    }
  }
  // Drawn when we have a drawing (a browser without an emoji font shows boxes); the glyph stays for copy and readers.
  const image = unicode ? emojiImage(unicode) : undefined;
  if (image)
    return `<span class="bk-emoji bk-emoji--drawn"${attrs({ title: `:${name}:`, role: 'img', 'aria-label': glyph })}>${image}<span class="bk-emoji-text">${escapeHtml(glyph)}</span></span>`;
  return `<span class="bk-emoji"${attrs({ title: `:${name}:` })}>${escapeHtml(glyph)}</span>`;
}
