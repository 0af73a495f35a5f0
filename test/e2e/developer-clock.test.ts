// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's locator.innerText() reads what the user sees, line breaks included; it is no DOM property.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../../src/sandbox/personas.ts';
import { wallClock, zonedHour } from '../../src/sandbox/wall-clock.ts';
import {
  type Browser,
  clickUntilOpen,
  hasChromium,
  openBrowser,
  ROOT,
  type RunningSandbox,
  STEP_TIMEOUT_MS,
  startSandbox,
} from './support.ts';

/**
 * The sandbox plays every side: the developer (the Developer panel, through the real intake API)
 * and the clock (jumps that run the reminder sweep). Every step is a page action a newcomer
 * would take; the journey counts them.
 */

const RILEY = 'U0REVIEW01';
const ADA = 'U0ARCHIT01';
const RESULTS = join(ROOT, 'test-results');
const JOURNEY_TIMEOUT_MS = 180_000;
const DAY_MS = 86_400_000;
const MAX_JOURNEY_ACTIONS = 45;
/** How `/pii audits` words an application an audit may now come to (none scheduled). */
const AUDIT_ELIGIBLE_WORDING = 'eligible since';
const tzOf = (id: string) => PERSONAS.find((p) => p.id === id)?.tz ?? 'UTC';

/** The instant a zone's clock shows `hour`:00 on the day `daysAhead` days after `from` (DST-safe: the offset is read twice). */
function zonedInstant(from: number, daysAhead: number, hour: number, timeZone: string): Date {
  return zonedHour(new Date(from + daysAhead * DAY_MS), hour, timeZone);
}

type App = { id: number; org: string };

