import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

/**
 * CPU spent while `fn` runs: the main thread's busy time (event-loop utilisation: the bot, its
 * drivers and, on PGlite, the database), the whole process (which includes the Slack side's
 * threads), and every `postgres` process on the machine (the server; other users of it count too).
 */
export type CpuSample = {
  /** CPU time of the bot's thread (/proc/self/task/<pid>/stat), or its busy wall time where /proc cannot tell. */
  mainMs: number;
  /** Busy wall time of the bot's thread (event-loop utilisation): on a loaded machine it also counts waiting for a core. */
  busyMs: number;
  processMs: number;
  /** CPU time of each named thread of this process (the Slack side's load generator and emulator). */
  threadsMs: Record<string, number | undefined>;
  postgresMs: number | undefined;
};

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of every process named postgres, in ms; undefined where /proc cannot tell. */
function postgresCpuMs(): number | undefined {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      if (name !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * TICK_MS;
  } catch {
    return undefined;
  }
}

/** utime + stime of one of this process's threads (by default the main one, the bot's), in ms. */
function threadCpuMs(tid: number = process.pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

const elapsed = (before: number | undefined, after: number | undefined) =>
  before !== undefined && after !== undefined ? after - before : undefined;

export async function measureCpu(fn: () => Promise<void>, threads: Record<string, number | undefined> = {}): Promise<CpuSample> {
  const named = Object.entries(threads);
  const threadsAt = () => named.map(([, tid]) => (tid === undefined ? undefined : threadCpuMs(tid)));
  const elu = performance.eventLoopUtilization();
  const usage = process.cpuUsage();
  const pgBefore = postgresCpuMs();
  const threadsBefore = threadsAt();
  const mainBefore = threadCpuMs();
  await fn();
  const mainAfter = threadCpuMs();
  const threadsAfter = threadsAt();
  const pgAfter = postgresCpuMs();
  const spent = process.cpuUsage(usage);
  const busyMs = performance.eventLoopUtilization(elu).active;
  return {
    mainMs: elapsed(mainBefore, mainAfter) ?? busyMs,
    busyMs,
    processMs: (spent.user + spent.system) / 1000,
    threadsMs: Object.fromEntries(named.map(([name], i) => [name, elapsed(threadsBefore[i], threadsAfter[i])])),
    postgresMs: elapsed(pgBefore, pgAfter),
  };
}

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] };

export type ProfileSummary = {
  totalMs: number;
  /** Self time by where the code lives (our src, drizzle, pg, Bolt, zod, pino, node internals...). */
  byArea: { area: string; ms: number }[];
  /** Self time of the heaviest functions. */
  byFunction: { name: string; ms: number }[];
};

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return name;
  if (!url) return 'native / runtime';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(src|views|db|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]?.split('/')[0] ?? ''}`;
  return url;
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.*)$/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/((?:src|views|db|bench)\/.*)$/.exec(url)?.[1];
  return own ?? url;
}

/** Self time per node from the samples, then summed by area and by function. */
export function summarizeProfile(profile: Profile, top = 25): ProfileSummary {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    // The in-thread inspector's own `dispatch` (Profiler.stop serialising the profile): not the app's.
    if (functionName === 'dispatch' && !url) continue;
    total += ms;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    byArea: sorted(areas).map(([area, ms]) => ({ area, ms })),
    byFunction: sorted(functions)
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms })),
  };
}

/** Starts the V8 sampling profiler of the calling thread; `stop` answers its summary. */
export async function startProfile(): Promise<{ stop(): Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  } catch (error) {
    session.disconnect();
    throw error;
  }
  return {
    async stop() {
      try {
        const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
        return summarizeProfile(profile);
      } finally {
        session.disconnect();
      }
    },
  };
}

/** Runs `fn` under the V8 sampling profiler of this (the bot's) thread. */
export async function profileCpu(fn: () => Promise<void>): Promise<ProfileSummary> {
  const profiler = await startProfile();
  try {
    await fn();
  } catch (error) {
    await profiler.stop();
    throw error;
  }
  return profiler.stop();
}
