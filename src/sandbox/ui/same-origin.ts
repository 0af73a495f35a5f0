import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { UiError } from './interactions.ts';

/** Tokens of the pages served lately; an old tab's token stays good while few pages were served since. */
const KEPT_TOKENS = 50;
export const TOKEN_HEADER = 'x-sandbox-token';

/**
 * Every state-changing sandbox route acts as a persona or wipes data, so only the sandbox's
 * own page may call it: a JSON body (a cross-site form or a text/plain fetch cannot set that
 * without a CORS preflight, which is never granted), an Origin and Sec-Fetch-Site that say
 * same-origin when the browser sends them, and the token that came with the page (which
 * another site cannot read).
 */
export function createPageTokens() {
  const issued: Buffer[] = [];
  return {
    /** A token for one page; embedded in it. */
    issue(): string {
      const token = randomBytes(24).toString('hex');
      issued.push(Buffer.from(token));
      if (issued.length > KEPT_TOKENS) issued.shift();
      return token;
    },
    check(req: IncomingMessage): void {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json')
        throw new UiError(415, 'Send JSON (Content-Type: application/json) from the sandbox page.');
      const site = req.headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin') throw new UiError(403, 'Only the sandbox page itself may do this.');
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) {
        throw new UiError(403, 'Only the sandbox page itself may do this.');
      }
      const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
      if (!issued.some((t) => t.length === given.length && timingSafeEqual(t, given))) {
        throw new UiError(403, 'The page token is missing or stale: reload the sandbox page.');
      }
    },
  };
}

/**
 * Whether a request's Host names the sandbox as its own page does: an IP address, `localhost`
 * (or a name under it), or the host it was configured with (SANDBOX_HOST). A web page that
 * rebinds its own domain name to 127.0.0.1 (DNS rebinding) reaches this port with that name
 * in Host, and its Origin matches it, so the same-origin checks alone would let it read a
 * persona's modals and act as one; a name we do not know is refused. Clients that send no
 * Host are no browser.
 */
export function sandboxHostAllowed(host: string | undefined, configured: string): boolean {
  if (host === undefined) return true;
  const name = (host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '')).toLowerCase();
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || name === configured.toLowerCase();
}
