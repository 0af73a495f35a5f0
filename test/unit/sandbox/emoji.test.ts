import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMrkdwn } from '../../../src/sandbox/blockkit/mrkdwn.ts';
import { renderBlocks } from '../../../src/sandbox/blockkit/render.ts';
import type { RenderContext } from '../../../src/sandbox/blockkit/types.ts';

const ctx: RenderContext = { users: {}, timeZone: 'UTC', now: new Date('2026-03-02T09:00:00Z') } as unknown as RenderContext;
const drawn = (html: string) => (html.match(/<svg class="bk-emoji-img"/g) ?? []).length;

/** Every `:shortcode:` the bot's views and listeners write. */
function shortcodesTheBotWrites(): string[] {
  const root = new URL('../../..', import.meta.url).pathname;
  const files = [
    ...readdirSync(join(root, 'views'), { recursive: true }).map((f) => join(root, 'views', String(f))),
    ...readdirSync(join(root, 'src'), { recursive: true })
      .map((f) => join(root, 'src', String(f)))
      .filter((f) => !f.includes('/sandbox/')),
  ].filter((f) => f.endsWith('.ts'));
  const names = new Set<string>();
  for (const file of files)
    for (const m of readFileSync(file, 'utf8').matchAll(/[`'" (]:([a-z][a-z0-9_]+):[ `'"]/g)) names.add(m[1] ?? '');
  return [...names].filter((n) => n !== 'history' && n !== 'ffff');
}

describe('emoji in the sandbox page', () => {
  it('draws every emoji the bot writes as an image, so a browser without an emoji font shows no boxes', () => {
    const names = shortcodesTheBotWrites();
    expect(names).toEqual(expect.arrayContaining(['no_entry', 'white_check_mark', 'tada', 'warning']));
    for (const name of names) expect(drawn(renderMrkdwn(`:${name}:`, ctx)), `:${name}:`).toBe(1);
  });

  it('keeps the glyph as text for copying and screen readers, and unknown shortcodes as Slack does', () => {
    const html = renderMrkdwn(':no_entry: Refused :tada: :not_an_emoji:', ctx);
    expect(drawn(html)).toBe(2);
    expect(html).toContain('aria-label="⛔"');
    expect(html).toContain('<span class="bk-emoji-text">🎉</span>');
    expect(html).toContain(':not_an_emoji:');
  });

  it('turns shortcodes of plain_text into emoji unless emoji is false', () => {
    const block = (emoji?: boolean) =>
      renderBlocks(
        [
          {
            type: 'header',
            block_id: 'h',
            text: { type: 'plain_text', text: ':white_check_mark: Saved', ...(emoji === undefined ? {} : { emoji }) },
          },
        ],
        ctx,
        'message',
      );
    expect(drawn(block())).toBe(1);
    expect(drawn(block(true))).toBe(1);
    expect(drawn(block(false))).toBe(0);
    expect(block(false)).toContain(':white_check_mark: Saved');
  });
});
