import { LIMITS } from './limits.ts';

/**
 * Block Kit's element rules as Slack enforces them (SLACK.md, "Rules Slack enforces that are
 * easy to miss"). A problem reads as Slack words it: a message and a JSON pointer.
 */
export type Json = Record<string, unknown>;
export type Report = (pointer: string, message: string) => void;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const ELEMENT_COMMON = ['type', 'action_id'];
const SELECT_COMMON = [...ELEMENT_COMMON, 'placeholder', 'confirm', 'focus_on_load'];
/** Fields each element type may carry; anything else Slack refuses. */
const ELEMENT_FIELDS: Record<string, readonly string[]> = {
  button: [...ELEMENT_COMMON, 'text', 'url', 'value', 'style', 'confirm', 'accessibility_label'],
  overflow: [...ELEMENT_COMMON, 'options', 'confirm'],
  static_select: [...SELECT_COMMON, 'options', 'option_groups', 'initial_option'],
  multi_static_select: [...SELECT_COMMON, 'options', 'option_groups', 'initial_options', 'max_selected_items'],
  external_select: [...SELECT_COMMON, 'initial_option', 'min_query_length'],
  multi_external_select: [...SELECT_COMMON, 'initial_options', 'min_query_length', 'max_selected_items'],
  users_select: [...SELECT_COMMON, 'initial_user'],
  multi_users_select: [...SELECT_COMMON, 'initial_users', 'max_selected_items'],
  conversations_select: [
    ...SELECT_COMMON,
    'initial_conversation',
    'default_to_current_conversation',
    'response_url_enabled',
    'filter',
  ],
  multi_conversations_select: [
    ...SELECT_COMMON,
    'initial_conversations',
    'default_to_current_conversation',
    'max_selected_items',
    'filter',
  ],
  channels_select: [...SELECT_COMMON, 'initial_channel', 'response_url_enabled'],
  multi_channels_select: [...SELECT_COMMON, 'initial_channels', 'max_selected_items'],
  datepicker: [...ELEMENT_COMMON, 'initial_date', 'placeholder', 'confirm', 'focus_on_load'],
  timepicker: [...ELEMENT_COMMON, 'initial_time', 'placeholder', 'confirm', 'focus_on_load', 'timezone'],
  datetimepicker: [...ELEMENT_COMMON, 'initial_date_time', 'confirm', 'focus_on_load'],
  plain_text_input: [
    ...ELEMENT_COMMON,
    'placeholder',
    'initial_value',
    'multiline',
    'min_length',
    'max_length',
    'dispatch_action_config',
    'focus_on_load',
  ],
  email_text_input: [...ELEMENT_COMMON, 'placeholder', 'initial_value', 'dispatch_action_config', 'focus_on_load'],
  url_text_input: [...ELEMENT_COMMON, 'placeholder', 'initial_value', 'dispatch_action_config', 'focus_on_load'],
  number_text_input: [
    ...ELEMENT_COMMON,
    'is_decimal_allowed',
    'placeholder',
    'initial_value',
    'min_value',
    'max_value',
    'dispatch_action_config',
    'focus_on_load',
  ],
  radio_buttons: [...ELEMENT_COMMON, 'options', 'initial_option', 'confirm', 'focus_on_load'],
  checkboxes: [...ELEMENT_COMMON, 'options', 'initial_options', 'confirm', 'focus_on_load'],
  image: ['type', 'image_url', 'alt_text', 'slack_file'],
};

const SELECTS = new Set(['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select']);
const MULTI_SELECTS = new Set([...SELECTS].map((s) => `multi_${s}`));
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];
const WITH_OPTIONS = new Set(['overflow', 'static_select', 'multi_static_select', 'radio_buttons', 'checkboxes']);

/** Where each element may stand. */
export const PLACES: Record<'accessory' | 'actions' | 'input' | 'context', ReadonlySet<string>> = {
  accessory: new Set([
    'button',
    'overflow',
    'checkboxes',
    'radio_buttons',
    'datepicker',
    'timepicker',
    'image',
    ...SELECTS,
    ...MULTI_SELECTS,
  ]),
  actions: new Set(['button', 'overflow', 'checkboxes', 'radio_buttons', ...PICKERS, ...SELECTS, ...MULTI_SELECTS]),
  input: new Set([
    'plain_text_input',
    'email_text_input',
    'url_text_input',
    'number_text_input',
    'checkboxes',
    'radio_buttons',
    ...PICKERS,
    ...SELECTS,
    ...MULTI_SELECTS,
  ]),
  context: new Set(['image', 'plain_text', 'mrkdwn']),
};

