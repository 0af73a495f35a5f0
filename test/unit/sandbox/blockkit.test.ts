import { describe, expect, it } from 'vitest';
import { formatSlackDate } from '../../../src/sandbox/blockkit/datetokens.ts';
import { renderMrkdwn, renderPlainText } from '../../../src/sandbox/blockkit/mrkdwn.ts';
import { BLOCKKIT_CSS, renderBlocks, renderView } from '../../../src/sandbox/blockkit/render.ts';
import type { RenderContext } from '../../../src/sandbox/blockkit/types.ts';

// 2014-02-18T14:39:42Z: Tuesday morning in Los Angeles, Tuesday night in Tokyo.
const TS = 1392734382;

function makeCtx(over: Partial<RenderContext> = {}): RenderContext {
  return {
    timeZone: 'America/Los_Angeles',
    users: { U1: { name: 'alice' }, U2: { name: 'bob' } },
    channels: { C1: { name: 'general' } },
    placeholders: [],
    ...over,
  };
}

const pt = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const opt = (text: string, value: string) => ({ text: pt(text), value });

/** Renders one element inside an actions block. */
function el(element: Record<string, unknown>, ctx = makeCtx()): string {
  return renderBlocks([{ type: 'actions', block_id: 'b1', elements: [element] }], ctx, 'message');
}

/** Renders one element inside an input block (a modal). */
function input(element: Record<string, unknown>, ctx = makeCtx(), extra: Record<string, unknown> = {}): string {
  return renderBlocks([{ type: 'input', block_id: 'in1', label: pt('Label'), element, ...extra }], ctx, 'modal');
}

function expectControl(html: string, type: string, blockId: string, actionId: string): void {
  expect(html).toContain(`data-type="${type}"`);
  expect(html).toContain(`data-block-id="${blockId}"`);
  expect(html).toContain(`data-action-id="${actionId}"`);
}

