import { wallClock } from '../wall-clock.ts';
import { controlAttrs } from './common.ts';
import { attrs, escapeHtml, getNum, getStr, type Json } from './html.ts';
import { textOf } from './mrkdwn.ts';
import type { ElementScope, RenderContext } from './types.ts';

function placeholder(el: Json): string | undefined {
  return textOf(el.placeholder) || undefined;
}

export function renderPlainTextInput(el: Json, scope: ElementScope): string {
  const common = {
    placeholder: placeholder(el),
    maxlength: getNum(el, 'max_length'),
    minlength: getNum(el, 'min_length'),
    ...controlAttrs(el, 'plain_text_input', scope),
  };
  const initial = getStr(el, 'initial_value') ?? '';
  if (el.multiline === true) {
    return `<textarea${attrs({ class: 'bk-textarea', rows: 4, ...common })}>${escapeHtml(initial)}</textarea>`;
  }
  return `<input${attrs({ type: 'text', class: 'bk-text-input', value: initial || undefined, ...common })}>`;
}

const TYPED_INPUTS: Record<string, string> = {
  email_text_input: 'email',
  url_text_input: 'url',
};

export function renderTypedInput(el: Json, type: 'email_text_input' | 'url_text_input', scope: ElementScope): string {
  return `<input${attrs({
    type: TYPED_INPUTS[type],
    class: 'bk-text-input',
    value: getStr(el, 'initial_value'),
    placeholder: placeholder(el),
    ...controlAttrs(el, type, scope),
  })}>`;
}

export function renderNumberInput(el: Json, scope: ElementScope): string {
  const decimal = el.is_decimal_allowed === true;
  return `<input${attrs({
    type: 'number',
    class: 'bk-text-input bk-number-input',
    step: decimal ? 'any' : '1',
    inputmode: decimal ? 'decimal' : 'numeric',
    min: getStr(el, 'min_value'),
    max: getStr(el, 'max_value'),
    value: getStr(el, 'initial_value'),
    placeholder: placeholder(el),
    'data-decimal-allowed': decimal ? 'true' : 'false',
    ...controlAttrs(el, 'number_input', scope),
  })}>`;
}

export function renderDatePicker(el: Json, scope: ElementScope): string {
  const initial = getStr(el, 'initial_date');
  return `<input${attrs({
    type: 'date',
    class: 'bk-datepicker',
    value: initial && /^\d{4}-\d{2}-\d{2}$/.test(initial) ? initial : undefined,
    title: placeholder(el),
    ...controlAttrs(el, 'datepicker', scope),
  })}>`;
}

export function renderTimePicker(el: Json, scope: ElementScope): string {
  const initial = getStr(el, 'initial_time');
  return `<input${attrs({
    type: 'time',
    class: 'bk-timepicker',
    value: initial && /^\d{2}:\d{2}$/.test(initial) ? initial : undefined,
    title: placeholder(el),
    'data-timezone': getStr(el, 'timezone'),
    ...controlAttrs(el, 'timepicker', scope),
  })}>`;
}

/** "YYYY-MM-DDTHH:MM" wall-clock time of a unix timestamp in the zone, as datetime-local expects. */
function localDateTime(unixSeconds: number, timeZone: string): string | undefined {
  try {
    return wallClock(new Date(unixSeconds * 1000), timeZone);
  } catch {
    return undefined;
  }
}

export function renderDateTimePicker(el: Json, scope: ElementScope, ctx: RenderContext): string {
  const initial = getNum(el, 'initial_date_time');
  return `<input${attrs({
    type: 'datetime-local',
    class: 'bk-datetimepicker',
    value: initial === undefined ? undefined : localDateTime(initial, ctx.timeZone),
    // The control shows wall-clock time; the script needs the zone to turn it back into unix seconds.
    'data-time-zone': ctx.timeZone,
    ...controlAttrs(el, 'datetimepicker', scope),
  })}>`;
}
