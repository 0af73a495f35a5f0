import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackRequester, type SlackRequester } from '../../src/sandbox/slack-requests.ts';
import { CHANNEL, type Harness, SIGNING_SECRET } from './harness.ts';

export type RawRequest = { body: string; contentType: string };

/**
 * The exact body Slack would send for an interaction, caught before it reaches the bot, so a
 * test can sign it (or forge, age, replay it) as it likes and send it itself.
 */
export async function captureSlackRequest(h: Harness, send: (slack: SlackRequester) => Promise<unknown>): Promise<RawRequest> {
  let caught: RawRequest | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      caught = { body: Buffer.concat(chunks).toString('utf8'), contentType: String(req.headers['content-type']) };
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const slack = createSlackRequester({
      botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      emulator: h.emulator,
      emulatorUrl: h.emulator.url,
      channelId: CHANNEL,
    });
    await send(slack);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  if (!caught) throw new Error('nothing was sent');
  return caught;
}

/** POSTs a raw Slack request to the bot's /slack/events with exactly these headers. */
export function sendRaw(h: Harness, request: RawRequest, headers: Record<string, string>) {
  return sendRawTo(h, '/slack/events', request, headers);
}

/**
 * POSTs a raw Slack request to the bot at a request target spelled exactly as given (`#`, dot
 * segments, backslashes and all: fetch would normalise them away first).
 */
export function sendRawTo(h: Harness, target: string, request: RawRequest, headers: Record<string, string>) {
  const { hostname, port } = new URL(h.baseUrl);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: 'POST', path: target, headers: { 'content-type': request.contentType, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
