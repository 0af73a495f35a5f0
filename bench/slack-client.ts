import { Worker } from 'node:worker_threads';
import type { SlackSide } from './slack-types.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * Starts the Slack side (emulator + load generator) in a worker thread and answers a proxy
 * whose methods run there. tsx's loader is registered inside the worker, which does not
 * inherit the main thread's hooks.
 */
export async function startSlackSide(): Promise<SlackSide & { terminate(): Promise<void> }> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./slack-side.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(boot, { eval: true });
  const pending = new Map<number, Pending>();
  let seq = 0;
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', function ready(message: { ready?: boolean }) {
      if (message.ready) {
        worker.off('message', ready);
        worker.off('error', reject);
        resolve();
      }
    });
  });
  worker.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`slack side: ${message.error}`));
    else waiting?.resolve(message.result);
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  const call =
    (method: keyof SlackSide) =>
    (args?: unknown): Promise<any> =>
      new Promise((resolve, reject) => {
        seq += 1;
        pending.set(seq, { resolve, reject });
        worker.postMessage({ id: seq, method, args });
      });
  const methods: (keyof SlackSide)[] = [
    'start',
    'target',
    'intake',
    'openModals',
    'submit',
    'load',
    'mark',
    'waitCalls',
    'lastCallAt',
    'faults',
    'pacing',
    'profileStart',
    'profileStop',
    'close',
  ];
  const proxy = Object.fromEntries(methods.map((m) => [m, call(m)])) as unknown as SlackSide;
  return {
    ...proxy,
    async terminate() {
      await proxy.close().catch(() => {});
      await worker.terminate();
    },
  };
}
