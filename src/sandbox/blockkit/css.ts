/** Modest Slack-like styling for the renderer's `bk-` classes; the sandbox page inlines it. */
export const BLOCKKIT_CSS = `
.bk-blocks{font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d}
.bk-block{margin:4px 0}
.bk-header{font-size:18px;font-weight:900;margin:8px 0 4px}
.bk-section{display:flex;gap:12px;align-items:flex-start}
.bk-section-body{flex:1;min-width:0}
.bk-section-fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:4px}
.bk-section-accessory{flex:none}
.bk-divider{border:0;border-top:1px solid #ddd;margin:12px 0}
.bk-context{display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:13px;color:#616061}
.bk-context-image{width:20px;height:20px;border-radius:4px;object-fit:cover}
.bk-actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.bk-button{font:inherit;font-size:14px;font-weight:700;padding:4px 12px;min-height:32px;border:1px solid #bbb;border-radius:4px;background:#fff;color:#1d1c1d;cursor:pointer}
.bk-button:hover{background:#f8f8f8}
.bk-button--primary{background:#007a5a;border-color:#007a5a;color:#fff}
.bk-button--primary:hover{background:#148567}
.bk-button--danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.bk-button--danger:hover{background:#e23067}
.bk-select,.bk-overflow-button,.bk-text-input,.bk-textarea,.bk-datepicker,.bk-timepicker,.bk-datetimepicker{font:inherit;font-size:14px;padding:4px 8px;min-height:32px;border:1px solid #bbb;border-radius:4px;background:#fff;box-sizing:border-box}
.bk-input .bk-text-input,.bk-input .bk-textarea,.bk-input .bk-select{width:100%}
.bk-select--multi{min-height:72px}
.bk-emoji--drawn{display:inline-block;vertical-align:-.25em;line-height:1}
.bk-emoji-img{display:inline-block}
.bk-emoji-text{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bk-overflow{position:relative;display:inline-block}
.bk-overflow-button{width:36px;padding:4px;font-weight:900;cursor:pointer}
.bk-overflow-button[aria-expanded="true"]{background:#f0f0f0}
.bk-overflow-menu{position:absolute;right:0;top:calc(100% + 4px);z-index:30;min-width:200px;padding:8px 0;background:#fff;border:1px solid #ddd;border-radius:8px;box-shadow:0 4px 12px rgba(0,0,0,.12)}
.bk-overflow-item{display:block;width:100%;text-align:left;padding:4px 24px;border:0;background:none;font:inherit;font-size:15px;color:#1d1c1d;cursor:pointer;white-space:nowrap}
.bk-overflow-item:hover,.bk-overflow-item:focus{background:#1264a3;color:#fff;outline:none}
.bk-input{margin:12px 0}
.bk-input-label{font-weight:700;margin-bottom:4px}
.bk-input-optional{font-weight:400;color:#616061}
.bk-input-hint{font-size:13px;color:#616061;margin-top:4px}
.bk-input--error .bk-text-input,.bk-input--error .bk-textarea,.bk-input--error .bk-select{border-color:#e01e5a}
.bk-input-error{font-size:13px;color:#e01e5a;margin-top:4px}
.bk-checkboxes,.bk-radio-buttons{display:flex;flex-direction:column;gap:4px}
.bk-choice{display:grid;grid-template-columns:auto 1fr;column-gap:8px;align-items:baseline}
.bk-choice-description{grid-column:2;font-size:13px;color:#616061}
.bk-image-title{font-size:13px;color:#616061}
.bk-image{max-width:360px;max-height:360px;border-radius:8px}
.bk-image-element{width:88px;height:88px;border-radius:4px;object-fit:cover}
.bk-image-missing{display:inline-block;color:#616061;font-style:italic}
.bk-code{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;color:#e01e5a;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:1px 3px}
.bk-pre,.bk-rt-pre{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap}
.bk-quote,.bk-rt-quote{border-left:4px solid #ddd;margin:4px 0;padding-left:12px}
.bk-rt-list{margin:4px 0;padding-left:24px}
.bk-rt-list--border{border-left:4px solid #ddd}
.bk-link{color:#1264a3;text-decoration:none}
.bk-link:hover{text-decoration:underline}
.bk-link--unsafe{color:#616061;text-decoration:line-through dotted}
.bk-mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.bk-mention--special{background:#fff4d1;color:#8a6100;font-weight:700}
.bk-date{border-bottom:1px dotted #999}
.bk-color-swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px;border:1px solid #ccc}
.bk-unknown{border:1px dashed #e01e5a;color:#e01e5a;background:#fff5f8;border-radius:4px;padding:4px 8px;font-size:13px;font-family:Monaco,Menlo,Consolas,monospace}
.bk-view{border:1px solid #ddd;border-radius:8px;background:#fff;max-width:520px;display:flex;flex-direction:column}
.bk-view-header{padding:16px 20px;border-bottom:1px solid #ddd;font-size:20px;font-weight:700}
.bk-view-body{padding:12px 20px;overflow:auto}
.bk-view-errors{color:#e01e5a;font-size:13px}
.bk-view-footer{display:flex;justify-content:flex-end;gap:8px;padding:16px 20px;border-top:1px solid #ddd}
`;