describe('blocks', () => {
  it('header', () => {
    const html = renderBlocks([{ type: 'header', block_id: 'h', text: pt('Review <queue>') }], makeCtx(), 'message');
    expect(html).toContain('<div class="bk-block bk-header" data-block-id="h">Review &lt;queue&gt;</div>');
  });

  it('section with text, fields and accessory', () => {
    const html = renderBlocks(
      [
        {
          type: 'section',
          block_id: 's1',
          text: md('*Applicant*'),
          fields: [md('*Role*'), pt('PII')],
          accessory: { type: 'button', action_id: 'open', text: pt('Open'), value: 'app-1' },
        },
      ],
      makeCtx(),
      'message',
    );
    expect(html).toContain('bk-section');
    expect(html).toContain('<div class="bk-section-text"><strong>Applicant</strong></div>');
    expect(html).toMatch(/<div class="bk-field"><strong>Role<\/strong><\/div><div class="bk-field">PII<\/div>/);
    expect(html).toContain('bk-section-accessory');
    expectControl(html, 'button', 's1', 'open');
  });

  it('divider', () => {
    const html = renderBlocks([{ type: 'divider' }], makeCtx(), 'message');
    expect(html).toContain('<hr class="bk-block bk-divider" data-block-id="bk-block-0">');
  });

  it('context with text and image elements', () => {
    const html = renderBlocks(
      [
        {
          type: 'context',
          elements: [{ type: 'image', image_url: 'https://x.test/a.png', alt_text: 'avatar' }, md('by <@U1>'), pt('plain')],
        },
      ],
      makeCtx(),
      'message',
    );
    expect(html).toContain('<img class="bk-context-image" src="https://x.test/a.png" alt="avatar"');
    expect(html).toContain('<span class="bk-context-text">by <span class="bk-mention bk-mention--user"');
    expect(html).toContain('@alice');
    expect(html).toContain('<span class="bk-context-text">plain</span>');
  });

  it('actions with several elements and fallback action ids', () => {
    const html = renderBlocks(
      [
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            { type: 'button', text: pt('A'), value: 'a' },
            { type: 'button', action_id: 'b', text: pt('B') },
          ],
        },
      ],
      makeCtx(),
      'message',
    );
    expect(html).toContain('bk-actions');
    expectControl(html, 'button', 'acts', 'bk-action-0');
    expect(html).toContain('data-action-id="b"');
  });

  it('input with label, optional marker, hint and error', () => {
    const ctx = makeCtx({ errors: { in1: 'Please <fix> this' } });
    const html = input({ type: 'plain_text_input', action_id: 'note' }, ctx, {
      optional: true,
      hint: pt('A hint'),
    });
    expect(html).toContain('bk-input bk-input--error');
    expect(html).toContain('<div class="bk-input-label">Label<span class="bk-input-optional"> (optional)</span></div>');
    expect(html).toContain('<div class="bk-input-hint">A hint</div>');
    expect(html).toContain('<div class="bk-input-error" role="alert">Please &lt;fix&gt; this</div>');
    // The error sits after the control, i.e. under the input.
    expect(html.indexOf('bk-input-error')).toBeGreaterThan(html.indexOf('<input'));
  });

  it('input without an error has no error element', () => {
    const html = input({ type: 'plain_text_input', action_id: 'note' });
    expect(html).not.toContain('bk-input-error');
    expect(html).not.toContain('bk-input-optional');
  });

  it('image block', () => {
    const html = renderBlocks(
      [{ type: 'image', block_id: 'img', title: pt('Diagram'), image_url: 'https://x.test/d.png', alt_text: 'flow' }],
      makeCtx(),
      'message',
    );
    expect(html).toContain('<div class="bk-image-title">Diagram</div>');
    expect(html).toContain('<img class="bk-image" src="https://x.test/d.png" alt="flow"');
  });

  it('image block with an unsafe URL shows the alt text, not an <img>', () => {
    const html = renderBlocks([{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' }], makeCtx(), 'message');
    expect(html).not.toContain('<img');
    expect(html).toContain('[x]');
  });

  it('rich_text with section, lists, preformatted and quote', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          block_id: 'rt',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'bold', style: { bold: true } },
                { type: 'text', text: ' it', style: { italic: true } },
                { type: 'text', text: 'st', style: { strike: true } },
                { type: 'text', text: 'cd', style: { code: true } },
                { type: 'link', url: 'https://x.test', text: 'site' },
                { type: 'user', user_id: 'U2' },
                { type: 'channel', channel_id: 'C1' },
                { type: 'emoji', name: 'thumbsup', unicode: '1f44d' },
                { type: 'emoji', name: 'custom' },
                { type: 'broadcast', range: 'here' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
            },
            {
              type: 'rich_text_list',
              style: 'ordered',
              indent: 1,
              offset: 2,
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'three' }] }],
            },
            { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'x <y>' }] },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
          ],
        },
      ],
      makeCtx(),
      'message',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em> it</em>');
    expect(html).toContain('<s>st</s>');
    expect(html).toContain('<code class="bk-code">cd</code>');
    expect(html).toContain('<a class="bk-link" href="https://x.test" target="_blank" rel="noopener noreferrer">site</a>');
    expect(html).toContain('>@bob</span>');
    expect(html).toContain('>#general</span>');
    expect(html).toContain('👍');
    expect(html).toContain(':custom:');
    expect(html).toContain('bk-mention--special">@here</span>');
    expect(html).toMatch(/<ul class="bk-rt-list bk-rt-list--bullet[^"]*"[^>]*><li>one<\/li><\/ul>/);
    expect(html).toMatch(/<ol class="bk-rt-list bk-rt-list--ordered bk-rt-list--indent-1" start="3"/);
    expect(html).toContain('<pre class="bk-rt-pre">x &lt;y&gt;</pre>');
    expect(html).toContain('<blockquote class="bk-rt-quote">quoted</blockquote>');
  });

  it('rich_text date element uses the time zone', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          elements: [
            { type: 'rich_text_section', elements: [{ type: 'date', timestamp: TS, format: '{date_num}', fallback: 'x' }] },
          ],
        },
      ],
      makeCtx({ timeZone: 'Asia/Tokyo' }),
      'message',
    );
    expect(html).toContain('>2014-02-18</time>');
  });
});

