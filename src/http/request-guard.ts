import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions } from '@slack/bolt';

/** Slack's own window (and Bolt's for stale requests), applied to the future too. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Requests remembered at most; the oldest go first. Verified requests only, so only Slack (or a replayer of Slack's requests) fills it. */
export const REPLAY_MEMORY = 20_000;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Keys remembered until they expire, in insertion order, never more than `limit`: a request is
 * only replayable while its timestamp is inside the window, so nothing older need be kept.
 */
export class ReplayMemory {
  readonly #expiries = new Map<string, number>();
  constructor(readonly limit: number) {}

  has(key: string, at: number): boolean {
    const expires = this.#expiries.get(key);
    return expires !== undefined && expires > at;
  }

  remember(key: string, expires: number, at: number): void {
    for (const [oldest, until] of this.#expiries) {
      if (until > at && this.#expiries.size < this.limit) break;
      this.#expiries.delete(oldest);
    }
    this.#expiries.delete(key);
    this.#expiries.set(key, expires);
  }

  get size(): number {
    return this.#expiries.size;
  }
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * The path a request is routed by, as Bolt's HTTPReceiver reads it (WHATWG URL: `?` and `#`
 * cut off, dot segments and backslashes resolved), or undefined when it is no URL at all
 * (Bolt then routes it nowhere either).
 */
function routedPath(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/**
 * In front of Bolt: refuses a timestamp more than five minutes ahead (Bolt refuses stale ones
 * only), verifies the signature itself, and only then remembers the request, keyed on what the
 * signature covers (timestamp and body): nothing an unsigned sender chooses is ever stored, and
 * bytes Bolt ignores (a tail on the signature) make no new key. The same signed request again
 * is refused; Slack's own retry (X-Slack-Retry-Num: same body) of a request already handled is
 * answered 200 and does nothing. Across instances, handlers are idempotent on keys in Postgres.
 * Wall-clock time on purpose: it is compared with the sender's clock, not with the domain's.
 *
 * Every request Bolt would take as a Slack event passes here first (the same method and path
 * test as Bolt's), and only verified ones reach it: the receiver behind need not verify again.
 */
export function guardSlackRequests(
  inner: Listener,
  options: { path: string; signingSecret: string; bodyLimit?: number; now?: () => number; memory?: ReplayMemory },
): Listener {
  const now = options.now ?? Date.now;
  const seen = options.memory ?? new ReplayMemory(REPLAY_MEMORY);
  return (req, res) => {
    if (req.method?.toUpperCase() !== 'POST' || routedPath(req.url) !== options.path) return inner(req, res);
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const refuse = (status: number) => {
      req.resume();
      if (!res.headersSent) res.writeHead(status).end();
    };
    if (Number.isFinite(timestamp) && timestamp * 1000 > now() + MAX_SKEW_SECONDS * 1000) return refuse(401);
    void HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      {
        enabled: true,
        signingSecret: options.signingSecret,
        bodyLimit: options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit,
      },
      req,
    ).then(
      (buffered) => {
        // Unsigned ssl_check pings are answered by Bolt and change nothing: nothing to remember.
        if (req.headers['x-slack-signature'] === undefined) return inner(buffered, res);
        const at = now();
        const body = sha256(buffered.rawBody);
        const request = `r:${timestamp}:${body}`;
        const content = `b:${body}`;
        const handled = seen.has(content, at);
        if (req.headers['x-slack-retry-num'] !== undefined && handled) return void res.writeHead(200).end();
        if (seen.has(request, at)) return refuse(401);
        const expires = Math.max(timestamp * 1000, at) + MAX_SKEW_SECONDS * 1000;
        seen.remember(request, expires, at);
        seen.remember(content, expires, at);
        return inner(buffered, res);
      },
      (error: unknown) => {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
        refuse(tooLarge ? 413 : 401);
      },
    );
  };
}
