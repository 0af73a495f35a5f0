import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SeenRequest = { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };

export type WebApiStandIn = {
  /** WebClient's `slackApiUrl`: `http://127.0.0.1:<port>/api/`. */
  apiUrl: string;
  /** Every request, in order, with its whole body. */
  seen: SeenRequest[];
  close(): Promise<void>;
};

/**
 * A Web API stand-in on loopback for the client's own tests: records what each request carried
 * and answers it by method name (the last segment of the path) with `answer`.
 */
export async function startWebApiStandIn(answer: (method: string, res: ServerResponse) => void): Promise<WebApiStandIn> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req.url?.split('/').pop() ?? '', res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
