import { slackDate } from '../format.ts';
import { changeLines } from '../notices.ts';
import type { Block, HistoryEntry } from '../types.ts';
import { type ModalView, section } from './kit.ts';

/** One input's state as Slack submits it (`view.state.values[block_id][action_id]`). */
export type Submitted = {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_user?: string | null;
  selected_date?: string | null;
  selected_date_time?: number | null;
};
export type SubmittedValues = Record<string, Record<string, Submitted | undefined> | undefined>;

type Option = { value?: string };
type Element = {
  type?: string;
  action_id?: string;
  max_length?: number;
  options?: Option[];
  option_groups?: { options?: Option[] }[];
  [key: string]: unknown;
};

const INITIAL_KEYS = ['initial_value', 'initial_option', 'initial_options', 'initial_user', 'initial_date', 'initial_date_time'];

/**
 * The element's initial state set to what was submitted (nothing, if it was emptied). A choice
 * no longer offered leaves the element as built: the person chooses again among what is.
 */
function refilledElement(element: Element, given: Submitted): Element {
  const offered = [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options ?? [])];
  const listed = (value: unknown) => offered.find((o) => o.value === value);
  const kept = Object.fromEntries(Object.entries(element).filter(([key]) => !INITIAL_KEYS.includes(key))) as Element;
  switch (element.type) {
    case 'plain_text_input': {
      const value = typeof given.value === 'string' ? given.value.slice(0, element.max_length ?? 3000) : '';
      return value ? { ...kept, initial_value: value } : kept;
    }
    case 'static_select':
    case 'radio_buttons': {
      const chosen = given.selected_option?.value;
      if (chosen === undefined) return kept;
      const option = listed(chosen);
      return option ? { ...kept, initial_option: option } : element;
    }
    case 'multi_static_select':
    case 'checkboxes': {
      const chosen = (given.selected_options ?? []).map((o) => o?.value);
      const options = chosen.map(listed).filter((o) => o !== undefined);
      if (options.length < chosen.length) return element;
      return options.length > 0 ? { ...kept, initial_options: options } : kept;
    }
    case 'users_select':
      return typeof given.selected_user === 'string' ? { ...kept, initial_user: given.selected_user } : kept;
    case 'datepicker':
      return typeof given.selected_date === 'string' ? { ...kept, initial_date: given.selected_date } : kept;
    case 'datetimepicker':
      return typeof given.selected_date_time === 'number' ? { ...kept, initial_date_time: given.selected_date_time } : kept;
    default:
      return element;
  }
}

/**
 * An input's state as one string: what it starts from (`initial_*`), or what was submitted in
 * it. Undefined for an element whose state is not read here.
 */
function initialState(element: Element): string | undefined {
  const option = (o: unknown) => (o as Option | undefined)?.value ?? '';
  switch (element.type) {
    case 'plain_text_input':
      return String(element.initial_value ?? '');
    case 'static_select':
    case 'radio_buttons':
      return option(element.initial_option);
    case 'multi_static_select':
    case 'checkboxes':
      return ((element.initial_options as Option[] | undefined) ?? []).map(option).sort().join('\n');
    case 'users_select':
      return String(element.initial_user ?? '');
    case 'datepicker':
      return String(element.initial_date ?? '');
    case 'datetimepicker':
      return String(element.initial_date_time ?? '');
    default:
      return undefined;
  }
}

function submittedState(element: Element, given: Submitted): string | undefined {
  switch (element.type) {
    case 'plain_text_input':
      return given.value ?? '';
    case 'static_select':
    case 'radio_buttons':
      return given.selected_option?.value ?? '';
    case 'multi_static_select':
    case 'checkboxes':
      return (given.selected_options ?? [])
        .map((o) => o?.value ?? '')
        .sort()
        .join('\n');
    case 'users_select':
      return given.selected_user ?? '';
    case 'datepicker':
      return given.selected_date ?? '';
    case 'datetimepicker':
      return String(given.selected_date_time ?? '');
    default:
      return undefined;
  }
}

/**
 * An input the person left as the form filled it in, which the change now fills in otherwise
 * (a developer's newer answer, a meeting moved by someone else). Slack keeps what an input held
 * across a view update while its block_id and action_id stay (its docs, "Preserving input
 * entry"), so the rebuilt form would show, and submit, the old value as the person's own.
 */
function outdatedPrefill(shown: Element | undefined, rebuilt: Element, given: Submitted | undefined): boolean {
  if (!shown || !given) return false;
  const before = initialState(shown);
  const now = initialState(rebuilt);
  return before !== undefined && now !== undefined && before !== now && submittedState(shown, given) === before;
}

/**
 * A form rebuilt on the application as it is now, showing what the person had entered in it:
 * each input they submitted starts from their value (emptied if they emptied it), unless the
 * value is no longer one of its options (refilledElement). Slack keeps what was entered in an input whose
 * block_id and action_id stay the same across a view update (its docs, "Preserving input
 * entry"); the initial values say the same, so the view tells it on its own. At its top, what
 * changed meanwhile and what to do. Undefined when the change fills in an input the person had
 * left untouched (outdatedPrefill): the form cannot show it, and the conflict is told instead.
 */
export function refilledForm(
  view: ModalView,
  submitted: SubmittedValues,
  change: { at: Date; changes: readonly HistoryEntry[] },
  shownBlocks: unknown,
): ModalView | undefined {
  const shown = new Map<string, Element>();
  for (const block of Array.isArray(shownBlocks) ? (shownBlocks as Block[]) : [])
    if (block.type === 'input' && block.block_id) shown.set(block.block_id, block.element as Element);
  const blocks: Block[] = [];
  for (const block of view.blocks as Block[]) {
    if (block.type !== 'input' || !block.block_id) {
      blocks.push(block);
      continue;
    }
    const element = block.element as Element;
    const given = submitted[block.block_id]?.[element.action_id ?? ''];
    if (outdatedPrefill(shown.get(block.block_id), element, given)) return undefined;
    blocks.push(given ? ({ ...block, element: refilledElement(element, given) } as Block) : block);
  }
  return { ...view, blocks: [changedMeanwhile(change), ...blocks] };
}

function changedMeanwhile(change: { at: Date; changes: readonly HistoryEntry[] }): Block {
  const lines = change.changes.length > 0 ? `\n${changeLines(change.changes)}` : '';
  return section(
    `:warning: *The application changed while this form was open* (${slackDate(change.at)}).${lines}\nWhat you entered is kept below, on the application as it is now: check it against the change, then submit again.`,
  );
}
