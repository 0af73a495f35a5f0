import { escapeMrkdwn } from './format.ts';
import { LIMITS } from './limits.ts';
import type { Block } from './types.ts';

/** The end of a chunk that cuts no entity (`&amp;`, `&lt;`, `&gt;`) and no surrogate pair in two. */
function safeEnd(escaped: string, end: number): number {
  const amp = escaped.lastIndexOf('&', end - 1);
  if (amp >= 0 && amp > end - 5) {
    const entity = escaped.startsWith('&amp;', amp) ? 5 : 4;
    if (amp + entity > end) return amp;
  }
  const last = escaped.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

/**
 * Developer text escaped for mrkdwn and cut into chunks of at most `max` characters each
 * (after escaping, which can grow `&` fivefold), never inside an entity or a surrogate pair,
 * and at a line break or space when one is in the back half, so long answers fill several
 * sections instead of being truncated.
 */
export function escapedChunks(text: string, max: number): string[] {
  const escaped = escapeMrkdwn(text);
  const chunks: string[] = [];
  let start = 0;
  while (escaped.length - start > max) {
    let end = safeEnd(escaped, start + max);
    const half = start + (end - start) / 2;
    const newline = escaped.lastIndexOf('\n', end - 1);
    const space = escaped.lastIndexOf(' ', end - 1);
    if (newline > half) end = newline + 1;
    else if (space > half) end = space + 1;
    chunks.push(escaped.slice(start, end));
    start = end;
  }
  if (start < escaped.length) chunks.push(escaped.slice(start));
  return chunks;
}

/**
 * A titled developer text of any length (the title is mrkdwn already escaped): as many
 * sections as it needs, each inside Slack's 3000 characters, continued under the same title.
 */
export function textSections(title: string, body: string): Block[] {
  const heading = (i: number) => `*${title}*${i > 0 ? ' (continued)' : ''}\n`;
  const chunks = escapedChunks(body.trim() === '' ? '—' : body, LIMITS.sectionText - heading(1).length);
  return chunks.map((chunk, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `${heading(i)}${chunk}` } }));
}