describe('elements', () => {
  it('button with style, value and confirm', () => {
    const html = el({
      type: 'button',
      action_id: 'approve',
      text: pt('Approve'),
      value: 'app-1',
      style: 'primary',
      confirm: { title: pt('Sure?'), text: md('Really "approve"?'), confirm: pt('Yes'), deny: pt('No') },
    });
    expect(html).toContain('<button type="button" class="bk-button bk-button--primary"');
    expect(html).toContain('data-value="app-1"');
    expectControl(html, 'button', 'b1', 'approve');
    const confirm = /data-confirm="([^"]*)"/.exec(html)?.[1] ?? '';
    const decoded = confirm.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).toEqual({ title: 'Sure?', text: 'Really "approve"?', confirm: 'Yes', deny: 'No' });
  });

  it('danger button', () => {
    expect(el({ type: 'button', text: pt('Reject'), style: 'danger' })).toContain('bk-button bk-button--danger');
  });

  it('button url only when safe', () => {
    expect(el({ type: 'button', text: pt('Go'), url: 'https://x.test' })).toContain('data-url="https://x.test"');
    expect(el({ type: 'button', text: pt('Go'), url: 'javascript:alert(1)' })).not.toContain('data-url');
  });

  it('static_select with options, option_groups and initial_option', () => {
    const html = el({
      type: 'static_select',
      action_id: 'pick',
      placeholder: pt('Choose'),
      options: [opt('One', '1'), opt('Two', '2')],
      option_groups: [{ label: pt('More'), options: [opt('Three', '3')] }],
      initial_option: opt('Two', '2'),
    });
    expect(html).toMatch(/<select class="bk-select"[^>]*data-type="static_select"/);
    expectControl(html, 'static_select', 'b1', 'pick');
    expect(html).toContain('<option value="" disabled>Choose</option>');
    expect(html).toMatch(/<option value="2" selected[^>]*>Two<\/option>/);
    expect(html).toMatch(/<option value="1" data-option[^>]*>One<\/option>/);
    expect(html).toMatch(/<optgroup label="More"><option value="3"[^>]*>Three<\/option><\/optgroup>/);
  });

  it('multi_static_select with initial_options', () => {
    const html = el({
      type: 'multi_static_select',
      action_id: 'many',
      options: [opt('One', '1'), opt('Two', '2'), opt('Three', '3')],
      initial_options: [opt('One', '1'), opt('Three', '3')],
    });
    expect(html).toMatch(/<select class="bk-select bk-select--multi" multiple/);
    expectControl(html, 'multi_static_select', 'b1', 'many');
    expect(html).toMatch(/<option value="1" selected/);
    expect(html).toMatch(/<option value="2" data-option/);
    expect(html).toMatch(/<option value="3" selected/);
  });

  it('users_select with options from ctx.users', () => {
    const html = el({ type: 'users_select', action_id: 'who', initial_user: 'U2' });
    expectControl(html, 'users_select', 'b1', 'who');
    expect(html).toContain('<option value="U1">@alice</option>');
    expect(html).toContain('<option value="U2" selected>@bob</option>');
  });

  it('multi_users_select keeps unknown initial users visible', () => {
    const html = el({ type: 'multi_users_select', action_id: 'who', initial_users: ['U1', 'U404'] });
    expect(html).toContain('multiple');
    expectControl(html, 'multi_users_select', 'b1', 'who');
    expect(html).toContain('<option value="U1" selected>@alice</option>');
    expect(html).toContain('<option value="U2">@bob</option>');
    expect(html).toContain('<option value="U404" selected>@U404</option>');
  });

  it('conversations_select and multi_channels_select use ctx.channels', () => {
    const one = el({ type: 'conversations_select', action_id: 'c', initial_conversation: 'C1' });
    expectControl(one, 'conversations_select', 'b1', 'c');
    expect(one).toContain('<option value="C1" selected>#general</option>');
    const many = el({ type: 'multi_channels_select', action_id: 'cs', initial_channels: ['C1'] });
    expect(many).toContain('multiple');
    expectControl(many, 'multi_channels_select', 'b1', 'cs');
  });

  it('overflow as Slack draws it: a ⋯ button opening a menu of its options', () => {
    const html = el({ type: 'overflow', action_id: 'more', options: [opt('Edit', 'edit'), opt('Delete', 'del')] });
    expect(html).not.toContain('<select');
    expect(html).toMatch(/<button type="button" class="bk-overflow-button" aria-haspopup="menu"[^>]*>⋯<\/button>/);
    expect(html).toMatch(/<div class="bk-overflow-menu" role="menu" hidden>/);
    expectControl(html, 'overflow', 'b1', 'more');
    expect(html).toMatch(/<button[^>]*role="menuitem"[^>]*data-value="edit"[^>]*>Edit<\/button>/);
    expect(html).toMatch(/<button[^>]*role="menuitem"[^>]*data-value="del"[^>]*>Delete<\/button>/);
  });

  it('datepicker', () => {
    const html = input({ type: 'datepicker', action_id: 'd', initial_date: '2024-05-06' });
    expect(html).toMatch(/<input type="date" class="bk-datepicker" value="2024-05-06"/);
    expectControl(html, 'datepicker', 'in1', 'd');
  });

  it('timepicker', () => {
    const html = input({ type: 'timepicker', action_id: 't', initial_time: '13:45' });
    expect(html).toMatch(/<input type="time" class="bk-timepicker" value="13:45"/);
    expectControl(html, 'timepicker', 'in1', 't');
  });

  it('datetimepicker shows the initial instant in ctx.timeZone', () => {
    const la = input({ type: 'datetimepicker', action_id: 'dt', initial_date_time: TS });
    expect(la).toContain('type="datetime-local"');
    expect(la).toContain('value="2014-02-18T06:39"');
    expect(la).toContain('data-time-zone="America/Los_Angeles"');
    expectControl(la, 'datetimepicker', 'in1', 'dt');
    const tokyo = input({ type: 'datetimepicker', action_id: 'dt', initial_date_time: TS }, makeCtx({ timeZone: 'Asia/Tokyo' }));
    expect(tokyo).toContain('value="2014-02-18T23:39"');
  });

  it('checkboxes', () => {
    const html = input({
      type: 'checkboxes',
      action_id: 'cb',
      options: [{ text: md('*One*'), value: '1', description: pt('first') }, opt('Two', '2')],
      initial_options: [{ text: md('*One*'), value: '1' }],
    });
    expect(html).toContain('<div class="bk-checkboxes" role="group"');
    expect(html).toMatch(
      /<input type="checkbox" name="in1::cb" value="1" checked data-option="[^"]*" data-type="checkboxes" data-block-id="in1" data-action-id="cb">/,
    );
    expect(html).toMatch(/<input type="checkbox" name="in1::cb" value="2" data-option/);
    expect(html).toContain('<span class="bk-choice-text"><strong>One</strong></span>');
    expect(html).toContain('<span class="bk-choice-description">first</span>');
  });

  it('radio_buttons', () => {
    const html = input(
      { type: 'radio_buttons', action_id: 'rb', options: [opt('Yes', 'y'), opt('No', 'n')], initial_option: opt('No', 'n') },
      makeCtx({ idPrefix: 'm1:' }),
    );
    expect(html).toContain('<div class="bk-radio-buttons" role="radiogroup"');
    expect(html).toMatch(/<input type="radio" name="m1:in1::rb" value="y" data-option/);
    expect(html).toMatch(/<input type="radio" name="m1:in1::rb" value="n" checked/);
    expectControl(html, 'radio_buttons', 'in1', 'rb');
  });

  it('plain_text_input single line', () => {
    const html = input({
      type: 'plain_text_input',
      action_id: 'name',
      initial_value: 'Ann "the" <b>',
      placeholder: pt('Your name'),
      max_length: 40,
    });
    expect(html).toContain(
      '<input type="text" class="bk-text-input" value="Ann &quot;the&quot; &lt;b&gt;" placeholder="Your name" maxlength="40"',
    );
    expectControl(html, 'plain_text_input', 'in1', 'name');
  });

  it('plain_text_input multiline', () => {
    const html = input({ type: 'plain_text_input', action_id: 'why', multiline: true, initial_value: 'a</textarea><b>' });
    expect(html).toMatch(
      /<textarea class="bk-textarea" rows="4"[^>]*data-type="plain_text_input"[^>]*>a&lt;\/textarea&gt;&lt;b&gt;<\/textarea>/,
    );
  });

  it('number_input', () => {
    const html = input({
      type: 'number_input',
      action_id: 'n',
      is_decimal_allowed: false,
      min_value: '1',
      max_value: '9',
      initial_value: '3',
    });
    expect(html).toMatch(/<input type="number" class="bk-text-input bk-number-input" step="1"/);
    expect(html).toContain('min="1" max="9" value="3"');
    expectControl(html, 'number_input', 'in1', 'n');
  });

  it('email_text_input', () => {
    const html = input({ type: 'email_text_input', action_id: 'e', initial_value: 'a@b.test' });
    expect(html).toContain('<input type="email" class="bk-text-input" value="a@b.test"');
    expectControl(html, 'email_text_input', 'in1', 'e');
  });

  it('url_text_input', () => {
    const html = input({ type: 'url_text_input', action_id: 'u', placeholder: pt('https://') });
    expect(html).toContain('<input type="url" class="bk-text-input" placeholder="https://"');
    expectControl(html, 'url_text_input', 'in1', 'u');
  });

  it('image element as a section accessory', () => {
    const html = renderBlocks(
      [{ type: 'section', text: pt('x'), accessory: { type: 'image', image_url: 'https://x.test/i.png', alt_text: 'pic' } }],
      makeCtx(),
      'message',
    );
    expect(html).toContain('<img class="bk-image-element" src="https://x.test/i.png" alt="pic"');
  });

  it('dispatch_action input marks its control', () => {
    const html = input({ type: 'plain_text_input', action_id: 'q' }, makeCtx(), { dispatch_action: true });
    expect(html).toContain('data-dispatch-action="true"');
  });
});

