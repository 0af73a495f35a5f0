import { actionIdOf, controlAttrs, optionsOf, type SlackOption, selectedValues } from './common.ts';
import { attrs, escapeHtml, getArr, getNum, getStr, type Json } from './html.ts';
import { renderTextObject, textOf } from './mrkdwn.ts';
import type { ElementScope, RenderContext } from './types.ts';

function optionTag(o: SlackOption, selected: Set<string>): string {
  return `<option${attrs({
    value: o.value,
    selected: selected.has(o.value),
    title: textOf(o.raw.description) || undefined,
    'data-option': JSON.stringify(o.raw),
    'data-url': getStr(o.raw, 'url'),
  })}>${escapeHtml(textOf(o.raw.text))}</option>`;
}

function placeholderOption(el: Json, selected: Set<string>, fallback: string): string {
  // A disabled first option shows the placeholder and makes "nothing chosen yet" representable.
  const text = textOf(el.placeholder) || fallback;
  return `<option value="" disabled${selected.size ? '' : ' selected'}>${escapeHtml(text)}</option>`;
}

function selectTag(el: Json, type: string, scope: ElementScope, multi: boolean, body: string): string {
  return `<select${attrs({
    class: `bk-select${multi ? ' bk-select--multi' : ''}`,
    multiple: multi,
    'aria-label': textOf(el.placeholder) || undefined,
    'data-max-selected-items': multi ? getNum(el, 'max_selected_items') : undefined,
    ...controlAttrs(el, type, scope),
  })}>${body}</select>`;
}

export function renderStaticSelect(el: Json, type: string, scope: ElementScope, multi: boolean): string {
  const selected = selectedValues(el);
  let body = multi ? '' : placeholderOption(el, selected, 'Select an option');
  body += optionsOf(getArr(el, 'options'))
    .map((o) => optionTag(o, selected))
    .join('');
  for (const group of optionsOf(getArr(el, 'option_groups'))) {
    const inner = optionsOf(getArr(group.raw, 'options'))
      .map((o) => optionTag(o, selected))
      .join('');
    body += `<optgroup${attrs({ label: textOf(group.raw.label) })}>${inner}</optgroup>`;
  }
  return selectTag(el, type, scope, multi, body);
}

/** users_select / conversations_select / channels_select, with choices from the emulator's directory. */
export function renderDirectorySelect(
  el: Json,
  type: string,
  scope: ElementScope,
  directory: Record<string, { name: string }>,
  initialKeys: [string, string],
  prefix: string,
): string {
  const multi = type.startsWith('multi_');
  const initial = multi ? getArr(el, initialKeys[1]) : [el[initialKeys[0]]];
  const selected = new Set(initial.filter((v): v is string => typeof v === 'string'));
  const entries = Object.entries(directory).map(([id, v]) => [id, v.name] as const);
  // An initial id missing from the directory is still shown, rather than silently unselected.
  for (const id of selected) if (!(id in directory)) entries.push([id, id]);
  let body = multi ? '' : placeholderOption(el, selected, 'Select…');
  body += entries
    .map(([id, name]) => `<option${attrs({ value: id, selected: selected.has(id) })}>${escapeHtml(prefix + name)}</option>`)
    .join('');
  return selectTag(el, type, scope, multi, body);
}

/**
 * Slack's overflow menu: a ⋯ button that opens a small menu. Each item is a button carrying the
 * element's action id and its option's value; choosing one sends the action, as Slack does.
 */
export function renderOverflow(el: Json, scope: ElementScope): string {
  const items = optionsOf(getArr(el, 'options'))
    .map(
      (o) =>
        `<button${attrs({
          type: 'button',
          role: 'menuitem',
          class: 'bk-overflow-item',
          'data-value': o.value,
          'data-url': getStr(o.raw, 'url'),
          ...controlAttrs(el, 'overflow', scope),
        })}>${escapeHtml(textOf(o.raw.text))}</button>`,
    )
    .join('');
  return `<div class="bk-overflow"><button type="button" class="bk-overflow-button" aria-haspopup="menu" aria-expanded="false" aria-label="More actions">⋯</button><div class="bk-overflow-menu" role="menu" hidden>${items}</div></div>`;
}

export function renderChoices(el: Json, type: 'checkboxes' | 'radio_buttons', scope: ElementScope, ctx: RenderContext): string {
  const selected = selectedValues(el);
  const common = controlAttrs(el, type, scope);
  const inputType = type === 'checkboxes' ? 'checkbox' : 'radio';
  // Radios group by name page-wide; the prefix keeps two messages' groups apart.
  const name = `${ctx.idPrefix ?? ''}${scope.blockId}::${actionIdOf(el, scope)}`;
  const items = optionsOf(getArr(el, 'options'))
    .map((o) => {
      const input = `<input${attrs({
        type: inputType,
        name,
        value: o.value,
        checked: selected.has(o.value),
        'data-option': JSON.stringify(o.raw),
        ...common,
      })}>`;
      const desc = o.raw.description
        ? `<span class="bk-choice-description">${renderTextObject(o.raw.description, ctx)}</span>`
        : '';
      return `<label class="bk-choice">${input}<span class="bk-choice-text">${renderTextObject(o.raw.text, ctx)}</span>${desc}</label>`;
    })
    .join('');
  return `<div${attrs({ class: `bk-${type.replace('_', '-')}`, role: type === 'checkboxes' ? 'group' : 'radiogroup', ...common })}>${items}</div>`;
}
