import { readlinkSync } from 'node:fs';
import { type MessagePort, parentPort } from 'node:worker_threads';

/** An error as text for the other thread: its stack where it has one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** This thread's id in the kernel (/proc/thread-self is `<pid>/task/<tid>`), where Linux tells it. */
function kernelThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Answers the main thread's calls of `api`'s methods in this worker (`{ id, method, args }` →
 * `{ id, result }` or `{ id, error }`), hands a port the main thread sends (`{ port }`) to
 * `onPort`, and says it is ready, with its kernel thread id (so the bench can tell its CPU apart).
 */
export function serveWorker(api: object, onPort?: (port: MessagePort) => void): void {
  const methods = api as Record<string, (args: unknown) => Promise<unknown>>;
  parentPort?.on('message', async (message: { id?: number; method?: string; args?: unknown; port?: MessagePort }) => {
    if (message.port) return onPort?.(message.port);
    const { id, method, args } = message;
    if (id === undefined || method === undefined) return;
    try {
      const result = await methods[method]?.(args);
      parentPort?.postMessage({ id, result });
    } catch (error) {
      parentPort?.postMessage({ id, error: errorText(error) });
    }
  });
  parentPort?.postMessage({ ready: true, tid: kernelThreadId() });
}