describe('mrkdwn', () => {
  const ctx = makeCtx();

  it('bold, italic, strike and inline code', () => {
    expect(renderMrkdwn('*b* _i_ ~s~ `c *not bold*`', ctx)).toBe(
      '<strong>b</strong> <em>i</em> <s>s</s> <code class="bk-code">c *not bold*</code>',
    );
  });

  it('does not format markers inside words', () => {
    expect(renderMrkdwn('snake_case_name 2*3*4', ctx)).toBe('snake_case_name 2*3*4');
  });

  it('preformatted blocks keep their content literal', () => {
    expect(renderMrkdwn('before\n```\nconst x = *y*;\n```\nafter', ctx)).toBe(
      'before<pre class="bk-pre">const x = *y*;</pre>after',
    );
  });

  it('quotes at line start, including &gt;', () => {
    expect(renderMrkdwn('> one\n&gt; two\nplain', ctx)).toBe('<blockquote class="bk-quote">one<br>two</blockquote>plain');
  });

  it('links with and without label', () => {
    expect(renderMrkdwn('<https://x.test/a?b=1&amp;c=2|the site>', ctx)).toBe(
      '<a class="bk-link" href="https://x.test/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the site</a>',
    );
    expect(renderMrkdwn('<https://x.test>', ctx)).toContain('>https://x.test</a>');
  });

  it('mailto links', () => {
    expect(renderMrkdwn('<mailto:a@b.test|Mail us>', ctx)).toBe(
      '<a class="bk-link" href="mailto:a@b.test" target="_blank" rel="noopener noreferrer">Mail us</a>',
    );
    expect(renderMrkdwn('<mailto:a@b.test>', ctx)).toContain('>a@b.test</a>');
  });

  it('non-http schemes are shown as text, not links', () => {
    const html = renderMrkdwn('<javascript:alert(1)|click> <data:text/html,x|d>', ctx);
    expect(html).not.toContain('<a ');
    expect(html).not.toContain('href');
    expect(html).toContain('>click</span>');
  });

  it('user mentions resolve names, else show the raw id', () => {
    expect(renderMrkdwn('<@U1> <@U999>', ctx)).toBe(
      '<span class="bk-mention bk-mention--user" data-user-id="U1">@alice</span> ' +
        '<span class="bk-mention bk-mention--user" data-user-id="U999">@U999</span>',
    );
  });

  it('channel mentions with and without label', () => {
    expect(renderMrkdwn('<#C1>', ctx)).toContain('>#general</span>');
    expect(renderMrkdwn('<#C9|random>', ctx)).toContain('>#random</span>');
    expect(renderMrkdwn('<#C9>', ctx)).toContain('>#C9</span>');
  });

  it('special mentions', () => {
    const html = renderMrkdwn('<!here> <!channel> <!everyone>', ctx);
    expect(html).toBe(
      '<span class="bk-mention bk-mention--special">@here</span> ' +
        '<span class="bk-mention bk-mention--special">@channel</span> ' +
        '<span class="bk-mention bk-mention--special">@everyone</span>',
    );
  });

  it('formatting wraps mentions', () => {
    expect(renderMrkdwn('*hi <@U1>*', ctx)).toBe(
      '<strong>hi <span class="bk-mention bk-mention--user" data-user-id="U1">@alice</span></strong>',
    );
  });

  it('entities are decoded exactly once and re-escaped', () => {
    expect(renderMrkdwn('a &lt;b&gt; &amp;lt; &amp; c', ctx)).toBe('a &lt;b&gt; &amp;lt; &amp; c');
    expect(renderMrkdwn('Tom &amp; Jerry', ctx)).toBe('Tom &amp; Jerry');
  });

  it('plain text is escaped and keeps shortcodes', () => {
    expect(renderPlainText('<b>hi</b> :wave:\nnext')).toBe('&lt;b&gt;hi&lt;/b&gt; :wave:<br>next');
  });
});

