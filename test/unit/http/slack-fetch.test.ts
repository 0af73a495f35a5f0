import type { ServerResponse } from 'node:http';
import { ErrorCode, type FetchFunction, LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackFetch } from '../../../src/http/slack-fetch.ts';
import { type SeenRequest, startWebApiStandIn, type WebApiStandIn } from '../../support/web-api-stand-in.ts';

/** A Web API stand-in: answers by method name, and records what each request carried. */
let standIn: WebApiStandIn;
let apiUrl: string;
let seen: SeenRequest[];
const answers: Record<string, (res: ServerResponse) => void> = {
  'chat.postMessage': (res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': ['a=1', 'b=2'] });
    res.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.000200' }));
  },
  'chat.update': (res) => {
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '7' });
    res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
  },
  'views.open': (res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('unavailable');
  },
  'conversations.info': (res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ok: false, error: 'channel_not_found' }));
  },
  'chat.getPermalink': () => {
    // Never answers: the client's timeout must end the call.
  },
};

beforeAll(async () => {
  standIn = await startWebApiStandIn((method, res) => (answers[method] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res));
  ({ apiUrl, seen } = standIn);
});
afterAll(() => standIn.close());

const client = (fetchFn?: FetchFunction) =>
  new WebClient('xoxb-test', {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 200,
    logLevel: LogLevel.ERROR,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });

describe("the Web API client's transport", () => {
  it('sends what the platform fetch sends and hands back the same answer', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Ünïcode & = ?' } }];
    seen.length = 0;
    const viaPlatform = await client().chat.postMessage({ channel: 'C1', text: 'card', blocks });
    const viaUndici = await client(slackFetch).chat.postMessage({ channel: 'C1', text: 'card', blocks });
    expect(viaUndici).toEqual(viaPlatform);
    expect(viaUndici).toMatchObject({ ok: true, channel: 'C1', ts: '1.000200' });
    const [platform, undici] = seen;
    expect(undici?.method).toBe('POST');
    expect(undici?.url).toBe('/api/chat.postMessage');
    expect(undici?.body).toBe(platform?.body);
    expect(new URLSearchParams(undici?.body).get('blocks')).toBe(JSON.stringify(blocks));
    for (const name of ['content-type', 'authorization', 'user-agent', 'content-length']) {
      expect(undici?.headers[name], name).toBe(platform?.headers[name]);
    }
  });

  it('keeps repeated answer headers', async () => {
    const response = await slackFetch(`${apiUrl}chat.postMessage`, { method: 'POST', body: 'channel=C1' });
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(response.url).toBe(`${apiUrl}chat.postMessage`);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it('gives a 429 its Retry-After, a refusal its code and any other status an HTTP error', async () => {
    const slack = client(slackFetch);
    await expect(slack.chat.update({ channel: 'C1', ts: '1.000200', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    await expect(slack.conversations.info({ channel: 'C404' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'channel_not_found' },
    });
    await expect(
      slack.views.open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    ).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
  });

  it("ends a call Slack never answers at the client's timeout", async () => {
    await expect(client(slackFetch).chat.getPermalink({ channel: 'C1', message_ts: '1.000200' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
  });

  it('leaves a body that is not form text (a file upload) to the platform fetch', async () => {
    const form = new FormData();
    form.set('channel', 'C1');
    seen.length = 0;
    const response = await slackFetch(`${apiUrl}chat.postMessage`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });
});
