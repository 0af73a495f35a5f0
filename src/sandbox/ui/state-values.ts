import { blockIdOf } from '../blockkit/blocks.ts';
import { getArr, getRec, getStr, isRecord, type Json } from '../blockkit/html.ts';
import { textOf } from '../blockkit/mrkdwn.ts';

/**
 * What the page sends for one control: its ids and the raw strings the browser holds.
 * Everything else (type, option objects) is read back from the view the bot sent, so a
 * payload never carries what the page made up.
 */
export type FormControl = { blockId: string; actionId: string; values: string[] };

export type StateValues = Record<string, Record<string, Json>>;

type Located = { element: Json; blockId: string; actionId: string; inInput: boolean; optional: boolean };

/** Every interactive element of a list of blocks, with the ids the renderer gave it (stand-ins included). */
export function elementsOf(blocks: unknown[]): Located[] {
  const found: Located[] = [];
  blocks.forEach((block, index) => {
    if (!isRecord(block)) return;
    const blockId = blockIdOf(block, index);
    const add = (el: unknown, fallback: string, inInput = false) => {
      if (!isRecord(el)) return;
      const actionId = getStr(el, 'action_id') ?? fallback;
      found.push({ element: el, blockId, actionId, inInput, optional: block.optional === true });
    };
    if (block.type === 'section') add(block.accessory, 'bk-action-0');
    if (block.type === 'input') add(block.element, 'bk-action-0', true);
    if (block.type === 'actions') {
      for (const [i, el] of getArr(block, 'elements').entries()) add(el, `bk-action-${i}`);
    }
  });
  return found;
}

export function findElement(blocks: unknown[], blockId: string, actionId: string): Located | undefined {
  return elementsOf(blocks).find((e) => e.blockId === blockId && e.actionId === actionId);
}

function allOptions(el: Json): Json[] {
  const direct = getArr(el, 'options').filter(isRecord);
  const grouped = getArr(el, 'option_groups')
    .filter(isRecord)
    .flatMap((g) => getArr(g, 'options').filter(isRecord));
  return [...direct, ...grouped];
}

/** The app's own option objects for the chosen values, in the app's order, as Slack echoes them. */
function pickOptions(el: Json, values: string[]): Json[] {
  const wanted = new Set(values);
  return allOptions(el).filter((o) => wanted.has(getStr(o, 'value') ?? ''));
}

/** Wall-clock "YYYY-MM-DDTHH:mm" in a zone to unix seconds (DST-safe: the offset is re-read at the result). */
export function zonedToUnix(local: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
  let guess = asUtc - offsetSeconds(asUtc, timeZone);
  guess = asUtc - offsetSeconds(guess, timeZone);
  return guess;
}

function offsetSeconds(unix: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(unix * 1000);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === '-' ? -seconds : seconds;
}

const DIRECTORY_KEYS: Record<string, string> = {
  users_select: 'selected_user',
  multi_users_select: 'selected_users',
  conversations_select: 'selected_conversation',
  multi_conversations_select: 'selected_conversations',
  channels_select: 'selected_channel',
  multi_channels_select: 'selected_channels',
};

/**
 * One element's state in Slack's shape (`view.state.values[block][action]`, and the same
 * fields in a block_actions action), or undefined for elements that hold no state.
 */
export function elementState(el: Json, values: string[], timeZone: string): Json | undefined {
  const type = getStr(el, 'type') ?? '';
  const first = values.find((v) => v !== '');
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: first ?? null };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: pickOptions(el, values)[0] ?? null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: pickOptions(el, values) };
    case 'datepicker':
      return { type, selected_date: first && /^\d{4}-\d{2}-\d{2}$/.test(first) ? first : null };
    case 'timepicker': {
      const zone = getStr(el, 'timezone');
      return {
        type,
        selected_time: first && /^\d{2}:\d{2}/.test(first) ? first.slice(0, 5) : null,
        ...(zone ? { timezone: zone } : {}),
      };
    }
    case 'datetimepicker':
      return { type, selected_date_time: first ? zonedToUnix(first.slice(0, 16), timeZone) : null };
    default: {
      const key = DIRECTORY_KEYS[type];
      if (!key) return undefined;
      const ids = values.filter((v) => v !== '');
      return { type, [key]: type.startsWith('multi_') ? ids : (ids[0] ?? null) };
    }
  }
}

/** `view.state.values` for a view, from what the page holds; controls that match no element are dropped. */
export function stateValues(blocks: unknown[], controls: FormControl[], timeZone: string): StateValues {
  const out: StateValues = {};
  for (const control of controls) {
    const found = findElement(blocks, control.blockId, control.actionId);
    if (!found) continue;
    const state = elementState(found.element, control.values, timeZone);
    if (!state) continue;
    out[found.blockId] ??= {};
    (out[found.blockId] as Record<string, Json>)[found.actionId] = state;
  }
  return out;
}

/** The fields of a block_actions action Slack adds for the element that was used. */
export function actionFields(el: Json, values: string[], timeZone: string): Json {
  const type = getStr(el, 'type') ?? 'button';
  if (type === 'button') {
    const style = getStr(el, 'style');
    return {
      type,
      text: isRecord(el.text) ? el.text : { type: 'plain_text', text: textOf(el.text) },
      ...(getStr(el, 'value') !== undefined ? { value: getStr(el, 'value') } : {}),
      ...(style ? { style } : {}),
    };
  }
  if (type === 'overflow') return { type, selected_option: pickOptions(el, values)[0] ?? null };
  const state = elementState(el, values, timeZone) ?? { type };
  const placeholder = getRec(el, 'placeholder');
  return { ...state, ...(placeholder ? { placeholder } : {}) };
}

const REQUIRED = 'Please complete this required field.';

/** Slack's client refuses to submit while a required input is empty, without asking the app. */
export function missingRequired(blocks: unknown[], values: StateValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const found of elementsOf(blocks)) {
    if (!found.inInput || found.optional) continue;
    const state = values[found.blockId]?.[found.actionId];
    if (!state || isEmptyState(state)) errors[found.blockId] = REQUIRED;
  }
  return errors;
}

function isEmptyState(state: Json): boolean {
  return Object.entries(state).every(
    ([key, v]) => key === 'type' || key === 'timezone' || v === null || (Array.isArray(v) && v.length === 0),
  );
}
