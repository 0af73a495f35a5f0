import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../../src/intake/application.ts';
import { RESTRICTED_ROLES } from '../../../src/intake/roles.ts';
import { SAMPLE_APPLICATIONS, sampleApplication } from '../../../src/sandbox/samples.ts';
import { actionFields, elementState, missingRequired, stateValues, zonedToUnix } from '../../../src/sandbox/ui/state-values.ts';

const pt = (text: string) => ({ type: 'plain_text', text });
const opt = (text: string, value: string) => ({ text: pt(text), value, description: pt(`about ${text}`) });
const OPTIONS = [opt('Alpha', 'a'), opt('Beta', 'b'), opt('Gamma', 'c')];

describe('elementState: Slack view.state.values shapes per element type', () => {
  const tz = 'Europe/Berlin';
  const cases: [Record<string, unknown>, string[], Record<string, unknown>][] = [
    [{ type: 'plain_text_input' }, ['hello'], { type: 'plain_text_input', value: 'hello' }],
    [{ type: 'plain_text_input' }, [], { type: 'plain_text_input', value: null }],
    [{ type: 'number_input', is_decimal_allowed: false }, ['42'], { type: 'number_input', value: '42' }],
    [{ type: 'email_text_input' }, ['a@b.example'], { type: 'email_text_input', value: 'a@b.example' }],
    [{ type: 'url_text_input' }, ['https://x.example'], { type: 'url_text_input', value: 'https://x.example' }],
    [{ type: 'static_select', options: OPTIONS }, ['b'], { type: 'static_select', selected_option: OPTIONS[1] }],
    [{ type: 'static_select', options: OPTIONS }, [], { type: 'static_select', selected_option: null }],
    [
      { type: 'static_select', option_groups: [{ label: pt('G'), options: OPTIONS }] },
      ['c'],
      { type: 'static_select', selected_option: OPTIONS[2] },
    ],
    [
      { type: 'multi_static_select', options: OPTIONS },
      ['c', 'a'],
      { type: 'multi_static_select', selected_options: [OPTIONS[0], OPTIONS[2]] },
    ],
    [{ type: 'users_select' }, ['U1'], { type: 'users_select', selected_user: 'U1' }],
    [{ type: 'multi_users_select' }, ['U1', 'U2'], { type: 'multi_users_select', selected_users: ['U1', 'U2'] }],
    [{ type: 'conversations_select' }, ['C1'], { type: 'conversations_select', selected_conversation: 'C1' }],
    [{ type: 'multi_channels_select' }, [], { type: 'multi_channels_select', selected_channels: [] }],
    [{ type: 'datepicker' }, ['2026-03-01'], { type: 'datepicker', selected_date: '2026-03-01' }],
    [{ type: 'datepicker' }, ['nonsense'], { type: 'datepicker', selected_date: null }],
    [{ type: 'timepicker' }, ['09:30'], { type: 'timepicker', selected_time: '09:30' }],
    [
      { type: 'timepicker', timezone: 'Asia/Tokyo' },
      ['09:30'],
      { type: 'timepicker', selected_time: '09:30', timezone: 'Asia/Tokyo' },
    ],
    // 2026-03-01 10:00 in Berlin (UTC+1) is 09:00 UTC.
    [
      { type: 'datetimepicker' },
      ['2026-03-01T10:00'],
      { type: 'datetimepicker', selected_date_time: Date.UTC(2026, 2, 1, 9) / 1000 },
    ],
    [{ type: 'checkboxes', options: OPTIONS }, ['a', 'b'], { type: 'checkboxes', selected_options: [OPTIONS[0], OPTIONS[1]] }],
    [{ type: 'radio_buttons', options: OPTIONS }, ['c'], { type: 'radio_buttons', selected_option: OPTIONS[2] }],
  ];
  it.each(cases)('%o with %o', (el, values, expected) => {
    expect(elementState(el, values, tz)).toEqual(expected);
  });

  it('echoes the app’s own option objects, ignoring values the view never offered', () => {
    const state = elementState({ type: 'multi_static_select', options: OPTIONS }, ['a', 'forged'], tz);
    expect(state).toEqual({ type: 'multi_static_select', selected_options: [OPTIONS[0]] });
  });

  it('holds no state for buttons and overflow menus', () => {
    expect(elementState({ type: 'button' }, [], tz)).toBeUndefined();
    expect(elementState({ type: 'overflow', options: OPTIONS }, ['a'], tz)).toBeUndefined();
  });
});

