import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, hasChromium, openBrowser, ROOT, type RunningSandbox, startSandbox } from './support.ts';

const SCREENSHOT = join(ROOT, 'test-results/sandbox.png');
const CHANNEL_SCREENSHOT = join(ROOT, 'test-results/sandbox-channel.png');

// docs/sandbox.png (the README's picture) is taken by journeys.test.ts: a card with its thread open.
describe.skipIf(!hasChromium)('sandbox in a browser (npm start without Slack tokens)', () => {
  let sandbox: RunningSandbox;
  let chromium: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let url = '';

  beforeAll(async () => {
    sandbox = await startSandbox();
    url = sandbox.url;
    chromium = await openBrowser();
    page = chromium.page;
    pageErrors = chromium.pageErrors;
  });

  afterAll(async () => {
    await chromium?.close();
    if (sandbox) {
      const code = await sandbox.stop();
      expect(code, `the sandbox did not stop cleanly:\n${sandbox.output.join('').slice(-3000)}`).toBe(0);
      expect(sandbox.output.join('')).toContain('"msg":"stopped"');
    }
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
    await page.screenshot({ path: SCREENSHOT });
  });

  it('opens a card from the Home in the page, by its permalink, instead of leaving it', async () => {
    await page.selectOption('#persona', 'U0REVIEW01');
    await page.locator('body[data-user="U0REVIEW01"]').waitFor();
    await page.click('#nav-home');
    const open = page.locator('#home [data-action-id="home.open_card"]').first();
    await open.waitFor();
    await open.click();
    const linked = page.locator('#messages .msg--linked');
    // On a loaded machine (CI's Postgres phase runs this beside the integration suites on two
    // cores) the page took longer than a locator's default 10 s to load the channel and mark it.
    await linked.waitFor({ timeout: 30_000 });
    // The page renders the linked card after scrolling to it: wait for its blocks, not only its frame
    // (as long as a locator waits: on a loaded machine the render took longer than the poll's default second).
    await expect.poll(() => linked.locator('.bk-header').count(), { timeout: 30_000 }).toBe(1);
    expect(page.url()).toBe(url);
    await expectNoPlaceholders('open card from the Home');
  });
});
