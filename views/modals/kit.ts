import type { InputBlock, InputBlockElement, PlainTextElement, PlainTextOption, ModalView as SlackModalView } from '@slack/types';
import { applicationRef, escapeMrkdwn, fitMrkdwn, truncate } from '../format.ts';
import { LIMITS } from '../limits.ts';
import type { Block } from '../types.ts';

/** Every input's action id: values arrive as `state.values[blockId].value`, so block ids name the fields. */
export const VALUE = 'value';

export const CALLBACKS = {
  businessReview: 'business_review',
  recordGap: 'record_gap',
  resolveGap: 'resolve_gap',
  requestInformation: 'request_information',
  recordAnswers: 'record_answers',
  reviewAnswers: 'review_answers',
  assign: 'assign',
  withdraw: 'withdraw',
  reopen: 'reopen',
  editTemplate: 'edit_template',
} as const;

/** `done`: question ids shown on earlier pages of a paged modal (Review answers). */
export type ModalMeta = { id: number; v: number; done?: string[] };
/** A template's modal: the version it was opened on, so a save made from an older one is refused. */
export type TemplateMeta = { v: number };
/** Slack's modal type: the compiler checks the structure, `views/validate.ts` the limits. */
export type ModalView = SlackModalView;

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

export function modal(spec: {
  callbackId: string;
  title: string;
  /** Omitted on a modal that only informs (no inputs): Slack then shows just the close button. */
  submit?: string;
  close?: string;
  meta?: ModalMeta | TemplateMeta;
  blocks: Block[];
}): ModalView {
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    title: plain(truncate(spec.title, LIMITS.modalTitle)),
    ...(spec.submit ? { submit: plain(truncate(spec.submit, LIMITS.modalTitle)) } : {}),
    close: plain(truncate(spec.close ?? 'Cancel', LIMITS.modalTitle)),
    private_metadata: spec.meta ? JSON.stringify(spec.meta) : '',
    blocks: spec.blocks,
  };
}

export const section = (text: string, blockId?: string): Block => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.sectionText) },
});

export const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: fitMrkdwn(text, LIMITS.sectionText) }],
});

/** Said in place of a questionnaire answer that is contact data, to anyone who may not read contact data. */
export const CONTACT_ANSWER_WITHHELD =
  'Contact data: this answer is shown only to the assignee, the application’s architect and admins.';

export const about = (app: { id: number; organizationName: string }): Block =>
  context(`${applicationRef(app.id)} *${escapeMrkdwn(app.organizationName)}*`);

type InputOptions = { optional?: boolean; hint?: string };

function input(blockId: string, label: string, element: InputBlockElement, options: InputOptions = {}): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(truncate(label, 2000)),
    element: { action_id: VALUE, ...element },
    optional: options.optional ?? false,
    ...(options.hint ? { hint: plain(truncate(options.hint, 2000)) } : {}),
  };
}

/**
 * A prefilled input holds the stored text as it is, invisible characters included (an emoji's
 * zero-width joiner, a stray U+200B): sent back untouched, it must read as unchanged, or Record
 * answers would take an accepted answer for a new one and send it back to review. Only text
 * past the input's limit is cut (which also drops them).
 */
function initialText(text: string, max: number): string {
  return text.length <= max ? text : truncate(text, max);
}

export function textInput(
  blockId: string,
  label: string,
  options: InputOptions & { multiline?: boolean; initial?: string; max?: number; placeholder?: string } = {},
): Block {
  return input(
    blockId,
    label,
    {
      type: 'plain_text_input',
      multiline: options.multiline ?? false,
      max_length: options.max ?? LIMITS.textInput,
      ...(options.initial ? { initial_value: initialText(options.initial, options.max ?? LIMITS.textInput) } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
    options,
  );
}

export type Choice = { value: string; text: string; description?: string };

const option = (c: Choice): PlainTextOption => ({
  text: plain(truncate(c.text, LIMITS.optionText)),
  value: c.value,
  ...(c.description ? { description: plain(truncate(c.description, LIMITS.optionText)) } : {}),
});

export function radioInput(
  blockId: string,
  label: string,
  choices: Choice[],
  options: InputOptions & { initial?: string } = {},
): Block {
  const initial = choices.find((c) => c.value === options.initial);
  return input(
    blockId,
    label,
    { type: 'radio_buttons', options: choices.map(option), ...(initial ? { initial_option: option(initial) } : {}) },
    options,
  );
}

export function selectInput(
  blockId: string,
  label: string,
  choices: Choice[],
  options: InputOptions & { initial?: string; placeholder?: string } = {},
): Block {
  const initial = choices.find((c) => c.value === options.initial);
  return input(
    blockId,
    label,
    {
      type: 'static_select',
      placeholder: plain(options.placeholder ?? 'Choose…'),
      options: choices.slice(0, LIMITS.selectOptions).map(option),
      ...(initial ? { initial_option: option(initial) } : {}),
    },
    options,
  );
}

export function userInput(blockId: string, label: string, options: InputOptions & { initial?: string | null } = {}): Block {
  return input(
    blockId,
    label,
    {
      type: 'users_select',
      placeholder: plain('Choose a person'),
      ...(options.initial ? { initial_user: options.initial } : {}),
    },
    options,
  );
}

export function dateTimeInput(blockId: string, label: string, options: InputOptions & { initial?: Date } = {}): Block {
  return input(
    blockId,
    label,
    { type: 'datetimepicker', ...(options.initial ? { initial_date_time: Math.floor(options.initial.getTime() / 1000) } : {}) },
    options,
  );
}

/** A calendar date, shown and read as YYYY-MM-DD (UTC). */
export function dateInput(blockId: string, label: string, options: InputOptions & { initial?: Date } = {}): Block {
  return input(
    blockId,
    label,
    { type: 'datepicker', ...(options.initial ? { initial_date: options.initial.toISOString().slice(0, 10) } : {}) },
    options,
  );
}

export function multiSelectInput(blockId: string, label: string, choices: Choice[], options: InputOptions = {}): Block {
  return input(
    blockId,
    label,
    { type: 'multi_static_select', placeholder: plain('Choose…'), options: choices.slice(0, LIMITS.selectOptions).map(option) },
    options,
  );
}

export function checkboxInput(blockId: string, label: string, choices: Choice[], options: InputOptions = {}): Block {
  return input(blockId, label, { type: 'checkboxes', options: choices.slice(0, 10).map(option) }, options);
}
