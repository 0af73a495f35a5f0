import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, gaps, questionnaireVersions } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import type { Questionnaire } from '../../src/questionnaire/questionnaire.ts';
import { sweepReminders } from '../../src/reminders/sweep.ts';
import { CANARY, canariesIn, canaryApplication } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { toStage3 } from '../support/journeys.ts';
import { openModal } from '../support/open-modal.ts';
import { ALL_PASS, input, inputMore, reviewer } from '../support/reviewer.ts';
import { HELD_EARLY, meetingFields, START } from '../support/states.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock(START);

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
  clock.set(START);
});

/** Private text of the submission (DOMAIN.md): distinctive, so finding it anywhere public is a leak. */
const PRIVATE = {
  useCase: 'PRIVATE-USECASE-91c2: prints labels for self-fulfilled orders.',
  business: 'PRIVATE-BUSINESS-5d7e small-merchant shipping software.',
  channel: 'PRIVATE-CHANNEL-shopify-3a1f',
  party: 'PRIVATE-PARTY-carrier-77b0',
  source: 'PRIVATE-SOURCE-erp-0c9d',
  gap: 'PRIVATE-GAP-4e21 keeps labels for a year',
} as const;

const privateBody = (overrides: Record<string, unknown> = {}) =>
  canaryApplication({
    useCase: PRIVATE.useCase,
    businessDescription: PRIVATE.business,
    piiRetention: '91-180',
    merchants: { servedToday: true, channels: [PRIVATE.channel] },
    employeeCount: 12,
    dataSharedWith: [PRIVATE.party],
    otherDataSources: [PRIVATE.source],
    securityAnswers: [
      { topic: 'encryption at rest', answer: CANARY.answer },
      { topic: 'incident response', answer: 'We notify Amazon within 24 hours.' },
    ],
    ...overrides,
  });

async function newApplication(body: Record<string, unknown>) {
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  return id;
}

/** Opens View submission as `user`; answers the modal's JSON, or undefined when refused. */
async function viewSubmission(user: string, id: number): Promise<string | undefined> {
  const view = await openModal(h, r, { action: 'card.submission' }, user, id);
  if (!view) return undefined;
  expect(view.problems).toEqual([]);
  return JSON.stringify(view.view);
}

const CONTACT = [CANARY.email, CANARY.phone, CANARY.impocEmail, 'Casey Canary', 'Ivy Canary'];

