// Reading and restoring Block Kit form controls, and the confirm dialog. The server turns
// these raw values into Slack's state shapes, reading types and options from the view itself.
export const SELECTOR = 'input[data-action-id],select[data-action-id],textarea[data-action-id]';
export const TEXTLIKE = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);

const keyOf = (el) => `${el.dataset.blockId}\u0000${el.dataset.actionId}`;

export function values(el, scope) {
  if (el.tagName === 'SELECT') return [...el.selectedOptions].map((o) => o.value).filter((v) => v !== '');
  if (el.type === 'checkbox' || el.type === 'radio') {
    const group = [...scope.querySelectorAll(SELECTOR)].filter((x) => keyOf(x) === keyOf(el));
    return group.filter((x) => x.checked).map((x) => x.value);
  }
  return el.value === '' ? [] : [el.value];
}

/** Every stateful control in a scope (overflow menus hold no state in Slack). */
export function controls(scope) {
  const seen = new Map();
  for (const el of scope.querySelectorAll(SELECTOR)) {
    if (el.dataset.type === 'overflow' || seen.has(keyOf(el))) continue;
    seen.set(keyOf(el), { blockId: el.dataset.blockId, actionId: el.dataset.actionId, values: values(el, scope) });
  }
  return [...seen.values()];
}

/** Slack keeps what was typed in input blocks when a view is updated with the same ids. */
export function restore(scope, saved) {
  const byKey = new Map(saved.map((c) => [`${c.blockId}\u0000${c.actionId}`, c.values]));
  for (const el of scope.querySelectorAll(SELECTOR)) {
    const v = byKey.get(keyOf(el));
    if (!v || !el.closest('.bk-input')) continue;
    if (el.tagName === 'SELECT') for (const o of el.options) o.selected = v.includes(o.value);
    else if (el.type === 'checkbox' || el.type === 'radio') el.checked = v.includes(el.value);
    else el.value = v[0] ?? '';
  }
}

/** Slack scrolls a modal to its first field error after a submission the app refused: so does the page. */
export function showFirstError(scope) {
  const first = scope.querySelector('.bk-input--error');
  if (!first) return;
  first.scrollIntoView({ block: 'center' });
  first.querySelector(SELECTOR)?.focus({ preventScroll: true });
}

function node(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Asks before an action with a `confirm` object, as Slack does; strings shown as text only. */
export function confirmDialog(root, c) {
  return new Promise((resolve) => {
    const overlay = node('div', 'overlay');
    const box = node('div', 'confirm');
    box.setAttribute('role', 'alertdialog');
    const actions = node('div', 'confirm-actions');
    const deny = node('button', 'bk-button confirm-deny', c.deny || 'Cancel');
    const ok = node(
      'button',
      `bk-button confirm-ok bk-button--${c.style === 'danger' ? 'danger' : 'primary'}`,
      c.confirm || 'Yes',
    );
    deny.type = 'button';
    ok.type = 'button';
    const done = (answer) => {
      overlay.remove();
      resolve(answer);
    };
    deny.onclick = () => done(false);
    ok.onclick = () => done(true);
    actions.append(deny, ok);
    box.append(node('h2', '', c.title || 'Are you sure?'), node('p', '', c.text || ''), actions);
    overlay.append(box);
    root.append(overlay);
    ok.focus();
  });
}