describe('zonedToUnix', () => {
  it('reads wall-clock time in the zone, across DST', () => {
    expect(zonedToUnix('2026-07-01T12:00', 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 16) / 1000);
    expect(zonedToUnix('2026-01-15T12:00', 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 17) / 1000);
    expect(zonedToUnix('2026-03-29T03:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30) / 1000);
    expect(zonedToUnix('garbage', 'UTC')).toBeNull();
  });
});

describe('stateValues and missingRequired', () => {
  const blocks = [
    { type: 'input', block_id: 'name', label: pt('Name'), element: { type: 'plain_text_input', action_id: 'v' } },
    { type: 'input', block_id: 'note', optional: true, label: pt('Note'), element: { type: 'plain_text_input', action_id: 'v' } },
    { type: 'input', label: pt('Pick'), element: { type: 'static_select', options: OPTIONS } },
    {
      type: 'actions',
      elements: [
        { type: 'button', text: pt('Go') },
        { type: 'checkboxes', options: OPTIONS },
      ],
    },
    { type: 'section', block_id: 's', text: pt('x'), accessory: { type: 'datepicker', action_id: 'd' } },
  ];

  it('keys values by block_id and action_id, with the renderer’s stand-ins for missing ids', () => {
    const values = stateValues(
      blocks,
      [
        { blockId: 'name', actionId: 'v', values: ['Ada'] },
        { blockId: 'bk-block-2', actionId: 'bk-action-0', values: ['a'] },
        { blockId: 'bk-block-3', actionId: 'bk-action-1', values: ['b'] },
        { blockId: 's', actionId: 'd', values: ['2026-05-04'] },
        { blockId: 'forged', actionId: 'x', values: ['1'] },
      ],
      'UTC',
    );
    expect(values).toEqual({
      name: { v: { type: 'plain_text_input', value: 'Ada' } },
      'bk-block-2': { 'bk-action-0': { type: 'static_select', selected_option: OPTIONS[0] } },
      'bk-block-3': { 'bk-action-1': { type: 'checkboxes', selected_options: [OPTIONS[1]] } },
      s: { d: { type: 'datepicker', selected_date: '2026-05-04' } },
    });
  });

  it('names every empty required input block, as Slack’s client does before sending', () => {
    const values = stateValues(blocks, [{ blockId: 'name', actionId: 'v', values: [] }], 'UTC');
    expect(missingRequired(blocks, values)).toEqual({
      name: 'Please complete this required field.',
      'bk-block-2': 'Please complete this required field.',
    });
  });
});

describe('actionFields: the block_actions action', () => {
  it('a button carries its text, value and style', () => {
    const button = { type: 'button', action_id: 'go', text: pt('Go'), value: '7', style: 'danger' };
    expect(actionFields(button, [], 'UTC')).toEqual({ type: 'button', text: pt('Go'), value: '7', style: 'danger' });
  });
  it('an overflow and a select carry the chosen option', () => {
    expect(actionFields({ type: 'overflow', options: OPTIONS }, ['b'], 'UTC')).toEqual({
      type: 'overflow',
      selected_option: OPTIONS[1],
    });
    const select = { type: 'static_select', placeholder: pt('Pick'), options: OPTIONS };
    expect(actionFields(select, ['a'], 'UTC')).toEqual({
      type: 'static_select',
      selected_option: OPTIONS[0],
      placeholder: pt('Pick'),
    });
  });
});

describe('sample applications', () => {
  it('each passes the real intake validation', () => {
    for (let i = 0; i < SAMPLE_APPLICATIONS.length; i++) {
      const result = parseApplication(sampleApplication(i));
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
  });

  it('get a fresh profile id every time', () => {
    const ids = new Set(Array.from({ length: 20 }, (_, i) => sampleApplication(i).profileId));
    expect(ids.size).toBe(20);
  });

  it('between them cover every restricted role, developer type, launch readiness and region', () => {
    const all = SAMPLE_APPLICATIONS;
    for (const role of RESTRICTED_ROLES)
      expect(
        all.some((s) => s.roles.includes(role)),
        role,
      ).toBe(true);
    expect(new Set(all.map((s) => s.developerType))).toEqual(new Set(['public', 'private']));
    expect(new Set(all.map((s) => s.launchReadiness))).toEqual(new Set(['in_development', 'beta', 'in_production']));
    expect(new Set(all.map((s) => s.piiRetention))).toEqual(new Set(['<31', '31-90', '91-180', '>180']));
    expect(new Set(all.map((s) => s.organization.country)).size).toBe(all.length);
    for (const region of ['NA', 'EU', 'FE'])
      expect(
        all.some((s) => s.marketplaces.includes(region)),
        region,
      ).toBe(true);
  });
});