describe('View submission', () => {
  it('lets a reviewer read the use case, the security answers and the rest from the card, with contact data only for assignee, architect and admins', async () => {
    const id = await newApplication(privateBody());
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });

    const other = await viewSubmission(USERS.reviewer2, id);
    for (const text of [
      PRIVATE.useCase,
      PRIVATE.business,
      CANARY.answer,
      'We notify Amazon within 24 hours.',
      'encryption at rest',
    ]) {
      expect(other).toContain(text);
    }
    for (const text of [PRIVATE.channel, PRIVATE.party, PRIVATE.source, '12', 'within 30 days of delivery', 'Named']) {
      expect(other).toContain(text);
    }
    for (const secret of CONTACT) expect(other).not.toContain(secret);

    // The assignee (the reviewer who decided Stage 1) and an admin see contact and IMPOC.
    for (const user of [USERS.reviewer, USERS.admin]) {
      const text = await viewSubmission(user, id);
      for (const secret of CONTACT) expect(text).toContain(secret);
    }
  });

  /** An application in Stage 2 that answered Q01 and, with the IMPOC's name and e-mail, Q14. */
  async function answeredWithImpoc() {
    const body = privateBody();
    const id = await newApplication(body);
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.settle();
    await h.intake({
      ...body,
      questionnaireAnswers: [
        { questionId: 'Q01', answer: 'PRIVATE-Q01-8d2a firewalls and IDS on every VPC.' },
        { questionId: 'Q14', answer: `Ivy Canary, ${CANARY.impocEmail}` },
      ],
    });
    await h.settle();
    return id;
  }
  const WITHHELD = 'Contact data: this answer is shown only to the assignee, the application’s architect and admins.';

  it('shows a questionnaire answer that is contact data (the IMPOC, Q14) only to assignee and admins, a placeholder to other reviewers', async () => {
    const id = await answeredWithImpoc();

    const other = await viewSubmission(USERS.reviewer2, id);
    for (const secret of CONTACT) expect(other).not.toContain(secret);
    expect(other).toContain('PRIVATE-Q01-8d2a');
    expect(other).toContain('2/14 answered');
    expect(other).toContain(WITHHELD);

    for (const user of [USERS.reviewer, USERS.admin]) {
      const text = await viewSubmission(user, id);
      expect(text).toContain(`Ivy Canary, ${CANARY.impocEmail}`);
      expect(text).not.toContain(WITHHELD);
    }
  });

  it('withholds the IMPOC answer too where the shipped version was stored before questions could be flagged', async () => {
    const id = await answeredWithImpoc();
    const [app] = await database.db.select().from(applications).where(eq(applications.id, id));
    const version = app?.questionnaireVersion ?? '';
    const [stored] = await database.db.select().from(questionnaireVersions).where(eq(questionnaireVersions.version, version));
    const content = stored?.content as Questionnaire;
    const unflagged = { ...content, questions: content.questions.map(({ contact: _contact, ...q }) => q) };
    await database.db.update(questionnaireVersions).set({ content: unflagged }).where(eq(questionnaireVersions.version, version));

    const other = await viewSubmission(USERS.reviewer2, id);
    expect(other).not.toContain(CANARY.impocEmail);
    expect(other).toContain(WITHHELD);
    expect(await viewSubmission(USERS.reviewer, id)).toContain(CANARY.impocEmail);
  });

  it('shows contact data to the application’s architect once named, not to other architects before', async () => {
    const { id } = await toStage3(h, r, privateBody());
    expect(await viewSubmission(USERS.architect, id)).not.toContain(CANARY.email);
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields());
    expect(await viewSubmission(USERS.architect, id)).toContain(CANARY.email);
  });

  it('refuses anyone without a review role, with the reason, and opens nothing', async () => {
    const id = await newApplication(privateBody());
    expect(await viewSubmission(USERS.outsider, id)).toBeUndefined();
    const told = r.ephemeralsFor(USERS.outsider).at(-1) ?? '';
    expect(told).toContain('Only reviewers, solution architects and admins can read a submission');
    expect(canariesIn(told)).toEqual([]);
    expect(told).not.toContain(PRIVATE.useCase);
  });

  it('is offered in /pii status too', async () => {
    const id = await newApplication(privateBody());
    const answer = await h.slack.command({ user: USERS.reviewer, text: `status ${id}` });
    const body = JSON.stringify(answer.json ?? h.emulator.state.ephemerals.at(-1));
    expect(body).toContain('"action_id":"card.submission"');
    expect(body).not.toContain(PRIVATE.useCase);
  });

  it('pages itself when the answers fill more than one modal, and every page reads to the end', async () => {
    const long = (i: number) => `Answer ${i}: ${'we encrypt & rotate <keys> '.repeat(200)}`.slice(0, 5000);
    // As many 5000-character answers as the intake API's 256 KiB body allows.
    const answers = Array.from({ length: 45 }, (_, i) => ({ topic: `Topic ${i + 1}`, answer: long(i + 1) }));
    const id = await newApplication(privateBody({ securityAnswers: answers }));
    const first = await openModal(h, r, { action: 'card.submission' }, USERS.reviewer, id);
    if (!first) throw new Error('the submission did not open');
    let view = first;
    const seen = new Set<number>();
    for (let page = 0; page < 200; page += 1) {
      expect(view.problems).toEqual([]);
      for (const match of JSON.stringify(view.view).matchAll(/\*(\d+)\. Topic \d+\*/g)) seen.add(Number(match[1]));
      const next = (view.view.blocks as { block_id?: string; elements?: { action_id: string; value: string }[] }[])
        .find((b) => b.block_id === 'submission.pages')
        ?.elements?.find((e) => e.action_id === 'submission.next');
      if (!next) break;
      const hash = view.hash;
      await h.slack.viewAction({
        user: USERS.reviewer,
        viewId: view.id,
        action: { actionId: 'submission.next', blockId: 'submission.pages', value: next.value },
      });
      await expect.poll(() => h.emulator.state.views.get(first.id)?.hash).not.toBe(hash);
      view = h.emulator.state.views.get(first.id) ?? view;
    }
    expect(JSON.stringify(view.view)).toMatch(/page (\d+) of \1/);
    expect(seen.size).toBe(45);
  });
});