export function unknownFields(value: Json, allowed: readonly string[], at: string, report: Report) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(`${at}/${key}`, `unknown field \`${key}\``);
  }
}

type TextRule = { plainOnly?: boolean; max?: number; nonEmpty?: boolean };

/** A text object: plain_text or mrkdwn, `emoji` only on plain_text, within its length. */
export function checkText(value: unknown, at: string, report: Report, rule: TextRule = {}) {
  if (!isObject(value)) return report(at, 'must be a text object');
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return report(`${at}/type`, 'must be plain_text or mrkdwn');
  if (rule.plainOnly && value.type !== 'plain_text') report(`${at}/type`, 'must be plain_text');
  unknownFields(value, value.type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim'], at, report);
  if (typeof value.text !== 'string') return report(`${at}/text`, 'must be a string');
  if (rule.nonEmpty && value.text.trim().length === 0) report(`${at}/text`, 'must be more than 0 characters');
  if (rule.max !== undefined && value.text.length > rule.max) report(`${at}/text`, `must be at most ${rule.max} characters`);
}

function checkConfirm(value: unknown, at: string, report: Report) {
  if (!isObject(value)) return report(at, 'must be a confirm object');
  unknownFields(value, ['title', 'text', 'confirm', 'deny', 'style'], at, report);
  checkText(value.title, `${at}/title`, report, { plainOnly: true, max: 100, nonEmpty: true });
  checkText(value.text, `${at}/text`, report, { max: 300, nonEmpty: true });
  checkText(value.confirm, `${at}/confirm`, report, { plainOnly: true, max: 30, nonEmpty: true });
  checkText(value.deny, `${at}/deny`, report, { plainOnly: true, max: 30, nonEmpty: true });
  if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
    report(`${at}/style`, 'must be primary or danger');
  }
}

function checkOption(value: unknown, at: string, report: Report, opts: { plainOnly: boolean; url: boolean }) {
  if (!isObject(value)) return report(at, 'must be an option object');
  unknownFields(value, opts.url ? ['text', 'value', 'description', 'url'] : ['text', 'value', 'description'], at, report);
  checkText(value.text, `${at}/text`, report, { plainOnly: opts.plainOnly, max: LIMITS.optionText, nonEmpty: true });
  if (typeof value.value !== 'string' || value.value.length > LIMITS.optionValue) {
    report(`${at}/value`, `must be a string of at most ${LIMITS.optionValue} characters`);
  }
  if (value.description !== undefined) {
    checkText(value.description, `${at}/description`, report, { plainOnly: opts.plainOnly, max: LIMITS.optionText });
  }
  if (typeof value.url === 'string' && value.url.length > 3000) report(`${at}/url`, 'must be at most 3000 characters');
}

const sameOption = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])]),
  );
}

function checkOptions(element: Json, at: string, report: Report) {
  const type = String(element.type);
  const plainOnly = type !== 'radio_buttons' && type !== 'checkboxes';
  const listed: unknown[] = [];
  if (element.options !== undefined) {
    for (const [i, o] of list(element.options).entries()) {
      checkOption(o, `${at}/options/${i}`, report, { plainOnly, url: type === 'overflow' });
      listed.push(o);
    }
  }
  if (element.option_groups !== undefined) {
    const groups = list(element.option_groups);
    if (groups.length > 100) report(`${at}/option_groups`, 'must have at most 100 items');
    for (const [g, group] of groups.entries()) {
      if (!isObject(group)) continue;
      unknownFields(group, ['label', 'options'], `${at}/option_groups/${g}`, report);
      checkText(group.label, `${at}/option_groups/${g}/label`, report, { plainOnly: true, max: 75, nonEmpty: true });
      for (const [i, o] of list(group.options).entries()) {
        checkOption(o, `${at}/option_groups/${g}/options/${i}`, report, { plainOnly, url: false });
        listed.push(o);
      }
    }
  }
  const count = listed.length;
  if (type === 'overflow' && (count < 1 || count > 5)) report(`${at}/options`, 'must have 1 to 5 items');
  if ((type === 'radio_buttons' || type === 'checkboxes') && (count < 1 || count > 10)) {
    report(`${at}/options`, 'must have 1 to 10 items');
  }
  if ((type === 'static_select' || type === 'multi_static_select') && (count < 1 || count > LIMITS.selectOptions)) {
    report(`${at}/options`, `must have 1 to ${LIMITS.selectOptions} items`);
  }
  if (element.options !== undefined && element.option_groups !== undefined) {
    report(at, 'must provide options or option_groups, not both');
  }
  const initial = [
    ...(element.initial_option !== undefined ? [['initial_option', element.initial_option] as const] : []),
    ...list(element.initial_options).map((o, i) => [`initial_options/${i}`, o] as const),
  ];
  if (type.endsWith('external_select')) return;
  for (const [path, o] of initial) {
    if (!listed.some((l) => sameOption(l, o))) report(`${at}/${path}`, 'must match one of the listed options exactly');
  }
}

