import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack's own window (and Bolt's for stale requests), applied to the future too. */
export const MAX_SKEW_SECONDS = 5 * 60;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * In front of Bolt's signature check: Bolt refuses stale timestamps but accepts future ones,
 * and anything signed can be sent twice. This refuses a timestamp more than five minutes
 * ahead, and the exact same signed request again within the window (Slack's own retries,
 * marked X-Slack-Retry-Num, pass: our handlers are idempotent). Wall-clock time on purpose:
 * it is compared with the sender's clock, not with the domain's.
 */
export function guardSlackRequests(inner: Listener, options: { path: string; now?: () => number }): Listener {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const forget = (at: number) => {
    for (const [signature, expires] of seen) if (expires <= at) seen.delete(signature);
  };
  return (req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== options.path) return inner(req, res);
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = String(req.headers['x-slack-signature'] ?? '');
    const at = now();
    const refuse = () => {
      req.resume();
      res.writeHead(401).end();
    };
    if (Number.isFinite(timestamp) && timestamp * 1000 > at + MAX_SKEW_SECONDS * 1000) return refuse();
    if (signature && req.headers['x-slack-retry-num'] === undefined) {
      if ((seen.get(signature) ?? 0) > at) return refuse();
      if (seen.size > 50_000) forget(at);
      seen.set(signature, at + 2 * MAX_SKEW_SECONDS * 1000);
    }
    return inner(req, res);
  };
}