describe('Stage 1 and gap modals', () => {
  it('shows the use case and business description inline in the business review', async () => {
    const id = await newApplication(privateBody());
    const view = await openModal(h, r, { action: 'card.business_review' }, USERS.reviewer, id);
    expect(JSON.stringify(view?.view)).toContain(PRIVATE.useCase);
    expect(JSON.stringify(view?.view)).toContain(PRIVATE.business);
  });

  it('lets a gap name the security answer it is about, stored on the gap', async () => {
    const id = await newApplication(privateBody());
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await r.decide(USERS.reviewer, id, 'card.record_gap', {
      area: input.select('incident_response'),
      severity: input.select('high'),
      description: input.text('No named roles in the plan.'),
      security_answer: input.select('2'),
    });
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(gap).toMatchObject({ area: 'incident_response', securityAnswer: 2 });
    // The description is private: read in View submission, never in the thread.
    expect(r.threadOf(id).at(-1)).toContain('recorded a *high* gap in Incident response on security answer 2');
    expect(r.threadOf(id).join('\n')).not.toContain('No named roles in the plan.');
    expect(await viewSubmission(USERS.reviewer2, id)).toContain('No named roles in the plan.');
  });
});

describe('a rejected application', () => {
  it('reads true ten minutes later: a date token, not a duration; the denial text in its thread and its submission', async () => {
    const id = await newApplication(privateBody());
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant the restricted roles at this time.'),
    });
    clock.advanceBy(10 * 60_000);
    const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
    const card = JSON.stringify(r.card(id).blocks);
    expect(card).toContain(`Rejected since <!date^${Math.floor((row?.statusSince.getTime() ?? 0) / 1000)}^`);
    expect(card).not.toMatch(/\bfor (\d+|a few|less than a) (seconds?|minutes?|hours?|days?)\b/);
    const thread = r.threadOf(id).at(-1) ?? '';
    expect(thread).toContain('*rejected* the application');
    expect(thread).toContain('>We cannot grant the restricted roles at this time.');
    expect(await viewSubmission(USERS.reviewer, id)).toContain('We cannot grant the restricted roles at this time.');
  });
});

describe('no private text in Slack messages', () => {
  it('after a full journey, no channel, thread or reminder message holds the use case, business description, answers or contact data', async () => {
    const gapped = await newApplication(privateBody());
    await r.decide(USERS.reviewer, gapped, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await r.decide(USERS.reviewer, gapped, 'card.record_gap', {
      area: input.select('data_retention'),
      severity: input.select('critical'),
      description: input.text(PRIVATE.gap),
      security_answer: input.select('1'),
    });
    const { id, body } = await toStage3(h, r, privateBody());
    await viewSubmission(USERS.reviewer, id);
    await h.slack.command({ user: USERS.reviewer, text: `status ${id}` });
    await r.decide(USERS.reviewer, id, 'card.schedule_review', meetingFields());
    await viewSubmission(USERS.architect, id);
    await r.decide(USERS.architect, id, 'card.record_outcome', { outcome: input.radio('approved'), ...HELD_EARLY });
    await r.decide(USERS.reviewer, id, 'card.record_go_live', { production_since: inputMore.date('2026-03-02') });
    // The developer updates the profile: the thread names fields, never values.
    await h.intake({ ...body, useCase: `${PRIVATE.useCase} Updated.` });
    const rejected = await newApplication(privateBody());
    await r.decide(USERS.reviewer, rejected, 'card.business_review', {
      ...ALL_PASS,
      'criterion.geographies': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant access at this time.'),
    });
    const stale = await newApplication(privateBody());
    clock.set('2026-03-20T09:00:00Z');
    await sweepReminders({ db: database.db, policy: loadConfig({}).policy, clock }, clock.now());
    await h.settle();

    const messages = h.emulator.state.messages;
    expect(messages.filter((m) => m.threadTs).length).toBeGreaterThan(10);
    expect(messages.some((m) => m.text.includes('has not moved'))).toBe(true);
    const files = [...h.emulator.state.files.values()].map((f) => f.content?.toString('utf8') ?? '');
    for (const text of [...messages.map((m) => JSON.stringify({ text: m.text, blocks: m.blocks })), ...files]) {
      for (const secret of [...Object.values(PRIVATE), 'We notify Amazon within 24 hours.', ...CONTACT]) {
        expect(text).not.toContain(secret);
      }
      expect(canariesIn(text)).toEqual([]);
    }
    expect(stale).toBeGreaterThan(rejected);
  });
});