describe('date tokens', () => {
  const fmt = '{date_num} {time}';

  it('renders the same instant in two time zones', () => {
    const la = renderMrkdwn(`<!date^${TS}^${fmt}|fallback>`, makeCtx({ timeZone: 'America/Los_Angeles' }));
    const tokyo = renderMrkdwn(`<!date^${TS}^${fmt}|fallback>`, makeCtx({ timeZone: 'Asia/Tokyo' }));
    expect(la).toContain('>2014-02-18 6:39 AM</time>');
    expect(tokyo).toContain('>2014-02-18 11:39 PM</time>');
    const lateTs = TS + 12 * 3600; // 02:39 UTC next day: still the 18th in LA, the 19th in Tokyo
    expect(formatSlackDate(lateTs, '{date_num}', makeCtx({ timeZone: 'America/Los_Angeles' }))).toBe('2014-02-18');
    expect(formatSlackDate(lateTs, '{date_num}', makeCtx({ timeZone: 'Asia/Tokyo' }))).toBe('2014-02-19');
  });

  it('supports every documented token', () => {
    const ctx = makeCtx();
    expect(formatSlackDate(TS, '{date}', ctx)).toBe('February 18th, 2014');
    expect(formatSlackDate(TS, '{date_short}', ctx)).toBe('Feb 18, 2014');
    expect(formatSlackDate(TS, '{date_long}', ctx)).toBe('Tuesday, February 18th, 2014');
    expect(formatSlackDate(TS, '{time_secs}', ctx)).toBe('6:39:42 AM');
    expect(formatSlackDate(TS, 'on {date_short} at {time}', ctx)).toBe('on Feb 18, 2014 at 6:39 AM');
  });

  it('pretty tokens use today/yesterday/tomorrow relative to ctx.now', () => {
    const now = new Date('2014-02-19T18:00:00Z');
    expect(formatSlackDate(TS, '{date_pretty}', makeCtx({ now }))).toBe('yesterday');
    expect(formatSlackDate(TS, '{date_short_pretty}', makeCtx({ now: new Date(TS * 1000) }))).toBe('today');
    expect(formatSlackDate(TS, '{date_long_pretty}', makeCtx({ now: new Date('2014-02-17T12:00:00Z') }))).toBe('tomorrow');
    expect(formatSlackDate(TS, '{date_pretty}', makeCtx())).toBe('February 18th, 2014');
    expect(formatSlackDate(TS, '{date_short_pretty}', makeCtx({ now: new Date('2020-01-01T00:00:00Z') }))).toBe('Feb 18, 2014');
  });

  it('{ago} is relative to ctx.now', () => {
    expect(formatSlackDate(TS, '{ago}', makeCtx({ now: new Date((TS + 180) * 1000) }))).toBe('3 minutes ago');
    expect(formatSlackDate(TS, '{ago}', makeCtx({ now: new Date((TS + 3 * 86_400) * 1000) }))).toBe('3 days ago');
    expect(formatSlackDate(TS, '{ago}', makeCtx({ now: new Date((TS + 120 * 86_400) * 1000) }))).toBe('4 months ago');
    expect(formatSlackDate(TS, '{ago}', makeCtx({ now: new Date((TS + 800 * 86_400) * 1000) }))).toBe('2 years ago');
  });

  it('renders {ago} inside a message, mixed with other tokens, as the page shows it', () => {
    const ctx = makeCtx({ now: new Date((TS + 600) * 1000) });
    const html = renderMrkdwn(`Received <!date^${TS}^{ago}|2014-02-18 14:39 UTC> (<!date^${TS}^{date_short} at {time}|x>)`, ctx);
    expect(html).toContain('>10 minutes ago</time>');
    expect(html).toContain('>Feb 18, 2014 at 6:39 AM</time>');
  });

  it('without a fallback a bad date shows the raw timestamp', () => {
    expect(renderMrkdwn('<!date^abc^{date}>', makeCtx())).toBe('<time class="bk-date">abc</time>');
  });

  it('bad token or timestamp falls back to the fallback text', () => {
    const ctx = makeCtx();
    expect(renderMrkdwn(`<!date^${TS}^{nope}|Feb 18 &amp; &lt;b&gt;>`, ctx)).toBe(
      '<time class="bk-date" title="Feb 18 &amp; &lt;b&gt;">Feb 18 &amp; &lt;b&gt;</time>',
    );
    expect(renderMrkdwn(`<!date^${TS}^{nope}|Feb 18>`, ctx)).toContain('>Feb 18</time>');
    expect(renderMrkdwn('<!date^abc^{date}|fb>', ctx)).toContain('>fb</time>');
    expect(renderMrkdwn(`<!date^${TS}^{date}|fb>`, makeCtx({ timeZone: 'Not/AZone' }))).toContain('>fb</time>');
  });

  it('optional link wraps the date, only for safe schemes', () => {
    expect(renderMrkdwn(`<!date^${TS}^{date_num}^https://x.test|fb>`, makeCtx())).toMatch(
      /^<a class="bk-link" href="https:\/\/x.test"[^>]*><time class="bk-date"/,
    );
    expect(renderMrkdwn(`<!date^${TS}^{date_num}^javascript:alert(1)|fb>`, makeCtx())).not.toContain('<a');
  });
});

