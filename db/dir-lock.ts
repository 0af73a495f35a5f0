import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The file in a PGlite data directory that names the process holding it (as Postgres's postmaster.pid does). */
export const LOCK_FILE = 'pii-review.lock';

/** The data directory is held by another live process: opening it too would corrupt it. */
export class DataDirectoryLocked extends Error {
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `The PGlite data directory ${directory} is in use by another process (pid ${pid}): ` +
        'another `npm start` (or a script on the same PGLITE_DIR) is running. Stop it first, or set PGLITE_DIR to another directory.',
    );
    this.name = 'DataDirectoryLocked';
  }
}

/** Directories this process holds: a second open in the same process is refused too, and exit lets them go. */
const held = new Set<string>();
let exitHook = false;

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process runs with this pid; a zombie (dead, not yet reaped) does not count. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: "<pid> (<comm>) <state> …"; Z is a zombie.
    return !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function create(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx'); // O_CREAT | O_EXCL: only one process can create it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the data directory for this process, or throws DataDirectoryLocked naming the pid that
 * holds it. A lock left by a process that is gone (killed, crashed, or an earlier run of a
 * container whose process had this very pid) is taken over. Answers the release.
 */
export function lockDataDirectory(directory: string): () => void {
  const dir = resolve(directory);
  if (held.has(dir)) throw new DataDirectoryLocked(dir, process.pid);
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    if (create(file)) break;
    const holder = readPid(file);
    // Empty or unreadable: another process is between creating it and writing its pid.
    if (holder === undefined && attempt < 20) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      continue;
    }
    if (holder !== undefined && holder !== process.pid && processAlive(holder)) throw new DataDirectoryLocked(dir, holder);
    if (attempt >= 25) throw new DataDirectoryLocked(dir, holder ?? 0);
    // Stale: moved aside atomically, so of two processes taking it over only one removes it.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readPid(aside);
    if (moved !== holder) {
      // Between our read and the move another process took it over: give it back and say who holds it.
      try {
        linkSync(aside, file);
      } catch {}
      unlinkSync(aside);
      throw new DataDirectoryLocked(dir, moved ?? 0);
    }
    unlinkSync(aside);
  }
  held.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of held) release(d);
    });
  }
  return () => release(dir);
}

function release(dir: string): void {
  if (!held.delete(dir)) return;
  const file = join(dir, LOCK_FILE);
  try {
    if (readPid(file) === process.pid) unlinkSync(file);
  } catch {}
}
