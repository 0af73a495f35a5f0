/** The sandbox page around the Block Kit renderer's own CSS: Slack's layout, colours and spacing, roughly. */
export const UI_CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;background:#fff}
button{font:inherit}
.icon{flex:none;vertical-align:-2px}
code{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;background:#f6f6f6;border:1px solid #e2e2e2;border-radius:3px;padding:0 3px;color:#e01e5a}
.app{display:grid;grid-template-columns:260px minmax(0,1fr) auto;height:100vh}
.sidebar{background:#3f0e40;color:#cfc3cf;display:flex;flex-direction:column;overflow:auto}
.workspace{padding:14px 16px;border-bottom:1px solid #5d2c5d}
.workspace-name{color:#fff;font-weight:900;font-size:18px}
.workspace-sub{font-size:13px}
.nav{padding:8px 0}
.nav-heading{display:block;padding:10px 16px 4px;font-size:13px;font-weight:600;color:#cfc3cf;opacity:.85}
.nav-item{display:flex;gap:8px;align-items:center;width:100%;border:0;background:none;color:#cfc3cf;text-align:left;padding:4px 16px;font-size:15px;cursor:pointer}
.nav-item:hover{background:#350d36}
.nav-item.is-active{background:#1164a3;color:#fff;font-weight:700}
.nav-app-icon{display:inline-grid;place-items:center;width:20px;height:20px;border-radius:4px;background:#2eb67d;color:#fff;font-size:10px;font-weight:900}
.nav-app-icon--large{width:36px;height:36px;font-size:14px;border-radius:8px}
.sidebar-section{padding:4px 16px 12px;border-top:1px solid #5d2c5d}
.sidebar-section .nav-heading{padding-left:0;padding-right:0}
.persona-select{width:100%;font:inherit;font-size:14px;padding:6px 8px;border-radius:6px;border:1px solid #5d2c5d;background:#fff;color:#1d1c1d}
.persona-detail{font-size:13px;margin-top:6px;line-height:1.5}
.persona-detail strong{color:#fff}
.tool-button{display:block;width:100%;margin:6px 0;padding:7px 10px;border-radius:6px;border:1px solid #8d6e8d;background:#fff;color:#3f0e40;font-weight:700;cursor:pointer;text-align:left}
.tool-button:hover{background:#f4ede4}
.tool-button--danger{background:transparent;color:#fff;border-color:#8d6e8d}
.tool-button--danger:hover{background:#5d2c5d}
.tool-button:disabled{opacity:.6;cursor:progress}
.tool-hint{font-size:12px;margin:6px 0 0;opacity:.85}
.main{display:flex;flex-direction:column;min-width:0;min-height:0;border-right:1px solid #ddd}
.pane{display:flex;flex-direction:column;flex:1;min-height:0}
.pane[hidden]{display:none}
.pane-header{display:flex;justify-content:space-between;align-items:center;padding:10px 20px;border-bottom:1px solid #ddd;min-height:60px}
.pane-header h1,.pane-header h2{font-size:18px;font-weight:900;margin:0}
.pane-header--app{flex-direction:column;align-items:flex-start;gap:8px;padding-bottom:0}
.app-title{display:flex;gap:10px;align-items:center}
.pane-sub{font-size:13px;color:#616061}
.tabs{display:flex;gap:16px}
.tab{border:0;background:none;padding:6px 2px 8px;font-weight:700;color:#616061;border-bottom:2px solid transparent;cursor:pointer}
.tab.is-active{color:#1d1c1d;border-bottom-color:#1164a3}
.messages{flex:1;overflow:auto;padding:8px 0 16px}
.messages[hidden]{display:none}
.msg{display:flex;gap:8px;padding:8px 20px}
.msg:hover{background:#f8f8f8}
.msg-avatar{flex:none;width:36px;height:36px;border-radius:6px;background:#2eb67d;color:#fff;display:grid;place-items:center;font-weight:900;font-size:13px}
.msg-main{flex:1;min-width:0}
.msg-meta{display:flex;gap:6px;align-items:baseline}
.msg-author{font-weight:900}
.msg-badge{font-size:10px;font-weight:700;color:#616061;background:#e8e8e8;border-radius:2px;padding:0 3px}
.msg-meta time{font-size:12px;color:#616061}
.msg-edited{font-size:12px;color:#616061}
.msg-text{white-space:normal;overflow-wrap:anywhere}
.msg--linked{background:#fff8e1;box-shadow:inset 3px 0 #ecb22e}
.msg--ephemeral{background:#f8f8f8;border-left:3px solid #1264a3}
.msg-ephemeral-note{font-size:12px;color:#616061;margin-top:4px;display:flex;gap:4px;align-items:center}
.link-button{border:0;background:none;color:#1264a3;padding:0;cursor:pointer;font-size:12px}
.link-button:hover{text-decoration:underline}
.msg-replies{margin-top:4px;border:1px solid transparent;background:none;color:#1264a3;font-weight:700;font-size:13px;padding:2px 6px;border-radius:4px;cursor:pointer}
.msg-replies:hover{border-color:#ddd;background:#fff}
.msg-file{display:flex;gap:10px;align-items:center;border:1px solid #ddd;border-radius:8px;padding:8px 12px;margin-top:6px;max-width:420px;background:#fff}
.msg-file-icon{color:#1264a3;display:flex}
.msg-file-name{font-weight:700;color:#1264a3;text-decoration:none}
.msg-file-name:hover{text-decoration:underline}
.msg-file-meta{font-size:12px;color:#616061}
.ui-problems{margin:6px 0;padding:8px 12px;border:1px solid #ecb22e;background:#fff8e5;border-radius:6px;font-size:13px;color:#6b4d00}
.ui-problems ul{margin:4px 0 0;padding-left:20px}
.empty{padding:40px 20px;color:#616061;text-align:center}
.empty-state{max-width:520px;margin:60px auto;text-align:center;color:#616061}
.empty-state h2{color:#1d1c1d;margin:8px 0}
.empty-state-icon{color:#616061}
.home{flex:1;overflow:auto;padding:16px 24px}
.home[hidden]{display:none}
.home .bk-view--home{border:0;max-width:none}
.composer{margin:0 20px 12px;border:1px solid #bbb;border-radius:8px;display:grid;grid-template-columns:1fr auto;gap:0 8px;padding:8px 8px 6px 12px}
.composer:focus-within{border-color:#1264a3;box-shadow:0 0 0 1px #1264a3}
.composer-input{border:0;outline:0;font:inherit;padding:4px 0}
.composer-send{border:0;border-radius:4px;background:#007a5a;color:#fff;font-weight:700;padding:4px 12px;cursor:pointer}
.composer-hint{grid-column:1/-1;font-size:12px;color:#616061;margin-top:4px}
.status-line{border-top:1px solid #ddd;padding:6px 20px;font-size:12px;color:#616061;background:#fafafa;font-family:Monaco,Menlo,Consolas,monospace;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status-line.is-error{color:#b0003a;background:#fff5f8}
.status-line.is-warn{color:#6b4d00;background:#fff8e5}
.thread-pane{width:420px;display:flex;flex-direction:column;min-height:0}
.thread-pane[hidden]{display:none}
.thread-count{margin:4px 20px;font-size:13px;color:#616061;border-bottom:1px solid #eee;padding-bottom:4px}
.icon-button{border:0;background:none;font-size:16px;cursor:pointer;color:#616061;padding:4px 8px;border-radius:4px}
.icon-button:hover{background:#f0f0f0}
.overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:grid;place-items:center;z-index:10;padding:24px}
.modal-card{position:relative;width:min(560px,100%);max-height:calc(100vh - 48px);display:flex}
.modal-card .bk-view--modal{width:100%;max-width:none;max-height:calc(100vh - 48px);box-shadow:0 18px 48px rgba(0,0,0,.35)}
.modal-card .bk-view-body{flex:1}
.modal-x{position:absolute;top:12px;right:12px;z-index:1}
.modal-depth{position:absolute;top:-22px;left:0;color:#fff;font-size:12px}
.modal-card .ui-problems{position:absolute;bottom:100%;left:0;right:0;margin-bottom:24px}
.confirm{background:#fff;border-radius:8px;width:min(440px,100%);box-shadow:0 18px 48px rgba(0,0,0,.35)}
.confirm h2{margin:0;padding:16px 20px;border-bottom:1px solid #ddd;font-size:20px}
.confirm p{padding:12px 20px;margin:0;white-space:pre-wrap}
.confirm-actions{display:flex;justify-content:flex-end;gap:8px;padding:12px 20px 16px}
.toasts{position:fixed;right:16px;top:12px;display:flex;flex-direction:column;gap:8px;z-index:20;max-width:440px;pointer-events:none}
.toast{background:#1d1c1d;color:#fff;padding:10px 14px;border-radius:8px;font-size:13px;box-shadow:0 4px 12px rgba(0,0,0,.25)}
.toast--error{background:#b0003a}
.toast--warn{background:#8a6100}
.toast pre{margin:6px 0 0;white-space:pre-wrap;max-height:120px;overflow:auto;font-size:11px;opacity:.9}
.msg-delete{margin-left:8px;font-size:12px;opacity:0;color:#616061}
.msg:hover .msg-delete{opacity:1}
.pane.is-archived .pane-header{background:#fff4e5}
.pane.is-archived .pane-sub::after{content:' · archived: posts answer is_archived'}
.first-run{max-width:640px;margin:32px auto;text-align:left;background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:16px 24px;color:#1d1c1d;line-height:1.5}
.first-run h2{margin:0 0 8px;font-size:18px}
.first-run ol{padding-left:20px}
.first-run li{margin:10px 0}
.first-run li .bk-button{margin-right:6px}
.first-run-hint{color:#616061;font-size:13px}
`;