describe('XSS', () => {
  const ctx = makeCtx({ users: { U1: { name: '<img src=x onerror=alert(1)>' } } });

  it('escapes script tags in mrkdwn, plain text and rich text', () => {
    const html = renderBlocks(
      [
        { type: 'section', text: md('&lt;script&gt;alert(1)&lt;/script&gt; <script>') },
        { type: 'header', text: pt('<script>alert(1)</script>') },
        {
          type: 'rich_text',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: '<script>x</script>' }] }],
        },
        { type: 'section', text: md('<@U1>') },
      ],
      ctx,
      'message',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('escapes attribute injection via quotes', () => {
    const html = renderBlocks(
      [
        {
          type: 'actions',
          block_id: 'b" onclick="alert(1)',
          elements: [{ type: 'button', action_id: "a' onmouseover='x", value: '"><svg onload=alert(1)>', text: pt('x') }],
        },
        { type: 'section', text: md('<https://x.test/"onmouseover="alert(1)|hi>') },
        { type: 'image', image_url: 'https://x.test/a.png" onerror="alert(1)', alt_text: '" onload="x' },
      ],
      ctx,
      'message',
    );
    // Drop every well-formed quoted attribute value; no handler attribute may remain outside them.
    const tagsOnly = html.replace(/="[^"]*"/g, '=""');
    expect(tagsOnly).not.toMatch(/\son\w+=/);
    expect(tagsOnly).not.toContain('<svg');
    expect(html).toContain('src="https://x.test/a.png&quot; onerror=&quot;alert(1)"');
    expect(html).toContain('data-block-id="b&quot; onclick=&quot;alert(1)"');
    expect(html).toContain('data-action-id="a&#39; onmouseover=&#39;x"');
    expect(html).toContain('data-value="&quot;&gt;&lt;svg onload=alert(1)&gt;"');
  });

  it('does not double-decode entities into markup', () => {
    expect(renderMrkdwn('&amp;lt;script&amp;gt;', makeCtx())).toBe('&amp;lt;script&amp;gt;');
  });

  it('escapes modal title, labels and errors', () => {
    const html = renderView(
      {
        type: 'modal',
        title: pt('<b>t</b>'),
        submit: pt('<i>go</i>'),
        blocks: [{ type: 'input', block_id: 'x', label: pt('<u>l</u>'), element: { type: 'plain_text_input' } }],
      },
      makeCtx({ errors: { x: '<script>e</script>' } }),
    );
    expect(html).not.toMatch(/<(b|i|u|script)>/);
  });
});

