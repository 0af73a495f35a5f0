import { describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../../views/validate.ts';

/** Each rule of SLACK.md's "Rules Slack enforces that are easy to miss", broken once, refused once. */
const pt = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const opt = (text: string, value: string) => ({ text: pt(text), value });
const button = (extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'b', text: pt('Go'), ...extra });
const actions = (...elements: unknown[]) => ({ type: 'actions', block_id: 'a', elements });
const input = (element: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'input',
  block_id: 'i',
  label: pt('Label'),
  element,
  ...extra,
});
const textInput = (extra: Record<string, unknown>) => ({ type: 'plain_text_input', action_id: 'v', ...extra });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: pt('Title'),
  submit: pt('Save'),
  blocks,
  ...extra,
});
const message = (...blocks: unknown[]) => ({ text: 'fallback', blocks });

const CASES: [string, 'message' | 'modal', object, string][] = [
  ['max_length above 3000', 'modal', modal([input(textInput({ max_length: 3001 }))]), '/view/blocks/0/element/max_length'],
  ['max_length 0', 'modal', modal([input(textInput({ max_length: 0 }))]), '/view/blocks/0/element/max_length'],
  ['min_length above 3000', 'modal', modal([input(textInput({ min_length: 3001 }))]), '/view/blocks/0/element/min_length'],
  [
    'placeholder over 150',
    'modal',
    modal([input(textInput({ placeholder: pt('p'.repeat(151)) }))]),
    '/view/blocks/0/element/placeholder/text',
  ],
  ['label over 2000', 'modal', modal([{ ...input(textInput({})), label: pt('l'.repeat(2001)) }]), '/view/blocks/0/label/text'],
  ['hint over 2000', 'modal', modal([input(textInput({}), { hint: pt('h'.repeat(2001)) })]), '/view/blocks/0/hint/text'],
  ['input with two elements', 'modal', modal([input([textInput({}), textInput({})])]), '/view/blocks/0/element'],
  ['mrkdwn header', 'message', message({ type: 'header', text: md('H') }), '/blocks/0/text/type'],
  ['mrkdwn button text', 'message', message(actions(button({ text: md('Go') }))), '/blocks/0/elements/0/text/type'],
  [
    'mrkdwn option',
    'message',
    message(actions({ type: 'static_select', action_id: 's', options: [{ text: md('A'), value: 'a' }] })),
    '/blocks/0/elements/0/options/0/text/type',
  ],
  ['mrkdwn label', 'modal', modal([{ ...input(textInput({})), label: md('L') }]), '/view/blocks/0/label/type'],
  ['mrkdwn modal title', 'modal', modal([], { title: md('T') }), '/view/title/type'],
  [
    'mrkdwn confirm title',
    'message',
    message(actions(button({ confirm: { title: md('Sure?'), text: pt('x'), confirm: pt('Yes'), deny: pt('No') } }))),
    '/blocks/0/elements/0/confirm/title/type',
  ],
  [
    'emoji on mrkdwn',
    'message',
    message({ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }),
    '/blocks/0/text/emoji',
  ],
  ['empty header', 'message', message({ type: 'header', text: pt('') }), '/blocks/0/text/text'],
  ['empty button text', 'message', message(actions(button({ text: pt('') }))), '/blocks/0/elements/0/text/text'],
  ['empty field', 'message', message({ type: 'section', fields: [md('')] }), '/blocks/0/fields/0/text'],
  ['empty context text', 'message', message({ type: 'context', elements: [md(' ')] }), '/blocks/0/elements/0/text'],
  [
    'text input as an accessory',
    'message',
    message({ type: 'section', text: md('x'), accessory: textInput({}) }),
    '/blocks/0/accessory/type',
  ],
  ['button in an input', 'modal', modal([input(button())]), '/view/blocks/0/element/type'],
  ['button in a context', 'message', message({ type: 'context', elements: [button()] }), '/blocks/0/elements/0/type'],
  ['unknown block type', 'message', message({ type: 'carousel_v2' }), '/blocks/0/type'],
  ['unknown block field', 'message', message({ type: 'divider', colour: 'red' }), '/blocks/0/colour'],
  ['unknown element field', 'message', message(actions(button({ tooltip: 'x' }))), '/blocks/0/elements/0/tooltip'],
  ['duplicate action_id in a block', 'message', message(actions(button(), button())), '/blocks/0/elements/1/action_id'],
  [
    'select without options',
    'message',
    message(actions({ type: 'static_select', action_id: 's', options: [] })),
    '/blocks/0/elements/0/options',
  ],
  [
    'overflow with 6 options',
    'message',
    message(actions({ type: 'overflow', action_id: 'o', options: Array.from({ length: 6 }, (_, i) => opt(`o${i}`, `${i}`)) })),
    '/blocks/0/elements/0/options',
  ],
  [
    'radio buttons with 11 options',
    'modal',
    modal([
      input({ type: 'radio_buttons', action_id: 'r', options: Array.from({ length: 11 }, (_, i) => opt(`o${i}`, `${i}`)) }),
    ]),
    '/view/blocks/0/element/options',
  ],
  [
    'description over 75',
    'modal',
    modal([input({ type: 'radio_buttons', action_id: 'r', options: [{ ...opt('a', 'a'), description: pt('d'.repeat(76)) }] })]),
    '/view/blocks/0/element/options/0/description/text',
  ],
  [
    'url on a select option',
    'message',
    message(actions({ type: 'static_select', action_id: 's', options: [{ ...opt('a', 'a'), url: 'https://x.test' }] })),
    '/blocks/0/elements/0/options/0/url',
  ],
  [
    'initial option not listed',
    'modal',
    modal([input({ type: 'static_select', action_id: 's', options: [opt('A', 'a')], initial_option: opt('A ', 'a') })]),
    '/view/blocks/0/element/initial_option',
  ],
  [
    'confirm text over 300',
    'message',
    message(actions(button({ confirm: { title: pt('t'), text: pt('x'.repeat(301)), confirm: pt('Yes'), deny: pt('No') } }))),
    '/blocks/0/elements/0/confirm/text/text',
  ],
  [
    'confirm button over 30',
    'message',
    message(actions(button({ confirm: { title: pt('t'), text: pt('x'), confirm: pt('y'.repeat(31)), deny: pt('No') } }))),
    '/blocks/0/elements/0/confirm/confirm/text',
  ],
  ['button style', 'message', message(actions(button({ style: 'secondary' }))), '/blocks/0/elements/0/style'],
  [
    'button url over 3000',
    'message',
    message(actions(button({ url: `https://x.test/${'a'.repeat(3000)}` }))),
    '/blocks/0/elements/0/url',
  ],
  [
    'initial_date format',
    'modal',
    modal([input({ type: 'datepicker', action_id: 'd', initial_date: '2026-3-1' })]),
    '/view/blocks/0/element/initial_date',
  ],
  [
    'initial_time format',
    'modal',
    modal([input({ type: 'timepicker', action_id: 't', initial_time: '9:00' })]),
    '/view/blocks/0/element/initial_time',
  ],
  [
    'initial_date_time in ms',
    'modal',
    modal([input({ type: 'datetimepicker', action_id: 'd', initial_date_time: 1_767_600_000_000 })]),
    '/view/blocks/0/element/initial_date_time',
  ],
];

