import type { RenderContext } from './types.ts';

/** Parsed JSON object; Block Kit input is untrusted, so every read goes through the helpers below. */
export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getStr(o: Json | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function getNum(o: Json | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function getRec(o: Json | undefined, key: string): Json | undefined {
  const v = o?.[key];
  return isRecord(v) ? v : undefined;
}

export function getArr(o: Json | undefined, key: string): unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export type AttrValue = string | number | boolean | undefined | null;

/** Builds ` name="value"` pairs; keys come from our code, values are always escaped. */
export function attrs(map: Record<string, AttrValue>): string {
  let out = '';
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined || value === null || value === false) continue;
    out += value === true ? ` ${key}` : ` ${key}="${escapeHtml(String(value))}"`;
  }
  return out;
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);

function checkScheme(url: string, schemes: Set<string>): string | undefined {
  const trimmed = url.trim();
  try {
    // Parse with the URL parser so tricks like "java\tscript:" are judged as a browser would.
    return schemes.has(new URL(trimmed).protocol) ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** The URL if it may become an href (http, https, mailto), else undefined. */
export function safeHref(url: string): string | undefined {
  return checkScheme(url, LINK_SCHEMES);
}

/** The URL if it may be an image src (http, https), else undefined. */
export function safeImageSrc(url: string): string | undefined {
  return checkScheme(url, IMAGE_SCHEMES);
}

/** Visible stand-in for anything we cannot render, so nothing is silently dropped. */
export function unsupported(kind: 'block' | 'element' | 'view', type: unknown, ctx: RenderContext): string {
  const name = typeof type === 'string' && type !== '' ? type : '(missing type)';
  ctx.placeholders?.push(name);
  return `<div class="bk-unknown"${attrs({ 'data-kind': kind, 'data-unknown-type': name })}>Unsupported ${kind}: ${escapeHtml(name)}</div>`;
}
