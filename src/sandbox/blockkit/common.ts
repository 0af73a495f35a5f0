import { type AttrValue, getRec, getStr, isRecord, type Json } from './html.ts';
import { textOf } from './mrkdwn.ts';
import type { ElementScope } from './types.ts';

/**
 * The confirm dialog as JSON of plain strings. Client JS must show these with
 * textContent (never innerHTML), which is why they are not pre-rendered here.
 */
export function confirmJson(el: Json): string | undefined {
  const c = getRec(el, 'confirm');
  if (!c) return undefined;
  return JSON.stringify({
    title: textOf(c.title),
    text: textOf(c.text),
    confirm: textOf(c.confirm) || 'Yes',
    deny: textOf(c.deny) || 'Cancel',
    style: getStr(c, 'style'),
  });
}

export function actionIdOf(el: Json, scope: ElementScope): string {
  return getStr(el, 'action_id') ?? scope.fallbackActionId;
}

/** The attributes every interactive control carries (see the contract in render.ts). */
export function controlAttrs(el: Json, type: string, scope: ElementScope): Record<string, AttrValue> {
  return {
    'data-type': type,
    'data-block-id': scope.blockId,
    'data-action-id': actionIdOf(el, scope),
    'data-confirm': confirmJson(el),
    'data-dispatch-action': scope.dispatch ? 'true' : undefined,
  };
}

export type SlackOption = { value: string; raw: Json };

/** Every option is kept (an invalid one gets value ""), so a malformed payload still shows up. */
export function optionsOf(list: unknown[]): SlackOption[] {
  return list.map((o) => (isRecord(o) ? { value: getStr(o, 'value') ?? '', raw: o } : { value: '', raw: {} }));
}

export function selectedValues(el: Json): Set<string> {
  const values = new Set<string>();
  const single = getStr(getRec(el, 'initial_option'), 'value');
  if (single !== undefined) values.add(single);
  const multi = el.initial_options;
  if (Array.isArray(multi)) for (const o of optionsOf(multi)) values.add(o.value);
  return values;
}