describe('the strict validator refuses each rule Slack enforces', () => {
  for (const [name, surface, payload, pointer] of CASES) {
    it(name, () => {
      const problems = blockKitProblems(surface, payload);
      expect(
        problems.some((p) => p.endsWith(`[json-pointer:${pointer}]`)),
        problems.join('\n'),
      ).toBe(true);
    });
  }

  it('accepts the same shapes when they follow the rules', () => {
    const good = modal([
      input(textInput({ max_length: 3000, min_length: 0, placeholder: pt('p') }), { hint: pt('h') }),
      {
        ...input({ type: 'static_select', action_id: 's', options: [opt('A', 'a')], initial_option: opt('A', 'a') }),
        block_id: 'j',
      },
      { ...input({ type: 'datetimepicker', action_id: 'd', initial_date_time: 1_767_600_000 }), block_id: 'k' },
      {
        type: 'section',
        text: md('x'),
        accessory: button({ style: 'danger', confirm: { title: pt('t'), text: md('*x*'), confirm: pt('Yes'), deny: pt('No') } }),
      },
      { type: 'context', elements: [md('a'), pt('b'), { type: 'image', image_url: 'https://x.test/a.png', alt_text: 'a' }] },
    ]);
    expect(blockKitProblems('modal', good)).toEqual([]);
  });
});
