/*
 * Data-attribute contract between this renderer and the sandbox's client script.
 *
 * The HTML is static; a small script turns DOM events into the payloads Slack would
 * send, so every interactive control carries what that payload needs and the script
 * never has to re-read the original Block Kit JSON:
 *
 *  - data-type, data-block-id, data-action-id on every button and form control
 *    (<input>, <select>, <textarea>); checkboxes/radio_buttons carry them on each
 *    <input> and on the wrapping <div>, so a delegated listener can use either.
 *    data-type tells the script which state shape to build (value,
 *    selected_option(s), selected_user(s), selected_date, selected_date_time, ...).
 *    Missing ids get stand-ins ("bk-block-N", "bk-action-N") where Slack would
 *    have generated random ones, so state.values always has a key.
 *  - Buttons: data-value, data-style, data-url (only http/https/mailto).
 *  - data-confirm: JSON {title,text,confirm,deny,style} of plain strings; ask
 *    before dispatching and show them with textContent only.
 *  - data-option on <option>/choice <input>: the app's original option object, so
 *    selected_option(s) echo it back exactly, as Slack does.
 *  - data-dispatch-action="true": inside an input block with dispatch_action;
 *    send block_actions on change. Other controls in input blocks only feed
 *    view.state.values on submit; controls outside input blocks dispatch at once.
 *  - data-time-zone on datetimepicker: the control holds wall-clock time in that
 *    zone, which the script must convert back to unix seconds.
 *  - Modals: <form class="bk-view" data-callback-id>, buttons with
 *    data-view-action="submit" | "close". Block buttons are type="button" so they
 *    never submit that form.
 */
import { blockIdOf, renderBlock } from './blocks.ts';
import { attrs, escapeHtml, getArr, getStr, isRecord, unsupported } from './html.ts';
import { textOf } from './mrkdwn.ts';
import type { RenderContext, Surface } from './types.ts';

export { BLOCKKIT_CSS } from './css.ts';
export { renderMrkdwn, renderPlainText } from './mrkdwn.ts';
export type { RenderContext, Surface } from './types.ts';

/** Renders a list of Block Kit blocks as an HTML fragment. */
export function renderBlocks(blocks: unknown[], ctx: RenderContext, surface: Surface): string {
  const list = Array.isArray(blocks) ? blocks : [];
  const body = list.map((b, i) => renderBlock(b, i, ctx, surface)).join('');
  return `<div${attrs({ class: `bk-blocks bk-surface--${surface}`, 'data-surface': surface })}>${body}</div>`;
}

/**
 * Errors for block_ids that match no input block: Slack rejects those, so the
 * emulator shows them instead of dropping them.
 */
function strayErrors(blocks: unknown[], ctx: RenderContext): string {
  const inputIds = new Set(
    blocks.map((b, i) => (isRecord(b) && b.type === 'input' ? blockIdOf(b, i) : undefined)).filter(Boolean),
  );
  const stray = Object.entries(ctx.errors ?? {}).filter(([id]) => !inputIds.has(id));
  if (!stray.length) return '';
  const items = stray.map(([id, msg]) => `<li><code>${escapeHtml(id)}</code>: ${escapeHtml(msg)}</li>`).join('');
  return `<ul class="bk-view-errors" role="alert">${items}</ul>`;
}

/** Renders a view: a modal as a <form> with title, blocks and submit/close buttons; home as its blocks. */
export function renderView(view: unknown, ctx: RenderContext): string {
  if (!isRecord(view)) return unsupported('view', undefined, ctx);
  const type = getStr(view, 'type') ?? 'modal';
  const blocks = getArr(view, 'blocks');
  if (type === 'home') {
    return `<div class="bk-view bk-view--home">${renderBlocks(blocks, ctx, 'home')}</div>`;
  }
  if (type !== 'modal') return unsupported('view', type, ctx);
  const submit = view.submit
    ? `<button type="submit" class="bk-button bk-button--primary bk-view-submit" data-view-action="submit">${escapeHtml(textOf(view.submit))}</button>`
    : '';
  const close = `<button type="button" class="bk-button bk-view-close" data-view-action="close">${escapeHtml(textOf(view.close) || 'Cancel')}</button>`;
  return (
    `<form${attrs({ class: 'bk-view bk-view--modal', 'data-callback-id': getStr(view, 'callback_id'), novalidate: true })}>` +
    `<div class="bk-view-header bk-view-title">${escapeHtml(textOf(view.title))}</div>` +
    `<div class="bk-view-body">${strayErrors(blocks, ctx)}${renderBlocks(blocks, ctx, 'modal')}</div>` +
    `<div class="bk-view-footer">${close}${submit}</div></form>`
  );
}
