// The sandbox page's behaviour. HTML comes pre-rendered (and escaped) from the server; this
// script only places it, and turns clicks into POSTs that the server signs as Slack would.
// Anything built here from data uses textContent, never innerHTML.
import { confirmDialog, controls, restore, SELECTOR, showFirstError, TEXTLIKE, values } from './controls.js';
import { FIRST_RUN_HTML, loadDemo } from './demo.js';
import { closeMenus, overflowClick } from './overflow.js';
import { highlightMessage, messageFromQuery, permalinkTarget } from './permalink.js';

const $ = (id) => document.getElementById(id);
const config = JSON.parse($('sandbox-config').textContent);
const personaIds = config.personas.map((p) => p.id);
const stored = new URLSearchParams(location.search).get('user') || localStorage.getItem('sandbox.user');
const ui = {
  user: personaIds.includes(stored) ? stored : personaIds[0],
  nav: 'channel',
  tab: 'home',
  thread: null,
  snap: null,
  modalKey: null,
  /** A message to show once the page has it (a permalink opened in a new tab). */
  linked: messageFromQuery(),
};

function openPermalink(where) {
  ui.nav = 'channel';
  ui.thread = null;
  ui.linked = where;
  render();
}

/** Other page modules (clock.js, developer.js) draw after each render with the same snapshot. */
export const renderHooks = [];

