import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { LOCK_FILE } from '../../db/dir-lock.ts';
import { machineEnv } from '../support/bot-process.ts';
import { freePort } from '../support/ports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pii-pglite-lock-'));
  dirs.push(dir);
  return dir;
};
/** A live process other than this one, whose pid a lock file can name. */
function otherProcess(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}
const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exited(child);
  }
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the PGlite data directory, one process at a time', () => {
  it('refuses a second open at once, naming the directory and the pid that holds it, and lets go on close', async () => {
    const dir = dataDir();
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(
        `The PGlite data directory ${dir} is in use by another process (pid ${process.pid})`,
      );
      await first.migrate();
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    await again.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = dataDir();
    const gone = otherProcess();
    const pid = gone.pid ?? 0;
    gone.kill('SIGKILL');
    await exited(gone);
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await database.close();
    }
  });

  it('a second `npm start` on a held directory stops at once with a clear message, before touching the database', async () => {
    const dir = dataDir();
    const holder = otherProcess();
    writeFileSync(join(dir, LOCK_FILE), `${holder.pid}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...machineEnv(), PORT: String(await freePort()), PGLITE_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain('pii-review cannot start.');
    expect(stderr).toContain(`The PGlite data directory ${dir} is in use by another process (pid ${holder.pid})`);
    expect(stderr).not.toContain('Failed query');
    // Neither opened nor migrated: PGlite never initialised the directory.
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(holder.pid));
  }, 60_000);
});
