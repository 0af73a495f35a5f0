import { renderElement, renderImageElement } from './elements.ts';
import { attrs, escapeHtml, getArr, getRec, getStr, isRecord, type Json, unsupported } from './html.ts';
import { renderTextObject, textOf } from './mrkdwn.ts';
import { renderRichText } from './richtext.ts';
import type { ElementScope, RenderContext, Surface } from './types.ts';

/** block_id Slack would echo back; when the app omitted it we use a position-based stand-in. */
export function blockIdOf(block: unknown, index: number): string {
  return (isRecord(block) ? getStr(block, 'block_id') : undefined) ?? `bk-block-${index}`;
}

function open(type: string, blockId: string, extra = ''): string {
  return `<div${attrs({ class: `bk-block bk-${type.replace(/_/g, '-')}${extra}`, 'data-block-id': blockId })}>`;
}

function renderSection(b: Json, blockId: string, surface: Surface, ctx: RenderContext): string {
  const text = b.text ? `<div class="bk-section-text">${renderTextObject(b.text, ctx)}</div>` : '';
  const fieldList = getArr(b, 'fields');
  const fields = fieldList.length
    ? `<div class="bk-section-fields">${fieldList.map((f) => `<div class="bk-field">${renderTextObject(f, ctx)}</div>`).join('')}</div>`
    : '';
  const scope: ElementScope = { blockId, fallbackActionId: 'bk-action-0', surface };
  const accessory =
    b.accessory === undefined ? '' : `<div class="bk-section-accessory">${renderElement(b.accessory, scope, ctx)}</div>`;
  return `${open('section', blockId)}<div class="bk-section-body">${text}${fields}</div>${accessory}</div>`;
}

function renderContext(b: Json, blockId: string, ctx: RenderContext): string {
  const items = getArr(b, 'elements')
    .map((el) => {
      if (!isRecord(el)) return unsupported('element', undefined, ctx);
      if (el.type === 'image') return renderImageElement(el, 'bk-context-image');
      if (el.type === 'mrkdwn' || el.type === 'plain_text') {
        return `<span class="bk-context-text">${renderTextObject(el, ctx)}</span>`;
      }
      return unsupported('element', el.type, ctx);
    })
    .join('');
  return `${open('context', blockId)}${items}</div>`;
}

function renderActions(b: Json, blockId: string, surface: Surface, ctx: RenderContext): string {
  const items = getArr(b, 'elements')
    .map((el, i) => renderElement(el, { blockId, fallbackActionId: `bk-action-${i}`, surface }, ctx))
    .join('');
  return `${open('actions', blockId)}${items}</div>`;
}

function renderInput(b: Json, blockId: string, surface: Surface, ctx: RenderContext): string {
  const error = ctx.errors?.[blockId];
  const optional = b.optional === true ? '<span class="bk-input-optional"> (optional)</span>' : '';
  const label = `<div class="bk-input-label">${renderTextObject(b.label, ctx)}${optional}</div>`;
  const scope: ElementScope = {
    blockId,
    fallbackActionId: 'bk-action-0',
    surface,
    dispatch: b.dispatch_action === true,
  };
  const element = b.element === undefined ? unsupported('element', undefined, ctx) : renderElement(b.element, scope, ctx);
  const hint = b.hint ? `<div class="bk-input-hint">${renderTextObject(b.hint, ctx)}</div>` : '';
  const err = error ? `<div class="bk-input-error" role="alert">${escapeHtml(error)}</div>` : '';
  return `${open('input', blockId, error ? ' bk-input--error' : '')}${label}<div class="bk-input-element">${element}</div>${hint}${err}</div>`;
}

function renderImageBlock(b: Json, blockId: string): string {
  const title = b.title ? `<div class="bk-image-title">${escapeHtml(textOf(b.title))}</div>` : '';
  const fileId = getStr(getRec(b, 'slack_file'), 'id');
  const img =
    !b.image_url && !getStr(getRec(b, 'slack_file'), 'url') && fileId
      ? `<span class="bk-image bk-image-missing">[slack_file ${escapeHtml(fileId)}]</span>`
      : renderImageElement(b, 'bk-image');
  return `${open('image_block', blockId)}${title}${img}</div>`;
}

/** Renders one block; unknown types become a visible placeholder recorded in ctx.placeholders. */
export function renderBlock(block: unknown, index: number, ctx: RenderContext, surface: Surface): string {
  if (!isRecord(block)) return unsupported('block', undefined, ctx);
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return `${open('header', blockId)}${renderTextObject(block.text, ctx)}</div>`;
    case 'section':
      return renderSection(block, blockId, surface, ctx);
    case 'divider':
      return `<hr${attrs({ class: 'bk-block bk-divider', 'data-block-id': blockId })}>`;
    case 'context':
      return renderContext(block, blockId, ctx);
    case 'actions':
      return renderActions(block, blockId, surface, ctx);
    case 'input':
      return renderInput(block, blockId, surface, ctx);
    case 'image':
      return renderImageBlock(block, blockId);
    case 'rich_text':
      return `${open('rich_text', blockId)}${renderRichText(getArr(block, 'elements'), ctx)}</div>`;
    default:
      return unsupported('block', block.type, ctx);
  }
}