describe('unknown types', () => {
  it('renders placeholders for unknown blocks and elements and records them', () => {
    const ctx = makeCtx();
    const html = renderBlocks(
      [
        { type: 'video', title: pt('v') },
        { type: 'actions', elements: [{ type: 'workflow_button', text: pt('w') }] },
        { type: 'input', label: pt('File'), element: { type: 'file_input' } },
        { type: 'context', elements: [{ type: 'button', text: pt('no') }] },
        { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'sparkle' }] }] },
        'not-a-block',
      ],
      ctx,
      'message',
    );
    expect(html).toContain('<div class="bk-unknown" data-kind="block" data-unknown-type="video">Unsupported block: video</div>');
    expect(html).toContain('Unsupported element: workflow_button');
    expect(html).toContain('Unsupported element: file_input');
    expect(html).toContain('Unsupported element: button');
    expect(html).toContain('Unsupported element: sparkle');
    expect(html).toContain('Unsupported block: (missing type)');
    expect(ctx.placeholders).toEqual(['video', 'workflow_button', 'file_input', 'button', 'sparkle', '(missing type)']);
  });

  it('escapes unknown type names', () => {
    const html = renderBlocks([{ type: '<script>x</script>' }], makeCtx(), 'message');
    expect(html).toContain('Unsupported block: &lt;script&gt;x&lt;/script&gt;');
  });

  it('works without a placeholders array', () => {
    const { placeholders: _p, ...ctx } = makeCtx();
    expect(renderBlocks([{ type: 'video' }], ctx, 'home')).toContain('bk-unknown');
  });
});

