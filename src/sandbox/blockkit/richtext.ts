import { renderDateHtml } from './datetokens.ts';
import { attrs, escapeHtml, getArr, getNum, getRec, getStr, isRecord, type Json, unsupported } from './html.ts';
import { channelMention, emoji, link, specialMention, usergroupMention, userMention } from './inline.ts';
import type { RenderContext } from './types.ts';

// rich_text text is literal (no &lt; escaping, no markup), unlike mrkdwn, so it is only HTML-escaped.

const ORDERED_STYLES = ['decimal', 'lower-alpha', 'lower-roman'];

function applyStyle(html: string, style: Json | undefined): string {
  if (!style) return html;
  let out = html;
  if (style.code === true) out = `<code class="bk-code">${out}</code>`;
  if (style.strike === true) out = `<s>${out}</s>`;
  if (style.italic === true) out = `<em>${out}</em>`;
  if (style.bold === true) out = `<strong>${out}</strong>`;
  return out;
}

function textHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

function renderInlineElement(el: unknown, ctx: RenderContext): string {
  if (!isRecord(el)) return unsupported('element', undefined, ctx);
  const style = getRec(el, 'style');
  switch (el.type) {
    case 'text':
      return applyStyle(textHtml(getStr(el, 'text') ?? ''), style);
    case 'link': {
      const url = getStr(el, 'url') ?? '';
      const label = getStr(el, 'text');
      return link(url, label, applyStyle(textHtml(label || url), style));
    }
    case 'user':
      return applyStyle(userMention(getStr(el, 'user_id') ?? '', ctx), style);
    case 'channel':
      return applyStyle(channelMention(getStr(el, 'channel_id') ?? '', ctx), style);
    case 'usergroup':
      return applyStyle(usergroupMention(getStr(el, 'usergroup_id') ?? ''), style);
    case 'broadcast':
      return applyStyle(specialMention(getStr(el, 'range') ?? 'here'), style);
    case 'emoji':
      return applyStyle(emoji(getStr(el, 'name') ?? '', getStr(el, 'unicode')), style);
    case 'date': {
      const ts = getNum(el, 'timestamp') ?? getStr(el, 'timestamp') ?? '';
      const html = renderDateHtml(ts, getStr(el, 'format') ?? '', getStr(el, 'fallback'), getStr(el, 'url'), ctx);
      return applyStyle(html, style);
    }
    case 'color': {
      const value = getStr(el, 'value') ?? '';
      // Only a strict hex colour may reach the style attribute.
      const swatch = /^#[0-9a-f]{3,8}$/i.test(value) ? `<span class="bk-color-swatch" style="background:${value}"></span>` : '';
      return applyStyle(`<span class="bk-color">${swatch}${escapeHtml(value)}</span>`, style);
    }
    default:
      return unsupported('element', el.type, ctx);
  }
}

function renderInlineList(container: Json, ctx: RenderContext): string {
  return getArr(container, 'elements')
    .map((e) => renderInlineElement(e, ctx))
    .join('');
}

function renderList(list: Json, ctx: RenderContext): string {
  const ordered = getStr(list, 'style') === 'ordered';
  const indent = Math.max(0, Math.min(8, Math.trunc(getNum(list, 'indent') ?? 0)));
  const offset = Math.max(0, Math.trunc(getNum(list, 'offset') ?? 0));
  const items = getArr(list, 'elements')
    .map((item) => {
      if (isRecord(item) && item.type === 'rich_text_section') return `<li>${renderInlineList(item, ctx)}</li>`;
      return `<li>${unsupported('element', isRecord(item) ? item.type : undefined, ctx)}</li>`;
    })
    .join('');
  const tag = ordered ? 'ol' : 'ul';
  const cls = `bk-rt-list bk-rt-list--${ordered ? 'ordered' : 'bullet'} bk-rt-list--indent-${indent}${
    getNum(list, 'border') ? ' bk-rt-list--border' : ''
  }`;
  const listStyle = ordered ? ORDERED_STYLES[indent % 3] : ['disc', 'circle', 'square'][indent % 3];
  return `<${tag}${attrs({
    class: cls,
    start: ordered && offset > 0 ? offset + 1 : undefined,
    style: `margin-left:${indent * 24}px;list-style-type:${listStyle}`,
  })}>${items}</${tag}>`;
}

/** Renders the `elements` of a rich_text block. */
export function renderRichText(elements: unknown[], ctx: RenderContext): string {
  return elements
    .map((el) => {
      if (!isRecord(el)) return unsupported('element', undefined, ctx);
      switch (el.type) {
        case 'rich_text_section':
          return `<div class="bk-rt-section">${renderInlineList(el, ctx)}</div>`;
        case 'rich_text_list':
          return renderList(el, ctx);
        case 'rich_text_preformatted':
          return `<pre class="bk-rt-pre">${renderInlineList(el, ctx)}</pre>`;
        case 'rich_text_quote':
          return `<blockquote class="bk-rt-quote">${renderInlineList(el, ctx)}</blockquote>`;
        default:
          return unsupported('element', el.type, ctx);
      }
    })
    .join('');
}
