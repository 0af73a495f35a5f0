import { escapeHtml } from '../blockkit/html.ts';
import { BLOCKKIT_CSS } from '../blockkit/render.ts';
import type { PERSONAS } from '../personas.ts';
import { DEVELOPER_CSS, developerPaneHtml, sandboxClockHtml } from './developer-page.ts';
import { ICONS } from './icons.ts';
import { UI_CSS } from './styles.ts';

const ROLE_LABELS: Record<string, string> = {
  reviewer: 'Reviewer',
  architect: 'Solution architect',
  admin: 'Admin',
  none: 'No role',
};

/** JSON inside a <script> element: "<" is escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The static shell; everything inside it is drawn by client.js from /sandbox/ui/state. */
export function renderPage(input: { personas: typeof PERSONAS; channelName: string; token: string }): string {
  const channel = escapeHtml(input.channelName);
  const options = input.personas
    // The full name alone fits the sidebar; the role is in the title and the line under the picker.
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}" title="${escapeHtml(ROLE_LABELS[p.role] ?? p.role)}">${escapeHtml(p.realName)}</option>`,
    )
    .join('');
  const config = {
    personas: input.personas.map((p) => ({ ...p, roleLabel: ROLE_LABELS[p.role] ?? p.role })),
    token: input.token,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pii-review sandbox</title>
<link rel="icon" href="data:,">
<style>${BLOCKKIT_CSS}${UI_CSS}${DEVELOPER_CSS}</style>
</head>
<body>
<div class="app">
  <aside class="sidebar" aria-label="Workspace">
    <div class="workspace"><div class="workspace-name">Sandbox workspace</div><div class="workspace-sub">pii-review · local Slack emulator</div></div>
    <nav class="nav">
      <div class="nav-heading">Channels</div>
      <button type="button" class="nav-item" data-nav="channel" id="nav-channel">${ICONS.lock} ${channel}</button>
      <div class="nav-heading">Apps</div>
      <button type="button" class="nav-item" data-nav="home" id="nav-home"><span class="nav-app-icon" aria-hidden="true">PR</span> pii-review</button>
    </nav>
    <div class="sidebar-section">
      <label class="nav-heading" for="persona">Acting as</label>
      <select id="persona" class="persona-select">${options}</select>
      <div id="persona-detail" class="persona-detail"></div>
    </div>
    ${sandboxClockHtml()}
    <div class="sidebar-section sandbox-tools">
      <div class="nav-heading">Sandbox</div>
      <button type="button" id="demo" class="tool-button" data-sandbox="demo">${ICONS.plus} Load demo data</button>
      <button type="button" id="sample" class="tool-button">${ICONS.plus} New sample application</button>
      <button type="button" id="archive" class="tool-button">Archive channel</button>
      <button type="button" id="reset" class="tool-button tool-button--danger">Reset sandbox</button>
      <p class="tool-hint">Demo data builds a dozen applications through the bot's own use cases. Samples go through the real intake API. Reset empties the database and the emulator. Archive the channel, or delete a card (Delete on a message), to watch the bot recover.</p>
    </div>
  </aside>
  <main class="main">
    <div id="clock-banner" class="clock-banner" role="status" hidden></div>
    <section id="channel-view" class="pane" aria-label="Channel ${channel}">
      <header class="pane-header"><div><h1>${ICONS.lock} ${channel}</h1><div class="pane-sub">Review cards and threads posted by pii-review</div></div></header>
      <div id="messages" class="messages" aria-live="polite"></div>
      <form id="composer" class="composer" autocomplete="off">
        <input id="command" name="command" class="composer-input" placeholder="/pii status 1" aria-label="Slash command">
        <button type="submit" class="composer-send">Send</button>
        <div class="composer-hint">Try <code>/pii help</code> · <code>/pii queue</code> · <code>/pii mine</code> · <code>/pii status &lt;number&gt;</code> · <code>/pii stats</code></div>
      </form>
    </section>
    <section id="app-view" class="pane" aria-label="pii-review app" hidden>
      <header class="pane-header pane-header--app"><div class="app-title"><span class="nav-app-icon nav-app-icon--large" aria-hidden="true">PR</span><h1>pii-review</h1></div>
        <div class="tabs" role="tablist"><button type="button" role="tab" class="tab" data-tab="home" id="tab-home">Home</button><button type="button" role="tab" class="tab" data-tab="messages" id="tab-messages">Messages</button></div>
      </header>
      <div id="home" class="home"></div>
      <div id="dm" class="messages" hidden></div>
    </section>
    <div id="status-line" class="status-line" role="status">No requests yet.</div>
  </main>
  <aside id="thread-pane" class="thread-pane" aria-label="Thread" hidden>
    <header class="pane-header"><div><h2>Thread</h2><div class="pane-sub">${ICONS.lock} ${channel}</div></div><button type="button" class="icon-button" id="thread-close" aria-label="Close thread">✕</button></header>
    <div id="thread" class="messages"></div>
  </aside>
${developerPaneHtml()}
</div>
<div id="modal-root"></div>
<div id="confirm-root"></div>
<div id="toasts" class="toasts" aria-live="polite"></div>
<script type="application/json" id="sandbox-config">${scriptJson(config)}</script>
<script type="module" src="/sandbox/ui/client.js"></script>
<script type="module" src="/sandbox/ui/clock.js"></script>
<script type="module" src="/sandbox/ui/developer.js"></script>
</body>
</html>`;
}