describe.skipIf(!hasChromium)('the developer panel and the sandbox clock (real bot, browser UI)', () => {
  let sandbox: RunningSandbox;
  let chromium: Browser;
  let page: Page;
  /** How far the sandbox clock is ahead of real time, as the test moved it. */
  let offsetMs = 0;
  /** Page actions (clicks, choices, typed values) of the counted journey. */
  let actions = 0;
  const known = new Set<number>();

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    sandbox = await startSandbox();
    chromium = await openBrowser({ width: 1600, height: 900 });
    page = chromium.page;
    await page.goto(`${sandbox.url}?user=${RILEY}`);
    await page.locator(`body[data-user="${RILEY}"]`).waitFor();
  });

  afterAll(async () => {
    await chromium?.close();
    if (sandbox) {
      const stopping = performance.now();
      const code = await sandbox.stop();
      console.log(`the sandbox stopped in ${Math.round(performance.now() - stopping)} ms`);
      expect(code, `the sandbox did not stop cleanly:\n${sandbox.output.join('').slice(-3000)}`).toBe(0);
    }
  });

  const poll = <T>(fn: () => Promise<T> | T, message?: string) => expect.poll(fn, { timeout: STEP_TIMEOUT_MS, message });
  const statusLine = () => page.locator('#status-line');
  const modal = () => page.locator('#modal-root .modal-card');
  const field = (blockId: string) => modal().locator(`.bk-block[data-block-id="${blockId}"]`);
  const thread = () => page.locator('#thread');
  const ephemerals = () => page.locator('#messages .msg--ephemeral');
  const card = (app: App): Locator =>
    page
      .locator('#messages article.msg:not(.msg--ephemeral)')
      .filter({ has: page.locator('[data-block-id="card.meta"]', { hasText: `#${app.id} · profile` }) });
  const button = (app: App, command: string) => card(app).locator(`button[data-action-id="card.${command}"]`);
  const dev = (selector: string) => page.locator(`#developer-pane ${selector}`);

  /** One page action: counted, then done. */
  async function act(run: () => Promise<unknown>): Promise<void> {
    actions += 1;
    await run();
  }

  async function expectClean(step: string): Promise<void> {
    expect(await page.locator('.bk-unknown').allTextContents(), `placeholders after "${step}"`).toEqual([]);
    expect(chromium.pageErrors, `script errors after "${step}"`).toEqual([]);
    expect(await page.locator('.toast--error').allTextContents(), `error toasts after "${step}"`).toEqual([]);
  }

  async function cardShows(app: App, ...texts: string[]): Promise<void> {
    for (const text of texts) await poll(() => card(app).innerText(), `card #${app.id} shows "${text}"`).toContain(text);
    await expectClean(`card #${app.id} shows ${texts.join(', ')}`);
  }

  async function actAs(user: string): Promise<void> {
    await act(() => page.selectOption('#persona', user));
    await page.locator(`body[data-user="${user}"]`).waitFor();
  }

  async function openForm(app: App, command: string, title: string): Promise<void> {
    await clickUntilOpen(
      () => act(() => button(app, command).click()),
      () => button(app, command).click(),
      modal().locator('.bk-view-title', { hasText: title }),
    );
    await poll(() => modal().locator('.bk-context-text').first().innerText()).toContain(`#${app.id}`);
  }

  async function submitForm(): Promise<void> {
    await act(() => modal().locator('.bk-view-submit').click());
    await poll(() => modal().count(), 'the modal closes').toBe(0);
  }

  async function pressConfirmed(app: App, command: string, ok: string): Promise<void> {
    await act(() => button(app, command).click());
    const dialog = page.locator('#confirm-root .confirm');
    await act(() => dialog.locator('.confirm-ok', { hasText: ok }).click());
    await poll(() => dialog.count()).toBe(0);
  }

  /** A jump of the sandbox clock: the status line reports the sweep it ran. */
  async function jump(to: '1d' | '7d' | '30d' | '90d' | 'now', days: number): Promise<string> {
    await act(() => page.click(`#clock-${to}`));
    await poll(() => statusLine().innerText(), `the clock jumps ${to}`).toContain('Reminder sweep:');
    offsetMs = to === 'now' ? 0 : offsetMs + days * DAY_MS;
    await page.locator(`body[data-clock-offset-days="${Math.round(offsetMs / DAY_MS)}"]`).waitFor();
    return statusLine().innerText();
  }

  async function openDeveloperPanel(): Promise<void> {
    if (await page.locator('#developer-pane:not([hidden])').count()) return;
    await act(() => page.click('#developer-open'));
    await page.locator('#developer-pane:not([hidden])').waitFor();
  }

  /** The panel opens on the newest application; the journey's application is always the newest here. */
  async function developerFor(app: App): Promise<void> {
    await openDeveloperPanel();
    await poll(() => page.locator('#developer-pane').getAttribute('data-app'), 'the panel shows the application').toBe(
      String(app.id),
    );
  }

  async function newSample(): Promise<App> {
    await act(() => page.click('#sample'));
    let match: RegExpExecArray | null = null;
    await poll(async () => {
      match = /Application #(\d+) \((.+)\) created/.exec((await statusLine().textContent()) ?? '');
      return match && !known.has(Number(match[1])) ? match[1] : undefined;
    }, 'a new application is created').toBeDefined();
    const [, rawId = '', org = ''] = match as unknown as RegExpExecArray;
    const app = { id: Number(rawId), org };
    known.add(app.id);
    await cardShows(app, org, 'Stage 1 · Business criteria');
    return app;
  }

  /** Intake to approval: reviewers on the page, the developer through the panel, the clock for the meeting's wait. */
  async function toApproval(app: App): Promise<void> {
    await act(() => button(app, 'claim').click());
    await cardShows(app, 'In review', 'Riley Reviewer');

    await openForm(app, 'business_review', 'Business review');
    const criteria = await modal().locator('.bk-block[data-block-id^="criterion."]').count();
    for (let i = 0; i < criteria; i += 1) {
      await act(() => modal().locator('.bk-block[data-block-id^="criterion."]').nth(i).locator('input[value="pass"]').check());
    }
    await act(() => field('decision').locator('input[value="advance"]').check());
    await submitForm();
    await cardShows(app, 'Stage 2 · Security questions');

    await pressConfirmed(app, 'send_questionnaire', 'Send');
    await cardShows(app, 'Waiting on developer', '0/14 accepted');

    // The developer reads the questionnaire in the inbox and sends the prefilled answers.
    await developerFor(app);
    await dev('.dev-mail[data-type="questionnaire.sent"]').waitFor();
    expect(await dev('.dev-mail[data-type="questionnaire.sent"]').innerText()).toContain('Security questionnaire');
    expect(await dev('#dev-questions textarea').count()).toBe(14);
    expect(await dev('#dev-answer-Q04').inputValue()).toMatch(/^https:\/\/.+\/privacy$/);
    await act(() => page.click('#dev-send-answers'));
    await cardShows(app, 'In review', '14 to review');

    // Review answers: accept all remaining (a confirm), then close the modal.
    await openForm(app, 'review_answers', 'Review answers');
    await act(() => modal().locator('button[data-action-id="review_answers.accept_all"]').click());
    await act(() => page.locator('#confirm-root .confirm-ok').click());
    await cardShows(app, '14/14 accepted');
    await act(() => modal().locator('.modal-x').click());
    await poll(() => modal().count()).toBe(0);

    await pressConfirmed(app, 'pass_security', 'Pass');
    await cardShows(app, 'Stage 3 · Architecture review');

    // The review two days ahead at 10:00 in Ada's Los Angeles, typed in Riley's zone; then the clock passes it.
    await openForm(app, 'schedule_review', 'Schedule review');
    await act(() => field('architect').locator('select').selectOption(ADA));
    const startsAt = zonedInstant(Date.now() + offsetMs, 2, 10, 'America/Los_Angeles');
    await act(() =>
      field('starts_at')
        .locator('input')
        .fill(wallClock(startsAt, tzOf(RILEY))),
    );
    await submitForm();
    await cardShows(app, '60 min with @Ada Architect');
    await dev('.dev-mail[data-type="review.scheduled"]').waitFor();
    expect(await dev('.dev-mail[data-type="review.scheduled"]').innerText()).toContain('Calendar invite');

    await jump('7d', 7);
    await actAs(ADA);
    await openForm(app, 'record_outcome', 'Review outcome');
    await act(() => field('outcome').locator('input[value="approved"]').check());
    await submitForm();
    await cardShows(app, 'Approved', 'Go-live not recorded');
    await actAs(RILEY);
  }

  it(
    'one sample from intake to a passed audit: the developer panel for the developer, the clock for the waits',
    async () => {
      actions = 0;
      const app = await newSample();
      await toApproval(app);

      // The developer reports the go-live and a restricted call, at the sandbox's time.
      await developerFor(app);
      await act(() => page.click('#dev-go-live'));
      await cardShows(app, 'Live since');
      await act(() => page.click('#dev-restricted-call'));
      await cardShows(app, 'last successful call');

      // 90 days later the audit is due; Riley schedules it for today (prefilled: go-live + 90 days) and records it.
      await jump('90d', 90);
      await openForm(app, 'schedule_audit', 'Schedule audit');
      await act(() => field('auditor').locator('select').selectOption('Deloitte'));
      await submitForm();
      await cardShows(app, 'with Deloitte');
      await openForm(app, 'record_audit_outcome', 'Audit outcome');
      await act(() => field('outcome').locator('input[value="passed"]').check());
      await submitForm();
      await cardShows(app, 'Passed (Deloitte)');
      await expectClean('audit passed');
      await page.screenshot({ path: join(RESULTS, 'developer-clock-journey.png') });

      console.log(`intake → passed audit: ${actions} page actions`);
      expect(actions).toBeLessThanOrEqual(MAX_JOURNEY_ACTIONS);
      // Back to real time for the next test.
      await jump('now', 0);
    },
    JOURNEY_TIMEOUT_MS,
  );

  it(
    'the developer answers an information request, and resubmits an edited profile after a field error',
    async () => {
      const app = await newSample();
      await act(() => button(app, 'claim').click());
      await cardShows(app, 'In review');
      await openForm(app, 'business_review', 'Business review');
      const criteria = modal().locator('.bk-block[data-block-id^="criterion."]');
      for (let i = 0; i < (await criteria.count()); i += 1) await criteria.nth(i).locator('input[value="pass"]').check();
      await field('decision').locator('input[value="advance"]').check();
      await submitForm();
      await openForm(app, 'request_information', 'Request information');
      await field('message').locator('textarea').fill('Please describe how you enforce MFA on admin consoles.');
      await submitForm();
      await cardShows(app, 'Waiting on developer');

      // The request arrives in the developer's inbox with its text; the developer replies.
      await developerFor(app);
      const request = dev('.dev-mail[data-type="information.requested"]');
      await request.waitFor();
      expect(await request.innerText()).toContain('Please describe how you enforce MFA on admin consoles.');
      await dev('#dev-reply').fill('MFA is enforced by our SSO on every admin console since March.');
      await page.click('#dev-send-reply');
      await cardShows(app, 'In review');
      await card(app).locator('.msg-replies').click();
      await poll(() => thread().innerText()).toContain('The developer updated the application: securityAnswers.');

      // An edited profile with a bad website: intake names the field, nothing changes; then a new role goes through.
      const profile = JSON.parse(await dev('#dev-profile').inputValue());
      await dev('#dev-profile').fill(
        JSON.stringify({ ...profile, organization: { ...profile.organization, website: 'http://plain.example' } }, null, 2),
      );
      await page.click('#dev-resubmit');
      await poll(() => dev('#dev-profile-errors').innerText()).toContain('organization.website');
      await page.locator('.toast--error').first().waitFor();
      await page.evaluate(() => {
        for (const t of Array.from(document.querySelectorAll('.toast'))) t.remove();
      });
      await dev('#dev-profile').fill(JSON.stringify({ ...profile, roles: [...profile.roles, 'Tax Remittance'] }, null, 2));
      await page.click('#dev-resubmit');
      await poll(() => statusLine().innerText()).toContain('Changed: roles.');
      await poll(() => thread().innerText()).toContain('The developer updated the application: roles.');
      expect(await dev('#dev-profile-errors').innerText()).toBe('');
      await cardShows(app, 'Tax Remittance');
      await page.click('#thread-close');
    },
    JOURNEY_TIMEOUT_MS,
  );

  it(
    'after 8 days a stale reminder mentions the reviewers; 90 days after a go-live the application is eligible for audit',
    async () => {
      const stale = await newSample();
      await jump('7d', 7);
      await jump('1d', 1);
      await card(stale).locator('.msg-replies').click();
      await page.locator('#thread-pane:not([hidden])').waitFor();
      // The sandbox time is shown while it differs from real time.
      expect(await page.locator('#clock-banner').innerText()).toContain('8 days ahead of real time');
      const reminder = thread().locator('.msg', { hasText: 'has not moved for' });
      await reminder.waitFor();
      const text = await reminder.innerText();
      // Nobody is assigned: every reviewer is mentioned.
      for (const reviewer of PERSONAS.filter((p) => p.role === 'reviewer')) expect(text).toContain(`@${reviewer.realName}`);
      expect(text).toContain('(nobody is assigned)');
      expect(text).toMatch(/has not moved for \d business days/);
      await page.screenshot({ path: join(RESULTS, 'developer-clock-stale.png') });
      await page.click('#thread-close');

      const live = await newSample();
      await toApproval(live);
      await developerFor(live);
      await page.click('#dev-go-live');
      await cardShows(live, 'Live since');
      await jump('90d', 90);
      await page.fill('#command', '/pii audits');
      await page.press('#command', 'Enter');
      const audits = ephemerals().filter({ hasText: 'an audit may come' }).last();
      await audits.waitFor();
      // Posted at the sandbox time, the answer comes after everything posted before it.
      expect(await page.locator('#messages article.msg').last().getAttribute('class')).toContain('msg--ephemeral');
      const listed = await audits.innerText();
      const eligible = listed.slice(listed.indexOf('Eligible for an audit (none scheduled)'));
      const line = eligible.split('\n').find((l) => l.includes(`#${live.id}`));
      expect(line, 'the application is listed as eligible in /pii audits').toBeDefined();
      expect(line).toContain(AUDIT_ELIGIBLE_WORDING);
      // An audit may come: no warning sign while none is scheduled.
      expect(line).not.toMatch(/⚠|:warning:/);
      await expectClean('/pii audits');
      await jump('now', 0);
      expect(await page.locator('#clock-banner').isHidden()).toBe(true);
    },
    JOURNEY_TIMEOUT_MS,
  );
});
