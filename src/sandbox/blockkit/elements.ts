import { controlAttrs } from './common.ts';
import { attrs, escapeHtml, getRec, getStr, isRecord, type Json, safeHref, safeImageSrc, unsupported } from './html.ts';
import {
  renderDatePicker,
  renderDateTimePicker,
  renderNumberInput,
  renderPlainTextInput,
  renderTimePicker,
  renderTypedInput,
} from './inputs.ts';
import { renderTextObject } from './mrkdwn.ts';
import { renderChoices, renderDirectorySelect, renderOverflow, renderStaticSelect } from './selects.ts';
import type { ElementScope, RenderContext } from './types.ts';

function renderButton(el: Json, scope: ElementScope, ctx: RenderContext): string {
  const style = getStr(el, 'style');
  const known = style === 'primary' || style === 'danger';
  const url = getStr(el, 'url');
  // type="button" so a button inside a modal's <form> never submits it.
  return `<button${attrs({
    type: 'button',
    class: `bk-button${known ? ` bk-button--${style}` : ''}`,
    'data-value': getStr(el, 'value'),
    'data-style': known ? style : undefined,
    'data-url': url ? safeHref(url) : undefined,
    'aria-label': getStr(el, 'accessibility_label'),
    ...controlAttrs(el, 'button', scope),
  })}>${renderTextObject(el.text, ctx)}</button>`;
}

/** Image element (also used by context blocks); an unsafe or missing URL shows the alt text instead. */
export function renderImageElement(el: Json, cls = 'bk-image-element'): string {
  const alt = getStr(el, 'alt_text') ?? '';
  const url = getStr(el, 'image_url') ?? getStr(getRec(el, 'slack_file'), 'url');
  const src = url ? safeImageSrc(url) : undefined;
  if (!src) return `<span${attrs({ class: `${cls} bk-image-missing`, title: url })}>[${escapeHtml(alt || 'image')}]</span>`;
  return `<img${attrs({ class: cls, src, alt, title: alt || undefined, loading: 'lazy' })}>`;
}

/** Renders one interactive or image element; unknown types become a visible placeholder. */
export function renderElement(el: unknown, scope: ElementScope, ctx: RenderContext): string {
  if (!isRecord(el)) return unsupported('element', undefined, ctx);
  const type = el.type;
  switch (type) {
    case 'button':
      return renderButton(el, scope, ctx);
    case 'static_select':
    case 'multi_static_select':
      return renderStaticSelect(el, type, scope, type === 'multi_static_select');
    case 'users_select':
    case 'multi_users_select':
      return renderDirectorySelect(el, type, scope, ctx.users, ['initial_user', 'initial_users'], '@');
    case 'conversations_select':
    case 'multi_conversations_select':
      return renderDirectorySelect(el, type, scope, ctx.channels ?? {}, ['initial_conversation', 'initial_conversations'], '#');
    case 'channels_select':
    case 'multi_channels_select':
      return renderDirectorySelect(el, type, scope, ctx.channels ?? {}, ['initial_channel', 'initial_channels'], '#');
    case 'overflow':
      return renderOverflow(el, scope);
    case 'datepicker':
      return renderDatePicker(el, scope);
    case 'timepicker':
      return renderTimePicker(el, scope);
    case 'datetimepicker':
      return renderDateTimePicker(el, scope, ctx);
    case 'checkboxes':
    case 'radio_buttons':
      return renderChoices(el, type, scope, ctx);
    case 'plain_text_input':
      return renderPlainTextInput(el, scope);
    case 'number_input':
      return renderNumberInput(el, scope);
    case 'email_text_input':
    case 'url_text_input':
      return renderTypedInput(el, type, scope);
    case 'image':
      return renderImageElement(el);
    default:
      return unsupported('element', type, ctx);
  }
}
