import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../..', import.meta.url).pathname;
const SCREENSHOT = join(ROOT, 'test-results/sandbox.png');
const CHANNEL_SCREENSHOT = join(ROOT, 'test-results/sandbox-channel.png');
const README_SCREENSHOT = join(ROOT, 'docs/sandbox.png');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** main.ts force-exits after 10 s of draining; past this the whole process group is killed. */
const STOP_TIMEOUT_MS = 15_000;
/** tsx start-up, migrations and PGlite's first open take a few seconds on these machines. */
const START_TIMEOUT_MS = 45_000;
const STEP_TIMEOUT_MS = 10_000;

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser tests skipped: ${CHROMIUM} not found`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!hasChromium)('sandbox in a browser (npm start without Slack tokens)', () => {
  const dirs: string[] = [];
  const output: string[] = [];
  const pageErrors: string[] = [];
  let child: ChildProcess;
  let browser: BrowserContext;
  let page: Page;
  let url = '';

  beforeAll(async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'pii-sandbox-db-'));
    dirs.push(dataDir);
    // The binary `npx tsx` resolves to, run directly: npm's wrapper dies on SIGTERM without waiting
    // for the bot (which is orphaned, its exit code lost); tsx relays the signal and exits with the bot's code.
    // Only what a developer's shell would surely have in the environment: the sandbox starts from nothing.
    child = spawn(TSX, ['src/main.ts'], {
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
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Sandbox ready" within ${START_TIMEOUT_MS} ms:\n${output.join('')}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', (d: Buffer) => {
        output.push(d.toString());
        const match = /Sandbox ready: open (\S+)/.exec(output.join(''));
        if (match?.[1]) {
          clearTimeout(timer);
          url = match[1];
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output.join('')}`)));
    });
    const profile = mkdtempSync(join(tmpdir(), 'pii-sandbox-chromium-'));
    dirs.push(profile);
    browser = await chromium.launchPersistentContext(profile, {
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
      viewport: { width: 1360, height: 860 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      const group = -child.pid;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => process.kill(group, 'SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      expect(code, `the sandbox did not stop cleanly:\n${output.join('').slice(-3000)}`).toBe(0);
      expect(output.join('')).toContain('"msg":"stopped"');
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Every view the bot builds must render without a placeholder for an unknown block or element. */
  async function expectNoPlaceholders(step: string): Promise<void> {
    const unknown = await page.locator('.bk-unknown').allTextContents();
    expect(unknown, `placeholders after "${step}"`).toEqual([]);
    expect(pageErrors, `script errors after "${step}"`).toEqual([]);
  }

  const statusLine = () => page.locator('#status-line');
  const ephemerals = () => page.locator('#messages .msg--ephemeral');

  it('walks through intake, /pii status, a card button, personas and the Home tab', async () => {
    await page.goto(url);
    await page.locator('#messages .empty').waitFor();
    await expectNoPlaceholders('open the page');

    await page.click('#sample');
    await expect.poll(() => statusLine().textContent()).toMatch(/Application #\d+ \(.+\) created/);
    const [, id, org] = /Application #(\d+) \((.+)\) created/.exec((await statusLine().textContent()) ?? '') ?? [];
    const card = page.locator('#messages .msg:not(.msg--ephemeral)', { has: page.locator('.bk-header', { hasText: org ?? '' }) });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain(`#${id}`);
    await expectNoPlaceholders('create a sample application');

    await page.fill('#command', `/pii status ${id}`);
    await page.press('#command', 'Enter');
    await ephemerals().first().waitFor();
    expect(await ephemerals().first().textContent()).toContain(`#${id} ${org}`);
    expect(await ephemerals().first().textContent()).toContain('Only visible to you');
    expect(await statusLine().textContent()).toContain('HTTP 200');
    await expectNoPlaceholders('/pii status');

    await card.locator('button[data-action-id="card.status"]').click();
    await expect.poll(() => ephemerals().count()).toBe(2);
    expect(await ephemerals().nth(1).textContent()).toContain(`#${id} ${org}`);
    await expect.poll(() => statusLine().textContent()).toContain('block_actions card.status');
    await expectNoPlaceholders('card button "Status & history"');
    await page.screenshot({ path: CHANNEL_SCREENSHOT });

    await page.selectOption('#persona', 'U0ARCHIT01');
    await page.locator('body[data-user="U0ARCHIT01"]').waitFor();
    expect(await ephemerals().count()).toBe(0);
    await card.waitFor();
    expect(await page.locator('#persona-detail').textContent()).toContain('America/Los_Angeles');
    await expectNoPlaceholders('switch persona');

    await page.click('#nav-home');
    await page.locator('#home').waitFor();
    await expect.poll(() => statusLine().textContent()).toContain('app_home_opened · HTTP 200');
    expect(await page.locator('#home').textContent()).toMatch(/\S/);
    await expectNoPlaceholders('open the Home tab');

    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    copyFileSync(SCREENSHOT, README_SCREENSHOT);
  });
});
