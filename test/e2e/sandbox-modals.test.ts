import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS, startTestBot, type TestBot } from '../unit/sandbox/ui-test-bot.ts';

const CHROMIUM = '/usr/bin/chromium';
const RILEY = 'U0REVIEW01';
const ADA = 'U0ARCHIT01';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser tests skipped: ${CHROMIUM} not found`);

/**
 * The page's own logic (reading controls, confirm dialogs, keeping typed values, Home) against
 * a Bolt app that has modals; the real bot is covered by sandbox.test.ts.
 */
describe.skipIf(!hasChromium)('sandbox UI modals and Home in a browser', () => {
  let bot: TestBot;
  let browser: BrowserContext;
  let page: Page;
  let profile = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    bot = await startTestBot();
    profile = mkdtempSync(join(tmpdir(), 'pii-sandbox-chromium-'));
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
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${bot.baseUrl}?user=${RILEY}`);
    await page.locator(`body[data-user="${RILEY}"]`).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  const modal = () => page.locator('#modal-root .modal-card');
  const block = (id: string) => modal().locator(`[data-block-id="${id}"]`);
  const status = () => page.locator('#status-line');

  async function openModal(): Promise<void> {
    await page.fill('#command', '/pii modal');
    await page.press('#command', 'Enter');
    await modal().locator('form.bk-view--modal').waitFor();
  }

  it('collects every element in Slack’s shapes, shows field errors and keeps what was typed', async () => {
    await openModal();
    await modal().locator('.bk-view-submit').click();
    await block('name').locator('.bk-input-error', { hasText: 'Please complete this required field.' }).waitFor();
    expect(bot.submissions).toHaveLength(0);

    await block('name').locator('input').fill('Ada');
    await block('count').locator('input').fill('3');
    await block('email').locator('input').fill('ada@x.example');
    await block('pick').locator('select').selectOption('b');
    await block('many').locator('select').selectOption(['a', 'c']);
    await block('who').locator('select').selectOption(RILEY);
    await block('whos').locator('select').selectOption([RILEY, ADA]);
    await block('day').locator('input').fill('2026-03-01');
    await block('time').locator('input').fill('14:05');
    await block('when').locator('input').fill('2026-03-01T10:00');
    await block('checks').locator('input[value="c"]').check();
    await block('radio').locator('input[value="a"]').check();
    bot.mode = { kind: 'ack', body: { response_action: 'errors', errors: { name: 'That name is taken' } } };
    await modal().locator('.bk-view-submit').click();
    await block('name').locator('.bk-input-error', { hasText: 'That name is taken' }).waitFor();

    expect((bot.submissions[0] as any).view.state.values).toEqual({
      name: { v: { type: 'plain_text_input', value: 'Ada' } },
      count: { v: { type: 'number_input', value: '3' } },
      email: { v: { type: 'email_text_input', value: 'ada@x.example' } },
      site: { v: { type: 'url_text_input', value: null } },
      pick: { v: { type: 'static_select', selected_option: OPTIONS[1] } },
      many: { v: { type: 'multi_static_select', selected_options: [OPTIONS[0], OPTIONS[2]] } },
      who: { v: { type: 'users_select', selected_user: RILEY } },
      whos: { v: { type: 'multi_users_select', selected_users: [RILEY, ADA] } },
      day: { v: { type: 'datepicker', selected_date: '2026-03-01' } },
      time: { v: { type: 'timepicker', selected_time: '14:05' } },
      when: { v: { type: 'datetimepicker', selected_date_time: Date.UTC(2026, 2, 1, 9) / 1000 } },
      checks: { v: { type: 'checkboxes', selected_options: [OPTIONS[2]] } },
      radio: { v: { type: 'radio_buttons', selected_option: OPTIONS[0] } },
    });
    expect(await block('name').locator('input').inputValue()).toBe('Ada');
    expect(await block('pick').locator('select').inputValue()).toBe('b');
    expect(await block('checks').locator('input[value="c"]').isChecked()).toBe(true);
    expect(await page.locator('.bk-unknown').count()).toBe(0);
  });

  it('asks a button’s confirm question before sending anything', async () => {
    const danger = block('acts').locator('button[data-action-id="danger_btn"]');
    await danger.click();
    await page.locator('.confirm', { hasText: 'This cannot be undone.' }).waitFor();
    await page.locator('.confirm-deny', { hasText: 'Keep' }).click();
    expect(bot.actions).toHaveLength(0);
    await danger.click();
    await page.locator('.confirm-ok', { hasText: 'Delete' }).click();
    await expect.poll(() => bot.actions.length).toBe(1);
    expect((bot.actions[0] as any).actions[0]).toMatchObject({ action_id: 'danger_btn', value: 'del-1' });
    expect((bot.actions[0] as any).view.state.values.name.v.value).toBe('Ada');
  });

  it('shows a slow ack as an error and keeps the modal, then follows update and close', async () => {
    bot.mode = { kind: 'slow', ms: 3_300 };
    await modal().locator('.bk-view-submit').click();
    await expect.poll(() => status().textContent(), { timeout: 8_000 }).toContain('No ack within 3 s');
    expect(await status().getAttribute('data-level')).toBe('error');
    await modal().waitFor();

    const updated = {
      type: 'modal',
      callback_id: 'test_modal',
      notify_on_close: true,
      title: { type: 'plain_text', text: 'Step two' },
      blocks: [],
    };
    bot.mode = { kind: 'ack', body: { response_action: 'update', view: updated } };
    await modal().locator('.bk-view-submit').click();
    await modal().locator('.bk-view-title', { hasText: 'Step two' }).waitFor();

    await modal().locator('.modal-x').click();
    await expect.poll(() => modal().count()).toBe(0);
    expect(bot.closed).toHaveLength(1);
  });

  it('opens the Home tab, which the bot publishes on app_home_opened, and sends its actions', async () => {
    await page.click('#nav-home');
    await page.locator('#home .bk-header', { hasText: 'Your reviews' }).waitFor();
    await page.locator('#home button[data-action-id="home_btn"]').click();
    await expect.poll(() => bot.actions.some((a: any) => a.actions?.[0]?.action_id === 'home_btn')).toBe(true);
    const body = bot.actions.find((a: any) => a.actions?.[0]?.action_id === 'home_btn') as any;
    expect(body.container.type).toBe('view');
    expect(body.view.type).toBe('home');
    expect(pageErrors).toEqual([]);
  });
});
