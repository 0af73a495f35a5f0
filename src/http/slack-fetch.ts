import type { FetchFunction } from '@slack/web-api';
import { request } from 'undici';

/** What the client reads of an answer. */
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * The Web API client's HTTP transport (WebClient's `fetch` option): undici's `request` for the
 * form-encoded calls the client makes, answered as the plain object the client reads
 * (`FetchResponse`); the platform's `fetch` for anything else (file uploads, which send FormData).
 *
 * Node's `fetch` is undici's too, behind the WHATWG layer (a Request, a stream per body, a
 * Response, Headers): measured on this project's bench machine, a `chat.postMessage` with a card cost the
 * calling thread 0.33 ms through it and 0.17 ms through this, and the whole process 0.44 against
 * 0.23 ms (README, Performance). Every card update, thread line and modal is such a call.
 *
 * What the client reads of the answer (status, headers, body) is the same either way; a
 * timeout (`signal`) aborts the request; no redirect is followed (the client asks for
 * `redirect: 'error'`, and Slack's Web API does not redirect), so a 3xx is an HTTP error to the
 * client as every status but 200 is.
 */
export const slackFetch: FetchFunction = async (url, init) => {
  const body = init?.body;
  if (typeof body !== 'string' || init?.method !== 'POST') {
    // The platform's Headers has entries() (the DOM typings this project compiles against lack it).
    return (await fetch(url, init)) as unknown as FetchResponse;
  }
  const answer = await request(url, { method: 'POST', headers: init.headers, body, signal: init.signal });
  // Read whole, whatever the status (an answer without a body reads as empty): the connection goes back to the pool.
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const headerOf = (name: string): string | null => {
    const value = answer.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    ok: answer.statusCode >= 200 && answer.statusCode < 300,
    status: answer.statusCode,
    statusText: '',
    url: String(url),
    headers: {
      get: headerOf,
      *entries() {
        for (const name of Object.keys(answer.headers)) {
          const value = headerOf(name);
          if (value !== null) yield [name, value] as [string, string];
        }
      },
    },
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    text: async () => bytes.toString('utf8'),
    json: async () => JSON.parse(bytes.toString('utf8')) as unknown,
  };
};
