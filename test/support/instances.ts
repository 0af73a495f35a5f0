import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../db/client.ts';
import type { RunningApp } from '../../src/app.ts';
import type { Clock } from '../../src/clock.ts';
import { createWebhookRelay } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import type { SlackRequester } from '../../src/sandbox/slack-requests.ts';
import { INTAKE_TOKEN, startTestApp } from './harness.ts';
import { LogCapture } from './logs.ts';

/** One bot instance of several behind a load balancer: its own app and pool, a Slack shared with the others. */
export type Instance = {
  name: string;
  baseUrl: string;
  app: RunningApp;
  slack: SlackRequester;
  logs: LogCapture;
  post(path: string, body: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
};

export async function startInstance(
  name: string,
  options: { database: Database; emulator: RunningEmulator; clock: Clock },
): Promise<Instance> {
  const logs = new LogCapture();
  const { app, baseUrl, slack } = await startTestApp({
    ...options,
    logger: createLogger('debug', logs).child({ instance: name }),
  });
  return {
    name,
    baseUrl,
    app,
    logs,
    slack,
    async post(path, body) {
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    stop: () => app.stop(),
  };
}

/** A webhook receiver on loopback that records every body it acknowledges. */
export async function startWebhookReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every webhook the relay sends of the events recorded so far, as bodies the receiver acknowledged. */
export async function relayedWebhooks(db: Database['db'], clock: Clock): Promise<string[]> {
  const receiver = await startWebhookReceiver();
  try {
    const relay = createWebhookRelay({ db, clock, logger: createLogger('silent'), url: receiver.url, secret: 's' });
    while ((await relay.drain()) > 0) {}
    return [...receiver.bodies];
  } finally {
    await receiver.close();
  }
}