describe('views and surface', () => {
  it('renders a modal with title, blocks, submit and close', () => {
    const html = renderView(
      {
        type: 'modal',
        callback_id: 'review',
        title: pt('Review'),
        submit: pt('Send'),
        close: pt('Back'),
        blocks: [{ type: 'input', block_id: 'n', label: pt('Note'), element: { type: 'plain_text_input', action_id: 'v' } }],
      },
      makeCtx(),
    );
    expect(html).toMatch(/^<form class="bk-view bk-view--modal" data-callback-id="review"/);
    expect(html).toContain('<div class="bk-view-header bk-view-title">Review</div>');
    expect(html).toContain('data-view-action="submit">Send</button>');
    expect(html).toContain('data-view-action="close">Back</button>');
    expect(html).toContain('bk-surface--modal');
  });

  it('shows errors whose block_id matches no input block', () => {
    const html = renderView({ type: 'modal', title: pt('t'), blocks: [] }, makeCtx({ errors: { ghost: 'no such block' } }));
    expect(html).toContain('<code>ghost</code>: no such block');
    expect(html).not.toContain('bk-view-submit');
  });

  it('renders a home view and the surface class', () => {
    expect(renderView({ type: 'home', blocks: [{ type: 'divider' }] }, makeCtx())).toContain('bk-surface--home');
  });

  it('exports CSS with bk- classes', () => {
    expect(BLOCKKIT_CSS).toContain('.bk-button--primary');
  });
});
