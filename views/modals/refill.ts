import { slackDate } from '../format.ts';
import { changeLines } from '../notices.ts';
import type { Block, HistoryEntry } from '../types.ts';
import { type ModalView, section } from './kit.ts';

/** One input's state as Slack submits it (`view.state.values[block_id][action_id]`). */
type Submitted = {
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
 * A form rebuilt on the application as it is now, showing what the person had entered in it:
 * each input they submitted starts from their value (emptied if they emptied it), unless the
 * value is no longer one of its options (refilledElement). Slack keeps what was entered in an input whose
 * block_id and action_id stay the same across a view update (its docs, "Preserving input
 * entry"); the initial values say the same, so the view tells it on its own. At its top, what
 * changed meanwhile and what to do.
 */
export function refilledForm(
  view: ModalView,
  submitted: SubmittedValues,
  change: { at: Date; changes: readonly HistoryEntry[] },
): ModalView {
  const blocks = (view.blocks as Block[]).map((block): Block => {
    if (block.type !== 'input' || !block.block_id) return block;
    const element = block.element as Element;
    const given = submitted[block.block_id]?.[element.action_id ?? ''];
    return given ? ({ ...block, element: refilledElement(element, given) } as Block) : block;
  });
  return { ...view, blocks: [changedMeanwhile(change), ...blocks] };
}

function changedMeanwhile(change: { at: Date; changes: readonly HistoryEntry[] }): Block {
  const lines = change.changes.length > 0 ? `\n${changeLines(change.changes)}` : '';
  return section(
    `:warning: *The application changed while this form was open* (${slackDate(change.at)}).${lines}\nWhat you entered is kept below, on the application as it is now: check it against the change, then submit again.`,
  );
}