/** One element at a place: its type allowed there, only its own fields, its texts and limits. */
export function checkElement(element: unknown, at: string, place: keyof typeof PLACES, report: Report) {
  if (!isObject(element)) return report(at, 'must be an element object');
  const type = String(element.type);
  if (!PLACES[place].has(type)) return report(`${at}/type`, `\`${type}\` is not allowed here`);
  if (place === 'context' && (type === 'plain_text' || type === 'mrkdwn')) {
    return checkText(element, at, report, { max: LIMITS.sectionText, nonEmpty: true });
  }
  const fields = ELEMENT_FIELDS[type];
  if (fields) unknownFields(element, fields, at, report);
  if (typeof element.action_id === 'string' && element.action_id.length > LIMITS.idLength) {
    report(`${at}/action_id`, `must be at most ${LIMITS.idLength} characters`);
  }
  if (element.placeholder !== undefined) {
    checkText(element.placeholder, `${at}/placeholder`, report, { plainOnly: true, max: 150, nonEmpty: true });
  }
  if (element.confirm !== undefined) checkConfirm(element.confirm, `${at}/confirm`, report);
  if (type === 'image' && (typeof element.alt_text !== 'string' || element.alt_text === '')) {
    report(`${at}/alt_text`, 'is required');
  }
  if (type === 'button') {
    checkText(element.text, `${at}/text`, report, { plainOnly: true, max: LIMITS.buttonText, nonEmpty: true });
    if (typeof element.value === 'string' && element.value.length > LIMITS.buttonValue) {
      report(`${at}/value`, `must be at most ${LIMITS.buttonValue} characters`);
    }
    if (typeof element.url === 'string' && element.url.length > 3000) report(`${at}/url`, 'must be at most 3000 characters');
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
      report(`${at}/style`, 'must be primary or danger');
    }
  }
  if (WITH_OPTIONS.has(type)) checkOptions(element, at, report);
  if (type === 'plain_text_input') checkTextInput(element, at, report);
  checkPicker(element, at, report);
}

function checkTextInput(element: Json, at: string, report: Report) {
  const { min_length: min, max_length: max } = element;
  if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= 3000)) {
    report(`${at}/max_length`, 'must be between 1 and 3000');
  }
  if (min !== undefined && !(Number.isInteger(min) && (min as number) >= 0 && (min as number) <= 3000)) {
    report(`${at}/min_length`, 'must be between 0 and 3000');
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) report(`${at}/min_length`, 'must not exceed max_length');
  if (typeof element.initial_value === 'string' && typeof max === 'number' && element.initial_value.length > max) {
    report(`${at}/initial_value`, 'must not be longer than max_length');
  }
}

function checkPicker(element: Json, at: string, report: Report) {
  const date = element.initial_date;
  if (date !== undefined && !(typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date))) {
    report(`${at}/initial_date`, 'must be YYYY-MM-DD');
  }
  const time = element.initial_time;
  if (time !== undefined && !(typeof time === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(time))) {
    report(`${at}/initial_time`, 'must be HH:mm');
  }
  const dateTime = element.initial_date_time;
  if (dateTime !== undefined && !(Number.isInteger(dateTime) && /^\d{10}$/.test(String(dateTime)))) {
    report(`${at}/initial_date_time`, 'must be a 10-digit Unix timestamp in seconds');
  }
}
