import { MessageChannel, Worker } from 'node:worker_threads';
import type { EmulatorSide, LoadSide, SlackSide } from './slack-types.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * Starts a worker thread from a TypeScript entry (tsx's loader is registered inside the worker,
 * which does not inherit the main thread's hooks) and answers a caller of its methods.
 */
async function startWorker(file: string) {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL(file, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(boot, { eval: true });
  const pending = new Map<number, Pending>();
  let seq = 0;
  const tid = await new Promise<number | undefined>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', function ready(message: { ready?: boolean; tid?: number }) {
      if (message.ready) {
        worker.off('message', ready);
        worker.off('error', reject);
        resolve(message.tid);
      }
    });
  });
  worker.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`${file}: ${message.error}`));
    else waiting?.resolve(message.result);
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  const call =
    (method: string) =>
    (args?: unknown): Promise<any> =>
      new Promise((resolve, reject) => {
        seq += 1;
        pending.set(seq, { resolve, reject });
        worker.postMessage({ id: seq, method, args });
      });
  return { worker, call, tid };
}

/**
 * Starts the Slack side: the emulator (which also builds and signs the requests Slack sends)
 * and the load generator (which sends and times the measured ones), each in a worker thread of
 * its own, joined by a port; answers a proxy whose methods run there.
 */
export async function startSlackSide(): Promise<SlackSide & { terminate(): Promise<void> }> {
  const emulator = await startWorker('./slack-side.ts');
  const load = await startWorker('./load-side.ts');
  const { port1, port2 } = new MessageChannel();
  emulator.worker.postMessage({ port: port1 }, [port1]);
  load.worker.postMessage({ port: port2 }, [port2]);
  const methods: (keyof EmulatorSide)[] = [
    'start',
    'target',
    'intake',
    'openModals',
    'submit',
    'plan',
    'mark',
    'waitCalls',
    'lastCallAt',
    'faults',
    'pacing',
    'profileStart',
    'profileStop',
    'close',
  ];
  const proxy = Object.fromEntries(methods.map((m) => [m, emulator.call(m)])) as unknown as EmulatorSide;
  const loader = { load: load.call('load') } as LoadSide;
  return {
    ...proxy,
    threads: { 'load generator': load.tid, emulator: emulator.tid },
    async load({ specs, concurrency }) {
      await proxy.plan({ specs });
      return loader.load({ count: specs.length, concurrency });
    },
    async terminate() {
      await proxy.close().catch(() => {});
      await Promise.all([emulator.worker.terminate(), load.worker.terminate()]);
    },
  };
}