export async function api(path, body) {
  setStatus({ level: 'ok', note: 'Sending…', what: path.replace('/sandbox/ui/', '') });
  try {
    const res = await fetch(path, {
      method: 'POST',
      // The page's own token: state-changing routes refuse requests made by any other page.
      headers: { 'content-type': 'application/json', 'x-sandbox-token': config.token },
      body: JSON.stringify({ user: ui.user, ...body }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) return showOutcome({ what: path, status: res.status, level: 'error', note: data.error || `HTTP ${res.status}` });
    showOutcome(data);
    return data;
  } catch (error) {
    showOutcome({ what: path, level: 'error', note: `The sandbox did not answer (${error.message}). Is it still running?` });
  }
}

const describe = (o) =>
  [o.what, o.status !== undefined ? `HTTP ${o.status}` : '', o.ms !== undefined ? `${o.ms} ms` : '', o.note]
    .filter(Boolean)
    .join(' · ');

function setStatus(o) {
  const line = $('status-line');
  line.textContent = describe(o);
  line.className = `status-line${o.level === 'error' ? ' is-error' : o.level === 'warn' ? ' is-warn' : ''}`;
  line.dataset.level = o.level;
}

// Every answer goes to the status line; only the ones a user must not miss also pop up.
function showOutcome(o) {
  setStatus(o);
  if (o.level === 'ok') return o;
  const toast = document.createElement('div');
  toast.className = `toast toast--${o.level}`;
  toast.textContent = describe(o);
  if (o.body) {
    const pre = document.createElement('pre');
    pre.textContent = o.body;
    toast.append(pre);
  }
  $('toasts').append(toast);
  setTimeout(() => toast.remove(), 10_000);
  return o;
}

function targetOf(el) {
  const view = el.closest('[data-view-id]');
  if (view) return { viewId: view.dataset.viewId, scope: view };
  const eph = el.closest('[data-ephemeral-id]');
  if (eph) return { ephemeralId: eph.dataset.ephemeralId, scope: eph };
  const msg = el.closest('[data-msg-ts]');
  return msg ? { channel: msg.dataset.msgChannel, ts: msg.dataset.msgTs, scope: msg } : null;
}

const confirmFirst = (el) =>
  el.dataset.confirm ? confirmDialog($('confirm-root'), JSON.parse(el.dataset.confirm)) : Promise.resolve(true);

async function dispatch(el) {
  const target = targetOf(el);
  if (!target) return;
  if (!(await confirmFirst(el))) return;
  const linked = el.dataset.url ? permalinkTarget(el.dataset.url) : null;
  if (linked) openPermalink(linked);
  else if (el.dataset.url) window.open(el.dataset.url, '_blank', 'noopener');
  const { scope, ...where } = target;
  const vals = el.dataset.type === 'overflow' ? [el.dataset.value] : el.tagName === 'BUTTON' ? [] : values(el, scope);
  await api('/sandbox/ui/action', {
    ...where,
    blockId: el.dataset.blockId,
    actionId: el.dataset.actionId,
    values: vals,
    controls: where.viewId ? controls(scope) : [],
  });
}

const dispatchable = (el) => el.dataset.actionId && (!el.closest('.bk-input') || el.dataset.dispatchAction === 'true');

function scrollKeep(el, html) {
  if (el.dataset.html === html) return;
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40 || !el.dataset.html;
  el.innerHTML = html;
  el.dataset.html = html;
  if (atBottom) el.scrollTop = el.scrollHeight;
}

function wrapped(html, viewId) {
  const box = document.createElement('div');
  if (viewId) box.dataset.viewId = viewId;
  box.innerHTML = html;
  return box;
}

function renderModal(modal) {
  const root = $('modal-root');
  if (!modal) {
    root.replaceChildren();
    ui.modalKey = null;
    return;
  }
  if (modal.key === ui.modalKey) return;
  const old = root.querySelector('.modal-card');
  const saved = old && old.dataset.viewId === modal.viewId ? controls(old) : [];
  const card = wrapped(modal.html, modal.viewId);
  card.className = 'modal-card';
  const x = document.createElement('button');
  x.type = 'button';
  x.className = 'icon-button modal-x';
  x.setAttribute('aria-label', 'Close all views');
  x.textContent = '✕';
  card.append(x);
  if (modal.depth > 1) {
    const depth = document.createElement('div');
    depth.className = 'modal-depth';
    depth.textContent = `View ${modal.depth} of ${modal.depth} in this modal (Cancel goes back)`;
    card.append(depth);
  }
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  overlay.append(card);
  root.replaceChildren(overlay);
  restore(card, saved);
  showFirstError(card);
  ui.modalKey = modal.key;
}

function render() {
  const s = ui.snap;
  if (!s) return;
  $('archive').textContent = s.channel.archived ? 'Unarchive channel' : 'Archive channel';
  $('channel-view').classList.toggle('is-archived', s.channel.archived);
  const persona = config.personas.find((p) => p.id === s.user.id);
  const detail = $('persona-detail');
  const now = new Intl.DateTimeFormat('en-US', { timeZone: s.user.tz, hour: 'numeric', minute: '2-digit' }).format(
    s.clock ? new Date(s.clock.now) : new Date(),
  );
  detail.replaceChildren();
  const name = document.createElement('strong');
  name.textContent = s.user.realName;
  detail.append(
    name,
    document.createElement('br'),
    `${persona ? persona.roleLabel : s.user.title} · ${s.user.id}`,
    document.createElement('br'),
    `${s.user.tz} · ${now} local`,
  );
  $('persona').value = s.user.id;
  scrollKeep($('messages'), s.channelHtml || FIRST_RUN_HTML);
  scrollKeep($('dm'), s.dmHtml || '<div class="empty">No direct messages from pii-review yet.</div>');
  const home = $('home');
  if (home.dataset.html !== s.home.html + s.home.viewId) {
    home.replaceChildren(wrapped(s.home.html, s.home.viewId));
    home.dataset.html = s.home.html + s.home.viewId;
  }
  const thread = ui.thread && s.threads[ui.thread];
  $('thread-pane').hidden = !thread;
  if (thread) scrollKeep($('thread'), thread);
  renderModal(s.modal);
  $('channel-view').hidden = ui.nav !== 'channel';
  $('app-view').hidden = ui.nav !== 'app';
  $('nav-channel').classList.toggle('is-active', ui.nav === 'channel');
  $('nav-home').classList.toggle('is-active', ui.nav === 'app');
  $('home').hidden = ui.tab !== 'home';
  $('dm').hidden = ui.tab !== 'messages';
  $('tab-home').classList.toggle('is-active', ui.tab === 'home');
  $('tab-messages').classList.toggle('is-active', ui.tab === 'messages');
  document.body.dataset.user = s.user.id;
  if (ui.linked && ui.nav === 'channel' && highlightMessage(ui.linked)) ui.linked = null;
  for (const hook of renderHooks) hook(s);
}

let pending = null;
async function refresh() {
  const res = await fetch(`/sandbox/ui/state?user=${encodeURIComponent(ui.user)}`);
  if (!res.ok)
    return showOutcome({ what: 'state', status: res.status, level: 'error', note: 'Could not load the sandbox state.' });
  ui.snap = await res.json();
  render();
}
const scheduleRefresh = () => {
  clearTimeout(pending);
  pending = setTimeout(() => refresh().catch(() => {}), 30);
};

function openHome() {
  ui.nav = 'app';
  ui.tab = 'home';
  render();
  api('/sandbox/ui/home-opened', {});
}

document.addEventListener('click', (e) => {
  const anchor = e.target.closest('a[href]');
  const linked = anchor ? permalinkTarget(anchor.href) : null;
  if (linked) {
    e.preventDefault();
    return openPermalink(linked);
  }
  const el = e.target.closest('button, [data-nav], [data-tab]');
  if (!el) return closeMenus();
  if (overflowClick(el, dispatch)) return;
  if (el.dataset.openThread) {
    ui.thread = el.dataset.openThread;
    return render();
  }
  if (el.id === 'thread-close') {
    ui.thread = null;
    return render();
  }
  if (el.dataset.sandbox === 'sample') return $('sample').click();
  if (el.dataset.sandbox === 'demo')
    return loadDemo(api, document.querySelectorAll('[data-sandbox="demo"]'), () => {
      if (ui.nav === 'app' && ui.tab === 'home') openHome();
    });
  if (el.dataset.dismiss) return api('/sandbox/ui/dismiss', { id: el.dataset.dismiss });
  if (el.dataset.deleteMsg)
    return api('/sandbox/ui/delete-message', { channel: el.dataset.deleteChannel, ts: el.dataset.deleteMsg });
  if (el.id === 'archive') return api('/sandbox/ui/archive', { archived: !ui.snap?.channel?.archived });
  if (el.dataset.nav === 'channel') {
    ui.nav = 'channel';
    return render();
  }
  if (el.dataset.nav === 'home' || el.dataset.tab === 'home') return openHome();
  if (el.dataset.tab === 'messages') {
    ui.tab = 'messages';
    return render();
  }
  const card = el.closest('.modal-card');
  if (el.classList.contains('modal-x') && card) return api('/sandbox/ui/close', { viewId: card.dataset.viewId, all: true });
  if (el.dataset.viewAction === 'close' && card) return api('/sandbox/ui/close', { viewId: card.dataset.viewId, all: false });
  if (el.classList.contains('bk-button') && el.dataset.actionId) dispatch(el);
});

document.addEventListener('change', (e) => {
  const el = e.target;
  if (el.id === 'persona') {
    ui.user = el.value;
    localStorage.setItem('sandbox.user', ui.user);
    ui.modalKey = null;
    if (ui.nav === 'app' && ui.tab === 'home') openHome();
    return refresh();
  }
  if (el.matches(SELECTOR) && dispatchable(el) && !TEXTLIKE.has(el.dataset.type)) dispatch(el);
});

document.addEventListener('keydown', (e) => {
  const el = e.target;
  if (e.key === 'Enter' && el.tagName === 'INPUT' && TEXTLIKE.has(el.dataset.type) && el.dataset.dispatchAction === 'true') {
    e.preventDefault();
    dispatch(el);
  }
});

document.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (e.target.id === 'composer') {
    const input = $('command');
    const text = input.value.trim();
    if (!text) return;
    if ((await api('/sandbox/ui/command', { text })) && $('status-line').dataset.level !== 'error') input.value = '';
    return;
  }
  const card = e.target.closest('.modal-card');
  if (card) api('/sandbox/ui/submit', { viewId: card.dataset.viewId, controls: controls(card) });
});

$('sample').addEventListener('click', async (e) => {
  e.currentTarget.disabled = true;
  await api('/sandbox/ui/sample', {});
  $('sample').disabled = false;
});
$('reset').addEventListener('click', async () => {
  const ok = await confirmFirst({
    dataset: {
      confirm: JSON.stringify({
        title: 'Reset the sandbox?',
        text: 'This deletes every application, event and queued Slack effect, and empties the emulated channel.',
        confirm: 'Reset',
        deny: 'Cancel',
        style: 'danger',
      }),
    },
  });
  if (!ok) return;
  ui.thread = null;
  await api('/sandbox/ui/reset', {});
});

const stream = new EventSource('/sandbox/ui/stream');
stream.addEventListener('change', scheduleRefresh);
stream.addEventListener('ready', scheduleRefresh);
refresh();
