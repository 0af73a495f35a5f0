import { CLOCK_JUMPS } from '../clock.ts';

/** The sidebar's clock: the sandbox time and its jumps (drawn by clock.js). */
export function sandboxClockHtml(): string {
  const buttons = Object.entries(CLOCK_JUMPS)
    .map(([to, j]) => `<button type="button" class="clock-jump" data-clock="${to}" id="clock-${to}">${j.label}</button>`)
    .join('');
  return `<div class="sidebar-section">
      <div class="nav-heading">Sandbox clock</div>
      <div id="clock-time" class="clock-now"></div>
      <div class="clock-jumps">${buttons}</div>
      <p class="tool-hint">Each jump runs the reminder sweep at the new time: stale reminders, meeting reminders, the digest, audits.</p>
    </div>
    <div class="sidebar-section">
      <div class="nav-heading">Developer</div>
      <button type="button" id="developer-open" class="tool-button">Developer panel</button>
      <p class="tool-hint">Act as an application's developer through the intake API, and read what the bot sent them.</p>
    </div>`;
}

/** The developer panel: a pane beside the thread; its content is drawn by developer.js. */
export function developerPaneHtml(): string {
  return `<aside id="developer-pane" class="thread-pane developer-pane" aria-label="Developer panel" hidden>
    <header class="pane-header"><div><h2>Developer</h2><div class="pane-sub">Acts through the real intake API</div></div><button type="button" class="icon-button" id="developer-close" aria-label="Close developer panel">✕</button></header>
    <div class="developer-body">
      <label class="dev-label" for="dev-app">Application</label>
      <select id="dev-app" class="dev-select"></select>
      <div id="dev-summary" class="dev-summary"></div>
      <section class="dev-section"><h3>Inbox <span class="dev-sub">what the bot sent this developer (webhook events)</span></h3><div id="dev-inbox" class="dev-inbox"></div></section>
      <section class="dev-section" id="dev-questionnaire-section" hidden><h3>Questionnaire <span id="dev-q-version" class="dev-sub"></span></h3><div id="dev-questions"></div><button type="button" class="dev-button" id="dev-send-answers">Send answers</button></section>
      <section class="dev-section"><h3>Reply <span class="dev-sub">to an information request or the architects' questions</span></h3><textarea id="dev-reply" class="dev-text" rows="4"></textarea><button type="button" class="dev-button" id="dev-send-reply">Send reply</button></section>
      <section class="dev-section"><h3>After approval</h3>
        <button type="button" class="dev-button" id="dev-go-live">Report go-live now</button>
        <div class="dev-row"><input id="dev-operation" class="dev-input" value="getOrderAddress" aria-label="Restricted operation"><button type="button" class="dev-button" id="dev-restricted-call">Report restricted call</button></div>
      </section>
      <section class="dev-section"><h3>Profile <span class="dev-sub">any field, roles included; resubmitted whole</span></h3><textarea id="dev-profile" class="dev-text dev-code" rows="14" spellcheck="false"></textarea><ul id="dev-profile-errors" class="dev-errors"></ul><button type="button" class="dev-button" id="dev-resubmit">Resubmit profile</button></section>
    </div>
  </aside>`;
}

export const DEVELOPER_CSS = `
.app{grid-template-columns:260px minmax(0,1fr) auto auto}
.developer-pane{width:400px;border-left:1px solid #ddd;background:#fff}
.developer-body{overflow:auto;padding:12px 16px 24px;display:flex;flex-direction:column;gap:8px}
.dev-label{font-weight:700;font-size:13px}
.dev-select,.dev-input,.dev-text{width:100%;box-sizing:border-box;font:inherit;font-size:13px;padding:6px 8px;border:1px solid #bbb;border-radius:6px}
.dev-code{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px}
.dev-row{display:flex;gap:6px;align-items:center;margin-top:6px}
.dev-summary{font-size:12px;color:#616061}
.dev-section{border-top:1px solid #eee;padding-top:8px}
.dev-section h3{font-size:14px;margin:0 0 6px}
.dev-sub{font-weight:400;color:#616061;font-size:12px}
.dev-button{margin-top:6px;padding:6px 10px;border-radius:6px;border:1px solid #007a5a;background:#007a5a;color:#fff;font-weight:700;cursor:pointer;white-space:nowrap}
.dev-button:disabled{opacity:.6;cursor:progress}
.dev-inbox{display:flex;flex-direction:column;gap:6px;max-height:260px;overflow:auto}
.dev-mail{border:1px solid #e0e0e0;border-radius:6px;padding:6px 8px;font-size:12px}
.dev-mail-head{display:flex;justify-content:space-between;gap:6px;font-weight:700}
.dev-mail-at{font-weight:400;color:#616061}
.dev-mail-text{white-space:pre-wrap;margin-top:4px}
.dev-question{margin:6px 0}
.dev-question label{display:block;font-size:12px;margin-bottom:2px}
.dev-errors{color:#b0003a;font-size:12px;margin:4px 0;padding-left:18px}
.dev-empty{color:#616061;font-size:12px}
.clock-now{color:#fff;font-size:13px;margin:4px 0}
.clock-now.is-ahead{color:#ffd580;font-weight:700}
.clock-jumps{display:flex;flex-wrap:wrap;gap:4px}
.clock-jump{padding:4px 8px;border-radius:6px;border:1px solid #8d6e8d;background:#fff;color:#3f0e40;font-weight:700;cursor:pointer;font-size:12px}
.clock-banner{background:#fff3c4;border-bottom:1px solid #e8c650;color:#5c4400;padding:6px 20px;font-weight:700;font-size:13px}
.clock-banner[hidden]{display:none}
`;
