import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { freePort } from '../support/ports.ts';

/** Shared by the browser tests that run the real bot (`npm start` without Slack tokens) against Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = new URL('../..', import.meta.url).pathname;
/** main.ts force-exits after 10 s of draining; past this the whole process group is killed. */
const STOP_TIMEOUT_MS = 15_000;
/** tsx start-up, migrations and PGlite's first open take a few seconds on these machines. */
const START_TIMEOUT_MS = 45_000;
export const STEP_TIMEOUT_MS = 10_000;
/** Past Slack's 3 s trigger lifetime: a modal not open by then will not open from that click. */
const TRIGGER_GONE_MS = 4_000;

/**
 * Clicks a button that opens a modal until the modal is open. A thread post redraws its card
 * (as a new message version does in Slack), and a click that lands on the card just as it is
 * replaced opens nothing; a modal that has not opened once the click's trigger has expired
 * never will, so clicking again cannot open it twice. `first` is the counted page action.
 */
export async function clickUntilOpen(
  first: () => Promise<void>,
  again: () => Promise<void>,
  opened: { waitFor(options: { timeout: number }): Promise<void> },
): Promise<void> {
  await first();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await opened.waitFor({ timeout: TRIGGER_GONE_MS });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await again();
    }
  }
}

/**
 * Scrolls to an element the page may redraw meanwhile: a thread post redraws its card and the
 * messages after it (as a new message version does in Slack), and an element replaced during
 * the scroll is no longer attached. The locator finds the new one on the next attempt.
 */
export async function scrollIntoView(target: Locator): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: STEP_TIMEOUT_MS });
      return;
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('not attached')) throw error;
    }
  }
}

export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser tests skipped: ${CHROMIUM} not found`);

export type RunningSandbox = {
  /** The page's address, as the bot printed it (ends in "/"). */
  url: string;
  /** Everything the bot wrote to stdout and stderr so far. */
  output: string[];
  /** SIGTERM, then wait for the exit (SIGKILL to the group after 15 s); removes the data directory unless it was given. */
  stop(): Promise<number | null>;
};

/**
 * Starts `src/main.ts` as a developer would with `npm start`: an empty environment (only PATH
 * and HOME), a fresh PGlite directory and a free port; resolves once it prints "Sandbox ready".
 * `dataDir`: the data directory of an earlier start (its `pglite`), kept on stop: a restart.
 */
export async function startSandbox(options: { dataDir?: string } = {}): Promise<RunningSandbox> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pii-sandbox-db-'));
  const output: string[] = [];
  // Node with tsx's loader, so SIGTERM reaches the bot itself: npm's wrapper dies on SIGTERM without
  // waiting for the bot (orphaned, its exit code lost), and the tsx binary's relay SIGKILLs a bot that
  // does not acknowledge the signal within about 60 ms (a busy event loop on a loaded machine), exiting 143.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      PGLITE_DIR: join(dataDir, 'pglite'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const cleanup = () => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "Sandbox ready" within ${START_TIMEOUT_MS} ms:\n${output.join('')}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (d: Buffer) => {
      output.push(d.toString());
      const match = /Sandbox ready: open (\S+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}:\n${output.join('')}`));
    });
  }).catch((error: unknown) => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    cleanup();
    throw error;
  });

  return {
    url,
    output,
    async stop() {
      try {
        if (child.pid === undefined || child.exitCode !== null) return child.exitCode;
        const group = -child.pid;
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        // The bot itself, not tsx: tsx relays a signal and SIGKILLs its child unless the child says within
        // ~60 ms that it got it, which a bot busy posting (PGlite blocks the event loop) may not.
        process.kill(botPid(child.pid) ?? child.pid, 'SIGTERM');
        const timer = setTimeout(() => process.kill(group, 'SIGKILL'), STOP_TIMEOUT_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      } finally {
        cleanup();
      }
    },
  };
}

/** The node process tsx runs the bot in (tsx's only child), read from /proc; undefined elsewhere. */
function botPid(tsxPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${tsxPid}/task/${tsxPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length === 1 ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

export type Browser = {
  browser: BrowserContext;
  page: Page;
  /** Uncaught script errors of the page. */
  pageErrors: string[];
  close(): Promise<void>;
};

/** Headless Chromium with a throw-away profile and one page. */
export async function openBrowser(viewport = { width: 1360, height: 860 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'pii-sandbox-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  return {
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
