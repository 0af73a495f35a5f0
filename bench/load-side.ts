/**
 * The bench's load generator, in a thread of its own: sends the requests the emulator's thread
 * built and signed (bench/slack-side.ts), as many at once as the level's concurrency, and times
 * each from send to its whole answer read. Nothing else runs on this thread, so a latency is
 * the bot's answer and the loopback, never the emulator's work on a card.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SignedRequest } from '../src/sandbox/slack-requests.ts';
import type { LoadResult, LoadSide } from './slack-types.ts';
import { serveWorker } from './worker-rpc.ts';

let emulator: MessagePort | undefined;
const asked = new Map<number, { resolve: (requests: SignedRequest[]) => void; reject: (error: Error) => void }>();
let seq = 0;

/** The planned requests `from` to `to`, built and signed by the emulator's thread now. */
function build(from: number, to: number): Promise<SignedRequest[]> {
  const port = emulator;
  if (!port) return Promise.reject(new Error('the load generator is not connected to the emulator'));
  seq += 1;
  const id = seq;
  return new Promise((resolve, reject) => {
    asked.set(id, { resolve, reject });
    port.postMessage({ id, from, to });
  });
}

const api: LoadSide = {
  async load({ count, concurrency }): Promise<LoadResult> {
    // Requests are built a chunk at a time, a little ahead of use: a click's trigger (3 s, as
    // Slack's) and a request's signature are fresh when it is sent, whatever the level's pace.
    const chunk = Math.max(10, concurrency);
    const chunks: Promise<SignedRequest[]>[] = [];
    const chunkAt = (c: number) => {
      chunks[c] ??= build(c * chunk, Math.min(count, (c + 1) * chunk));
      return chunks[c];
    };
    const take = async (i: number): Promise<SignedRequest> => {
      const c = Math.floor(i / chunk);
      // The next chunk is built while this one is sent (a failure surfaces when it is taken).
      if ((c + 1) * chunk < count) chunkAt(c + 1).catch(() => {});
      const request = (await chunkAt(c))[i - c * chunk];
      if (!request) throw new Error(`request ${i} was not built`);
      return request;
    };
    const latencies = new Array<number>(count).fill(Number.NaN);
    const statuses = new Array<number>(count).fill(0);
    let next = 0;
    let startedAt = 0;
    let started = 0;
    await take(0);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < count; i = next++) {
          const request = await take(i);
          const t = performance.now();
          if (started === 0) {
            started = t;
            startedAt = Date.now();
          }
          try {
            const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
            await response.text();
            statuses[i] = response.status;
          } catch {
            statuses[i] = -1;
          }
          latencies[i] = performance.now() - t;
        }
      }),
    );
    return { latencies, statuses, wallMs: performance.now() - started, startedAt };
  },
};

serveWorker(api, (port) => {
  emulator = port;
  port.on('message', ({ id, requests, error }: { id: number; requests?: SignedRequest[]; error?: string }) => {
    const waiting = asked.get(id);
    asked.delete(id);
    if (error !== undefined) waiting?.reject(new Error(`emulator: ${error}`));
    else waiting?.resolve(requests ?? []);
  });
});
