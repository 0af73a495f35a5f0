// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's locator.innerText() reads what the reviewer sees, line breaks included; it is no DOM property.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationInput } from '../../src/intake/application.ts';
import { loadQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { PERSONAS } from '../../src/sandbox/personas.ts';
import { SAMPLE_APPLICATIONS } from '../../src/sandbox/samples.ts';
import { wallClock, zonedHour } from '../../src/sandbox/wall-clock.ts';
import {
  type Browser,
  clickUntilOpen,
  hasChromium,
  openBrowser,
  ROOT,
  type RunningSandbox,
  STEP_TIMEOUT_MS,
  scrollIntoView,
  startSandbox,
} from './support.ts';

/**
 * Reviewer journeys through the sandbox's browser UI against the real bot (one process for the
 * file): every reviewer step is a click, a modal input or a submit; only the developer's side
 * (updates, questionnaire answers) arrives through the intake API, as the developer's system would send it.
 */

const RILEY = 'U0REVIEW01';
const SAM = 'U0REVIEW02';
const ADA = 'U0ARCHIT01';
const MORGAN = 'U0ADMIN001';
const INTAKE_TOKEN = 'sandbox-intake-token';
const RESULTS = join(ROOT, 'test-results');
const JOURNEY_TIMEOUT_MS = 120_000;
const QUESTIONNAIRE = loadQuestionnaire();
const tzOf = (id: string) => PERSONAS.find((p) => p.id === id)?.tz ?? 'UTC';

type Sample = Omit<ApplicationInput, 'profileId' | 'submittedAt'>;
/** An application as the test knows it: what the reviewer sees on the card, and what the developer last sent. */
type App = { id: number; org: string; profileId: string; submission: Sample };

/** The instant a zone's clock shows `hour`:00 on the day `daysAhead` days from now (DST-safe: the offset is read twice). */
function zonedInstant(daysAhead: number, hour: number, timeZone: string): Date {
  return zonedHour(new Date(Date.now() + daysAhead * 86_400_000), hour, timeZone);
}

const isoDay = (at: Date) => at.toISOString().slice(0, 10);
/** Private developers' streamlined track leaves out the Appstore criterion (the default PRIVATE_TRACK_CRITERIA). */
const criteriaOf = (app: { submission: { developerType?: string } }, ids: string[]) =>
  app.submission.developerType === 'private' ? ids.filter((id) => id !== 'differentiation') : ids;
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

describe.skipIf(!hasChromium)('reviewer journeys in the sandbox (real bot, browser UI)', () => {
  let sandbox: RunningSandbox;
  let chromium: Browser;
  let page: Page;
  const known = new Set<number>();

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    sandbox = await startSandbox();
    chromium = await openBrowser({ width: 1440, height: 900 });
    page = chromium.page;
    await page.goto(`${sandbox.url}?user=${RILEY}`);
    await page.locator(`body[data-user="${RILEY}"]`).waitFor();
  });

  afterAll(async () => {
    await chromium?.close();
    if (sandbox) {
      const code = await sandbox.stop();
      expect(code, `the sandbox did not stop cleanly:\n${sandbox.output.join('').slice(-3000)}`).toBe(0);
    }
  });

  // ── what the reviewer sees ────────────────────────────────────────────────────────────────

  const poll = <T>(fn: () => Promise<T> | T, message?: string) => expect.poll(fn, { timeout: STEP_TIMEOUT_MS, message });
  const statusLine = () => page.locator('#status-line');
  const modal = () => page.locator('#modal-root .modal-card');
  const field = (blockId: string) => modal().locator(`.bk-block[data-block-id="${blockId}"]`);
  const fieldError = (blockId: string) => field(blockId).locator('.bk-input-error');
  const thread = () => page.locator('#thread');
  const ephemerals = () => page.locator('#messages .msg--ephemeral');
  const card = (app: App): Locator =>
    page
      .locator('#messages article.msg:not(.msg--ephemeral)')
      .filter({ has: page.locator('[data-block-id="card.meta"]', { hasText: `#${app.id} · profile` }) });
  const button = (app: App, command: string) => card(app).locator(`button[data-action-id="card.${command}"]`);

  /** Every view must render without a placeholder for an unknown block or element, and without script errors. */
  async function expectClean(step: string): Promise<void> {
    expect(await page.locator('.bk-unknown').allTextContents(), `placeholders after "${step}"`).toEqual([]);
    expect(chromium.pageErrors, `script errors after "${step}"`).toEqual([]);
    expect(await page.locator('.toast--error').allTextContents(), `error toasts after "${step}"`).toEqual([]);
  }

  async function cardShows(app: App, ...texts: string[]): Promise<void> {
    for (const text of texts) await poll(() => card(app).innerText(), `card #${app.id} shows "${text}"`).toContain(text);
    await expectClean(`card #${app.id} shows ${texts.map((t) => `"${t}"`).join(', ')}`);
  }

  async function threadShows(...texts: string[]): Promise<void> {
    for (const text of texts) await poll(() => thread().innerText(), `thread shows "${text}"`).toContain(text);
  }

  async function actAs(user: string): Promise<void> {
    await page.selectOption('#persona', user);
    await page.locator(`body[data-user="${user}"]`).waitFor();
  }

  async function openThread(app: App): Promise<void> {
    await card(app).locator('.msg-replies').click();
    await page.locator('#thread-pane:not([hidden])').waitFor();
    await poll(() => thread().locator('[data-block-id="card.meta"]').first().innerText()).toContain(`#${app.id} · profile`);
  }

  /** Clicks a card button that opens a modal, and waits for the modal's title. */
  async function openForm(app: App, command: string, title: string): Promise<void> {
    await clickUntilOpen(
      () => button(app, command).click(),
      () => button(app, command).click(),
      modal().locator('.bk-view-title', { hasText: title }),
    );
    await poll(() => modal().locator('.bk-context-text').first().innerText()).toContain(`#${app.id}`);
    await expectClean(`open the "${title}" modal`);
  }

  async function submitForm(): Promise<void> {
    await modal().locator('.bk-view-submit').click();
    await poll(() => modal().count(), 'the modal closes').toBe(0);
  }

  /** The review meeting lies days ahead and the journey does not wait for it: the architect says it was held early. */
  async function heldEarly(): Promise<void> {
    await field('held_early')
      .locator('label.bk-choice', { hasText: 'It was held early' })
      .locator('input[type="checkbox"]')
      .check();
  }

  /** A card button with a confirm object: Slack asks first. */
  async function pressConfirmed(app: App, command: string, title: string, ok: string): Promise<void> {
    await button(app, command).click();
    const dialog = page.locator('#confirm-root .confirm');
    await dialog.locator('h2', { hasText: title }).waitFor();
    await dialog.locator('.confirm-ok', { hasText: ok }).click();
    await poll(() => dialog.count()).toBe(0);
  }

  async function screenshot(name: string): Promise<string> {
    const path = join(RESULTS, name);
    await page.screenshot({ path });
    return path;
  }

  /** Downloads a thread file through its link, as a reviewer would, and returns its name and text. */
  async function download(link: Locator): Promise<{ name: string; text: string }> {
    expect(await link.getAttribute('download')).not.toBeNull();
    const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
  }

  // ── the developer's side: the intake API ─────────────────────────────────────────────────

  async function developerSends(app: App, extra: Partial<ApplicationInput> = {}) {
    const response = await fetch(`${sandbox.url}api/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INTAKE_TOKEN}` },
      body: JSON.stringify({ profileId: app.profileId, ...app.submission, ...extra }),
    });
    const body = (await response.json()) as { outcome?: string; changedFields?: string[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.outcome).toBe('updated');
    return body;
  }

  const answers = (text: (id: string) => string) =>
    QUESTIONNAIRE.questions.map((q) => ({ questionId: q.id, answer: text(q.id) }));

  // ── steps shared by the journeys ─────────────────────────────────────────────────────────

  /** "New sample application" in the sidebar: the sandbox posts a sample through the real intake API. */
  async function newSample(): Promise<App> {
    await page.click('#sample');
    let match: RegExpExecArray | null = null;
    await poll(async () => {
      match = /Application #(\d+) \((.+)\) created/.exec((await statusLine().textContent()) ?? '');
      return match && !known.has(Number(match[1])) ? match[1] : undefined;
    }, 'a new application is created').toBeDefined();
    const [, rawId = '', org = ''] = match as unknown as RegExpExecArray;
    const id = Number(rawId);
    known.add(id);
    const submission = SAMPLE_APPLICATIONS.find((s) => s.organization.name === org);
    if (!submission) throw new Error(`no sample named ${org}`);
    const partial: App = { id, org, profileId: '', submission: structuredClone(submission) };
    await card(partial).waitFor();
    const meta = await card(partial).locator('[data-block-id="card.meta"]').innerText();
    const profileId = /profile (\S+)/.exec(meta)?.[1] ?? '';
    expect(profileId).toMatch(/^amzn1\.sp\.solution\./);
    await cardShows(partial, org, 'Stage 1 · Business criteria', 'Awaiting review', 'Unassigned');
    return { ...partial, profileId };
  }

  async function claim(app: App): Promise<void> {
    await button(app, 'claim').click();
    await cardShows(app, 'In review', 'Riley Reviewer');
    await poll(() => button(app, 'claim').count()).toBe(0);
  }

  async function businessReviewAdvance(app: App): Promise<void> {
    await openForm(app, 'business_review', 'Business review');
    for (const id of criteriaOf(app, ['use_case', 'launch_readiness', 'public_website', 'geographies', 'differentiation'])) {
      await field(`criterion.${id}`).locator('input[value="pass"]').check();
    }
    await field('decision').locator('input[value="advance"]').check();
    await submitForm();
    await cardShows(app, 'Stage 2 · Security questions', 'None open');
  }

  async function sendQuestionnaire(app: App): Promise<void> {
    await pressConfirmed(app, 'send_questionnaire', 'Send the questionnaire?', 'Send');
    await cardShows(
      app,
      'Waiting on developer',
      `Questionnaire v${QUESTIONNAIRE.version}`,
      `0/${QUESTIONNAIRE.questions.length} accepted`,
    );
  }

  async function passStage2(app: App): Promise<void> {
    await pressConfirmed(app, 'pass_security', 'Pass Stage 2?', 'Pass');
    await cardShows(app, 'Stage 3 · Architecture review', 'Not scheduled');
  }

  /** Schedules the architecture review with Ada inside her working hours (LA), typed in the scheduler's own time zone. */
  async function scheduleReview(app: App, scheduler: string, startsAt: Date): Promise<void> {
    await openForm(app, 'schedule_review', 'Schedule review');
    await field('architect').locator('select').selectOption(ADA);
    await field('starts_at')
      .locator('input')
      .fill(wallClock(startsAt, tzOf(scheduler)));
    await submitForm();
    await cardShows(app, 'In review', '60 min with @Ada Architect');
  }

  let journey1: App | undefined;

  it(
    'Stage 1 → Stage 3: business review, a gap, an information request, the questionnaire and its review',
    async () => {
      const app = await newSample();
      journey1 = app;
      await expectClean('create a sample application');

      await claim(app);
      await openThread(app);
      await threadShows('claimed the application');

      // Stage 1: every criterion passes; advance.
      await businessReviewAdvance(app);
      await threadShows('passed the business review: every criterion met. Now Stage 2 · Security questions, in review.');
      await expectClean('business review');

      // A gap, filed under a control area with a severity.
      await openForm(app, 'record_gap', 'Record gap');
      expect(await field('severity').locator('select').inputValue()).toBe('medium');
      await field('area').locator('select').selectOption('access_management');
      await field('severity').locator('select').selectOption('high');
      await field('description').locator('textarea').fill('No MFA on the admin console; leavers keep access for a week.');
      await submitForm();
      await cardShows(app, '1 open (1 high)');
      await threadShows('recorded a high gap in Access management (described in View submission).');

      // The information request starts from the open gap and what reviewers look for in its area.
      await openForm(app, 'request_information', 'Request information');
      const message = await field('message').locator('textarea').inputValue();
      expect(message).toContain('Access management: No MFA on the admin console; leavers keep access for a week.');
      expect(message).toContain('(we look for unique IDs');
      expect(await field('message').innerText()).toContain('Message to the developer');
      await submitForm();
      await cardShows(app, 'Waiting on developer', 'Information requests\n1 round');
      await threadShows('requested more information from the developer (round 1). Waiting on the developer.');
      await expectClean('request information');

      // The developer's system sends the updated profile: back in review.
      app.submission.securityAnswers = [
        ...(app.submission.securityAnswers ?? []),
        {
          topic: 'Access management',
          answer: 'MFA is enforced on every console; leavers are removed within 24 hours by HR sync.',
        },
      ];
      const update = await developerSends(app);
      expect(update.changedFields).toEqual(['securityAnswers']);
      await cardShows(app, 'In review');
      await threadShows('The developer updated the application: securityAnswers. It is back in review.');

      // Resolve the gap (the only open one is preselected).
      await openForm(app, 'resolve_gap', 'Resolve gap');
      expect(await field('gap').locator('select option:checked').innerText()).toContain('Access management · high');
      await field('resolution').locator('textarea').fill('MFA enforced; leavers removed within 24 h (developer update).');
      await submitForm();
      await cardShows(app, 'None open');
      await threadShows('resolved the Access management gap.');

      // The questionnaire: a confirm dialog, then the .txt attachment in the thread.
      await sendQuestionnaire(app);
      const attachment = thread().locator('.msg-file', {
        hasText: `Security questionnaire v${QUESTIONNAIRE.version} for #${app.id}`,
      });
      await attachment.waitFor();
      expect(await attachment.locator('.msg-file-meta').innerText()).toMatch(/\.txt · [\d.]+ (B|KB)/);
      const questionnaireFile = await download(attachment.locator('a.msg-file-name'));
      expect(questionnaireFile.name).toBe(`pii-review-${app.id}-questionnaire-${QUESTIONNAIRE.version}.txt`);
      expect(questionnaireFile.text).toContain(`Application: #${app.id} (${app.org}, profile ${app.profileId})`);
      for (const q of QUESTIONNAIRE.questions) expect(questionnaireFile.text).toContain(`${q.id}. ${q.text}`);
      await threadShows(`sent the security questionnaire v${QUESTIONNAIRE.version} (14 questions). Waiting on the developer.`);
      await expectClean('send the questionnaire');

      // The developer answers all fourteen.
      await developerSends(app, {
        questionnaireAnswers: answers((id) => `Our answer to ${id}: documented in our security policy.`),
      });
      await cardShows(app, 'In review', '0/14 accepted · 14 answered · 14 to review');

      // Review: accept all but Q09, which raises a gap; first without saying what is missing.
      await openForm(app, 'review_answers', 'Review answers');
      expect(await modal().locator('.bk-block[data-block-id^="verdict."]').count()).toBe(14);
      for (const q of QUESTIONNAIRE.questions) {
        await field(`verdict.${q.id}`)
          .locator('select')
          .selectOption(q.id === 'Q09' ? 'gap:high' : 'accept');
      }
      await modal().locator('.bk-view-submit').click();
      await fieldError('note.Q09').waitFor();
      expect(await fieldError('note.Q09').innerText()).toBe('Say what is missing, so the developer can fix it.');
      expect(await modal().locator('.bk-input-error').count()).toBe(1);
      // What was chosen is kept while the error shows.
      expect(await field('verdict.Q09').locator('select').inputValue()).toBe('gap:high');
      expect(await field('verdict.Q01').locator('select').inputValue()).toBe('accept');
      await scrollIntoView(fieldError('note.Q09'));
      await screenshot('journey-review-answers-error.png');
      await field('note.Q09').locator('textarea').fill('No password length or history rule; MFA only for admins.');
      await submitForm();
      await cardShows(app, '13/14 accepted', '1 open (1 high)');
      await threadShows('reviewed questionnaire answers: accepted Q01', 'raised gaps on Q09 (high)');
      await expectClean('review answers');

      // The developer re-answers Q09; the reviewer accepts it and resolves the gap.
      await developerSends(app, {
        questionnaireAnswers: answers((id) =>
          id === 'Q09'
            ? 'Passwords of at least 12 characters, a history of 10, MFA for everyone, lockout after 10 failed logins.'
            : `Our answer to ${id}: documented in our security policy.`,
        ),
      });
      await cardShows(app, '1 to review');
      await threadShows('The developer updated the application: questionnaireAnswers.Q09.');
      await openForm(app, 'review_answers', 'Review answers');
      expect(await modal().locator('.bk-block[data-block-id^="verdict."]').count()).toBe(1);
      expect(await modal().innerText()).toContain('Passwords of at least 12 characters');
      await field('verdict.Q09').locator('select').selectOption('accept');
      await submitForm();
      await cardShows(app, '14/14 accepted');
      await openForm(app, 'resolve_gap', 'Resolve gap');
      await field('resolution').locator('textarea').fill('Password rules and MFA confirmed in the re-answer to Q09.');
      await submitForm();
      await cardShows(app, 'None open');

      // Pass Stage 2 (confirm dialog): the architecture review is next.
      await passStage2(app);
      await threadShows(
        'passed Stage 2: every answer accepted, no gap open. Now Stage 3 · Architecture review, awaiting review.',
      );
      expect(await button(app, 'schedule_review').innerText()).toBe('Schedule architecture review');
      await expectClean('pass Stage 2');
      await scrollIntoView(card(app));
      await screenshot('journey-stage3.png');
    },
    JOURNEY_TIMEOUT_MS,
  );

  it(
    'Rejection: a failed criterion, the general denial text, a closed card',
    async () => {
      await actAs(SAM);
      const app = await newSample();
      await openForm(app, 'business_review', 'Business review');
      for (const id of criteriaOf(app, ['use_case', 'public_website', 'geographies', 'differentiation'])) {
        await field(`criterion.${id}`).locator('input[value="pass"]').check();
      }
      await field('criterion.launch_readiness').locator('input[value="fail"]').check();
      await field('note.launch_readiness').locator('input').fill('Beta with no paying customers yet.');
      await field('decision').locator('input[value="reject"]').check();
      // The general denial text is prefilled and names no specific reason.
      const denial = await field('denial_text').locator('textarea').inputValue();
      expect(denial).toContain('does not meet our criteria for access to restricted data');
      expect(denial).toContain('resubmit your profile');
      expect(denial).not.toContain('final');
      expect(denial).not.toContain('Beta with no paying customers');
      await submitForm();
      await cardShows(app, 'Closed', 'Rejected');
      await openThread(app);
      await threadShows(
        'rejected the application in the business review (failed: Launch readiness). The general denial text (template v1) was recorded as sent to the developer.',
      );

      // Nothing is left to do but look: one button, and the admin's overflow (Reopen only).
      const actions = card(app).locator('.bk-block[data-block-id="card.actions"]');
      expect(await actions.locator('button.bk-button').allInnerTexts()).toEqual(['Status & history', 'View submission']);
      // Slack's overflow: a ⋯ button whose menu opens on click (the same options for every viewer of the message).
      const menu = actions.locator('.bk-overflow-menu');
      expect(await menu.isVisible()).toBe(false);
      await actions.locator('.bk-overflow-button').click();
      await menu.waitFor();
      expect(await menu.locator('[role="menuitem"]').allInnerTexts()).toEqual(['Reopen…']);
      await page.keyboard.press('Escape');
      await poll(() => menu.isVisible()).toBe(false);
      await expectClean('reject');
      await scrollIntoView(card(app));
      await screenshot('journey-rejected.png');

      // A reviewer who tries the overflow is told it is for admins.
      await actions.locator('.bk-overflow-button').click();
      await menu.locator('[role="menuitem"]', { hasText: 'Reopen…' }).click();
      await poll(() => ephemerals().last().innerText()).toContain(
        'Only an admin can do this. Ask an admin to give you the admin role.',
      );

      // Morgan (admin) gets the reopen form; closing it changes nothing.
      await actAs(MORGAN);
      await card(app).locator('.bk-overflow-button').click();
      await card(app).locator('.bk-overflow-item', { hasText: 'Reopen…' }).click();
      await modal().locator('.bk-view-title', { hasText: 'Reopen application' }).waitFor();
      expect(await modal().innerText()).toContain(
        'Now: Closed, Rejected. It goes back to Stage 1 · Business criteria, in review.',
      );
      await modal().locator('[data-view-action="close"]').click();
      await poll(() => modal().count()).toBe(0);
      await cardShows(app, 'Rejected');
      await expectClean('admin overflow');
      await actAs(RILEY);
    },
    JOURNEY_TIMEOUT_MS,
  );

  it(
    'Stage 3 → passed audit: scheduling inside working hours, the invite, the outcome, go-live and the audit',
    async () => {
      expect(journey1, 'journey 1 brings an application to Stage 3').toBeDefined();
      const app = journey1 as App;
      await actAs(RILEY);
      for (const dismiss of await page.locator('#messages [data-dismiss]').all()) await dismiss.click();
      await poll(() => ephemerals().count()).toBe(0);
      await openThread(app);

      // First a time outside Ada's working day (06:00 in Los Angeles): a warning under the date.
      await openForm(app, 'schedule_review', 'Schedule review');
      expect(await field('agenda').locator('textarea').inputValue()).toContain(
        'Gaps raised during the review (described in View submission):',
      );
      expect(await field('duration').locator('select').inputValue()).toBe('60');
      const outsideHours = field('confirm_hours').locator('label.bk-choice', { hasText: 'Outside working hours is fine' });
      await outsideHours.waitFor();
      expect(await outsideHours.locator('input[type="checkbox"]').isChecked()).toBe(false);
      await field('architect').locator('select').selectOption(ADA);
      const early = zonedInstant(2, 6, 'America/Los_Angeles');
      await field('starts_at')
        .locator('input')
        .fill(wallClock(early, tzOf(RILEY)));
      await modal().locator('.bk-view-submit').click();
      await fieldError('starts_at').waitFor();
      expect(await fieldError('starts_at').innerText()).toBe(
        'That is 06:00–07:00 for the architect (America/Los_Angeles), outside their working hours (08:00–18:00). Tick “Outside working hours is fine” to schedule it anyway.',
      );
      await screenshot('journey-schedule-warning.png');

      // Then 10:00 Los Angeles time, typed in Riley's own zone (Berlin).
      const startsAt = zonedInstant(2, 10, 'America/Los_Angeles');
      expect(wallClock(startsAt, 'America/Los_Angeles').slice(11)).toBe('10:00');
      expect(await field('architect').locator('select').inputValue()).toBe(ADA);
      await field('starts_at')
        .locator('input')
        .fill(wallClock(startsAt, tzOf(RILEY)));
      await submitForm();
      await cardShows(app, 'Stage 3 · Architecture review', 'In review', '60 min with @Ada Architect');
      await threadShows('scheduled the architecture review with @Ada Architect');
      const invite = thread().locator('.msg-file', { hasText: `Architecture review invite for #${app.id}` });
      await invite.waitFor();
      expect(await invite.locator('.msg-file-meta').innerText()).toContain(`pii-review-${app.id}-architecture-review.ics`);
      const ics = await download(invite.locator('a.msg-file-name'));
      expect(ics.name).toBe(`pii-review-${app.id}-architecture-review.ics`);
      expect(ics.text).toContain('BEGIN:VCALENDAR');
      expect(ics.text).toContain('METHOD:REQUEST');
      expect(ics.text.replace(/\r\n[ \t]/g, '')).toContain(`SUMMARY:Architecture review: #${app.id} ${app.org}`);
      expect(ics.text).toContain(`DTSTART:${startsAt.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`);
      await expectClean('schedule the architecture review');

      // A card with its buttons and the thread with the invite.
      await scrollIntoView(card(app));
      await thread().evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      // The README's picture is taken with demo data loaded (test/e2e/demo.test.ts, npm run docs:screenshot).
      await screenshot('journey-scheduled.png');

      // Only the application's architect (or an admin) records the outcome.
      await button(app, 'record_outcome').click();
      await poll(() => ephemerals().last().innerText()).toContain('Only a solution architect or an admin can do this.');
      expect(await modal().count()).toBe(0);

      await actAs(ADA);
      await openForm(app, 'record_outcome', 'Review outcome');
      await field('outcome').locator('input[value="approved"]').check();
      await heldEarly();
      await submitForm();
      await cardShows(app, 'Approved', 'Go-live not recorded', 'no successful call yet; due by');
      await threadShows('recorded the architecture review outcome: approved for restricted access.');
      await scrollIntoView(card(app));
      await screenshot('journey-approved.png');
      await expectClean('approve');

      // After approval: go-live (today: not before the approval), a restricted call, the audit.
      await actAs(RILEY);
      const goLive = new Date();
      await openForm(app, 'record_go_live', 'Production go-live');
      await field('production_since').locator('input').fill(isoDay(goLive));
      await submitForm();
      await cardShows(app, 'Live since');
      await threadShows('recorded the production go-live');

      await openForm(app, 'record_restricted_call', 'Restricted API call');
      await field('at')
        .locator('input')
        .fill(wallClock(new Date(), tzOf(RILEY)));
      await field('operation').locator('input').fill('getOrderAddress');
      await submitForm();
      await cardShows(app, 'last successful call');
      await threadShows('recorded a successful restricted API call (getOrderAddress)');

      await openForm(app, 'schedule_audit', 'Schedule audit');
      // Prefilled with go-live + 90 days; within a day, as the bot adds days in the server's local zone (a DST change shifts it).
      const auditDue = Date.parse(await field('scheduled_for').locator('input').inputValue());
      expect(Math.abs(auditDue - Date.parse(isoDay(daysFromNow(90))))).toBeLessThanOrEqual(86_400_000);
      await field('auditor').locator('select').selectOption('Deloitte');
      // Today, so its outcome can be recorded now: an outcome before the audit's date is refused.
      await field('scheduled_for').locator('input').fill(isoDay(new Date()));
      await submitForm();
      await cardShows(app, 'with Deloitte');
      await threadShows('scheduled the audit with Deloitte');

      await openForm(app, 'record_audit_outcome', 'Audit outcome');
      await field('outcome').locator('input[value="passed"]').check();
      await submitForm();
      await cardShows(app, 'Passed (Deloitte)');
      await threadShows('recorded the audit outcome: passed (Deloitte).');
      await poll(() => button(app, 'record_audit_outcome').count()).toBe(0);
      await expectClean('audit passed');
      await scrollIntoView(card(app));
      await screenshot('journey-audit-passed.png');
    },
    JOURNEY_TIMEOUT_MS,
  );

  it(
    'Clarification: open questions wait on the developer, are marked answered, then approval and /pii status',
    async () => {
      await actAs(RILEY);
      const app = await newSample();
      await claim(app);
      await openThread(app);
      await businessReviewAdvance(app);
      await sendQuestionnaire(app);
      await developerSends(app, { questionnaireAnswers: answers((id) => `Answer to ${id}, with evidence attached.`) });
      await cardShows(app, '14 to review');
      await openForm(app, 'review_answers', 'Review answers');
      for (const q of QUESTIONNAIRE.questions) await field(`verdict.${q.id}`).locator('select').selectOption('accept');
      await submitForm();
      await cardShows(app, '14/14 accepted');
      await passStage2(app);
      await scheduleReview(app, RILEY, zonedInstant(3, 9, 'America/Los_Angeles'));

      // Ada needs two answers before she can approve.
      await actAs(ADA);
      await openForm(app, 'record_outcome', 'Review outcome');
      await field('outcome').locator('input[value="clarification"]').check();
      await field('questions').locator('textarea').fill('Which KMS holds the invoice keys?\nWho is paged when the IDS alerts?');
      await heldEarly();
      await submitForm();
      await cardShows(app, 'Waiting on developer', 'Open questions\n2 waiting on the developer', '(held)');
      await threadShows(
        'recorded the outcome: clarification required (2 questions): 1. Which KMS holds the invoice keys? 2. Who is paged when the IDS alerts?',
      );
      await scrollIntoView(card(app));
      await screenshot('journey-clarification.png');

      // The developer's answer arrives through intake: back in review, questions still open.
      app.submission.securityAnswers = [
        ...(app.submission.securityAnswers ?? []),
        {
          topic: 'Clarification',
          answer: 'Keys live in AWS KMS (eu-central-1); the on-call security engineer is paged by the IDS.',
        },
      ];
      await developerSends(app);
      await cardShows(
        app,
        'In review',
        '2 open: the developer has replied. Tick off the answered ones with Mark questions answered.',
      );

      await openForm(app, 'mark_answered', 'Questions answered');
      const select = field('questions').locator('select');
      expect(await select.locator('option').allInnerTexts()).toEqual([
        'Which KMS holds the invoice keys?',
        'Who is paged when the IDS alerts?',
      ]);
      await select.selectOption(
        await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      );
      await submitForm();
      await poll(() => card(app).innerText()).not.toContain('Open questions');
      await threadShows('marked 2 clarification questions answered.');

      await openForm(app, 'record_outcome', 'Review outcome');
      await field('outcome').locator('input[value="approved"]').check();
      await heldEarly();
      await submitForm();
      await cardShows(app, 'Approved');
      await expectClean('approve after clarification');

      // The whole history, from the command box.
      await page.fill('#command', `/pii status ${app.id}`);
      await page.press('#command', 'Enter');
      const status = ephemerals()
        .filter({ hasText: `#${app.id} ${app.org}` })
        .last();
      await status.waitFor();
      const text = await status.innerText();
      for (const line of [
        'Application received through intake.',
        '@Riley Reviewer claimed the application.',
        '@Riley Reviewer passed the business review',
        `@Riley Reviewer sent the security questionnaire v${QUESTIONNAIRE.version} (14 questions).`,
        'The developer updated the application: questionnaireAnswers.Q01',
        '@Riley Reviewer reviewed questionnaire answers: accepted Q01',
        '@Riley Reviewer passed Stage 2',
        '@Riley Reviewer scheduled the architecture review with @Ada Architect',
        '@Ada Architect recorded the outcome: clarification required (2 questions)',
        'The developer updated the application: securityAnswers. It is back in review.',
        '@Ada Architect marked 2 clarification questions answered.',
        '@Ada Architect recorded the architecture review outcome: approved for restricted access.',
      ]) {
        expect(text).toContain(line);
      }
      expect(text).toMatch(/History · 1\d events/);
      expect(text).toContain('Only visible to you');
      await scrollIntoView(status);
      await screenshot('journey-status.png');
      await expectClean('/pii status');
    },
    JOURNEY_TIMEOUT_MS,
  );
});
