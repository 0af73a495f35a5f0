// Card links from the emulator's chat.getPermalink (`…/sandbox/slack/archives/<channel>/p<ts>`)
// open the card in this page, as a Slack client would, instead of leaving it.

const PERMALINK = /\/sandbox\/slack\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})$/;

/** The message a permalink points at, or null for any other link. */
export function permalinkTarget(url) {
  try {
    const match = PERMALINK.exec(new URL(url, location.href).pathname);
    return match ? { channel: match[1], ts: `${match[2]}.${match[3]}` } : null;
  } catch {
    return null;
  }
}

/** A permalink opened in a new tab lands on the page with `?message=<channel>/<ts>`. */
export function messageFromQuery() {
  const value = new URLSearchParams(location.search).get('message');
  const match = value ? /^([A-Z0-9]+)\/(\d+\.\d+)$/.exec(value) : null;
  return match ? { channel: match[1], ts: match[2] } : null;
}

/** Scrolls to the message and marks it for a moment; false when it is not (or no longer) in the page. */
export function highlightMessage(where) {
  const el = document.querySelector(`[data-msg-channel="${CSS.escape(where.channel)}"][data-msg-ts="${CSS.escape(where.ts)}"]`);
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  el.classList.add('msg--linked');
  setTimeout(() => el.classList.remove('msg--linked'), 2500);
  return true;
}
