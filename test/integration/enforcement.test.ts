import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, events } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const eventCount = async (id: number) => (await database.db.select().from(events).where(eq(events.applicationId, id))).length;

type Setup = 'fresh' | 'rejected' | 'stage2' | 'gap' | 'sent' | 'answered' | 'accepted';

/** Brings an application to a state through the real flows, as the admin. */
async function prepare(setup: Setup): Promise<number> {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  if (setup === 'fresh') return id;
  if (setup === 'rejected') {
    await r.decide(USERS.admin, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('Final.'),
    });
    return id;
  }
  await r.decide(USERS.admin, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  if (setup === 'stage2') return id;
  if (setup === 'gap') {
    await r.decide(USERS.admin, id, 'card.record_gap', {
      area: input.select('privacy_policy'),
      severity: input.select('low'),
      description: input.text('Hosted on a free blog.'),
    });
    return id;
  }
  await r.click(USERS.admin, id, 'card.send_questionnaire');
  await h.settle();
  if (setup === 'sent') return id;
  await h.intake({ ...body, questionnaireAnswers: [{ questionId: 'Q01', answer: 'Firewalls.' }] });
  await h.settle();
  if (setup === 'answered') return id;
  throw new Error(`unknown setup ${setup}`);
}

const ROLE_USERS = {
  reviewer: USERS.reviewer,
  architect: USERS.architect,
  admin: USERS.admin,
  outsider: USERS.outsider,
} as const;
type RoleName = keyof typeof ROLE_USERS;

/** Every action of the card: how it is reached, the state it needs, who may use it. */
const ACTIONS: { action: string; setup: Setup; allowed: RoleName[]; callback?: string }[] = [
  { action: 'card.business_review', setup: 'fresh', allowed: ['reviewer', 'admin'], callback: 'business_review' },
  { action: 'card.record_gap', setup: 'stage2', allowed: ['reviewer', 'admin'], callback: 'record_gap' },
  { action: 'card.resolve_gap', setup: 'gap', allowed: ['reviewer', 'admin'], callback: 'resolve_gap' },
  { action: 'card.request_information', setup: 'stage2', allowed: ['reviewer', 'admin'], callback: 'request_information' },
  { action: 'card.record_answers', setup: 'sent', allowed: ['reviewer', 'admin'], callback: 'record_answers' },
  { action: 'card.review_answers', setup: 'answered', allowed: ['reviewer', 'admin'], callback: 'review_answers' },
  { action: 'admin:assign', setup: 'fresh', allowed: ['admin'], callback: 'assign' },
  { action: 'admin:withdraw', setup: 'fresh', allowed: ['admin'], callback: 'withdraw' },
  { action: 'admin:reopen', setup: 'rejected', allowed: ['admin'], callback: 'reopen' },
  { action: 'card.claim', setup: 'fresh', allowed: ['reviewer', 'admin'] },
  { action: 'card.send_questionnaire', setup: 'stage2', allowed: ['reviewer', 'admin'] },
];

const matrix = ACTIONS.flatMap((a) =>
  (Object.keys(ROLE_USERS) as RoleName[]).map((role) => ({ ...a, role, ok: a.allowed.includes(role) })),
);

describe('role matrix: every action × reviewer / architect / admin / outsider', () => {
  it.each(matrix)('$action by $role: allowed=$ok', async ({ action, setup, role, ok, callback }) => {
    const id = await prepare(setup);
    const user = ROLE_USERS[role];
    const before = await row(id);
    const viewsBefore = h.emulator.state.views.size;
    if (action.startsWith('admin:')) await r.adminOption(user, id, action.slice(6));
    else await r.click(user, id, action);
    await h.settle();

    if (!ok) {
      await expect
        .poll(() => r.ephemeralsFor(user).join('\n'))
        .toMatch(action.startsWith('admin:') ? /Only an admin can do this/ : /Only a reviewer or an admin can do this/);
      expect(h.emulator.state.views.size).toBe(viewsBefore);
      expect(await row(id)).toEqual(before);
      return;
    }
    expect(r.ephemeralsFor(user)).toEqual([]);
    if (callback) {
      await expect.poll(() => r.modal(user).view.callback_id).toBe(callback);
      expect(await row(id)).toEqual(before);
    } else {
      expect((await row(id))?.version).toBe((before?.version ?? 0) + 1);
    }
  });
});

describe('the server checks roles whatever the view showed', () => {
  it.each([
    [
      'record_gap by an outsider',
      'stage2' as Setup,
      'card.record_gap',
      USERS.reviewer,
      USERS.outsider,
      { area: input.select('third_parties'), severity: input.select('low'), description: input.text('x') },
    ],
    [
      'business_review by an architect',
      'fresh' as Setup,
      'card.business_review',
      USERS.reviewer,
      USERS.architect,
      { ...ALL_PASS, decision: input.radio('advance') },
    ],
  ])('refuses a modal submitted by someone without the role: %s', async (_name, setup, action, opener, submitter, fields) => {
    const id = await prepare(setup);
    const viewId = await r.open(opener, id, action);
    const before = await row(id);
    const answer = await r.submit(submitter, fields, viewId);
    await h.settle();
    expect(answer.status).toBe(200);
    await expect.poll(() => r.ephemeralsFor(submitter).join('\n')).toContain('Only a reviewer or an admin can do this');
    expect(await row(id)).toEqual(before);
  });

  it('refuses an admin command submitted by a reviewer', async () => {
    const id = await prepare('fresh');
    const viewId = await r.open(USERS.admin, id, 'admin:withdraw');
    await r.submit(USERS.reviewer, { reason: input.text('I would like to.') }, viewId);
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer).join('\n')).toContain('Only an admin can do this');
    expect((await row(id))?.status).toBe('new');
  });
});

describe('concurrency, retries and double clicks', () => {
  const CONFLICTING = 20;

  it(`${CONFLICTING} conflicting decisions at once: exactly one wins, the others are told who decided`, async () => {
    const id = await prepare('fresh');
    const deciders = [USERS.reviewer, USERS.reviewer2, USERS.admin];
    const views: { user: string; viewId: string }[] = [];
    for (let i = 0; i < CONFLICTING; i += 1) {
      const user = deciders[i % deciders.length] as string;
      views.push({ user, viewId: await r.open(user, id, 'card.business_review') });
    }
    const answers = await Promise.all(
      views.map(({ user, viewId }, i) =>
        r.submit(
          user,
          {
            ...ALL_PASS,
            ...(i % 2 ? {} : { 'criterion.use_case': input.radio('fail') }),
            decision: input.radio(i % 2 ? 'advance' : 'reject'),
            denial_text: input.text('Final.'),
          },
          viewId,
        ),
      ),
    );
    await h.settle();
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const decided = (await database.db.select().from(events).where(eq(events.applicationId, id))).filter((e) =>
      e.type.startsWith('business_review.'),
    );
    expect(decided).toHaveLength(1);
    expect((await row(id))?.version).toBe(2);
    // The notice follows the ack, so it may land a moment after the HTTP answer.
    const told = () => h.emulator.state.ephemerals.filter((e) => e.text.includes('Already decided'));
    await expect.poll(() => told().length).toBe(CONFLICTING - 1);
    const verb = decided[0]?.type === 'business_review.passed' ? 'passed' : '*rejected*';
    expect(told().every((e) => e.text.includes(`<@${decided[0]?.actor}> ${verb}`))).toBe(true);
  });

  it('a modal submitted twice (a retry) changes nothing the second time', async () => {
    const id = await prepare('stage2');
    const viewId = await r.open(USERS.reviewer, id, 'card.record_gap');
    const fields = {
      area: input.select('logging_monitoring'),
      severity: input.select('medium'),
      description: input.text('PII in logs.'),
    };
    const [first, second] = await Promise.all([
      r.submit(USERS.reviewer, fields, viewId),
      h.slack.viewSubmission({
        user: USERS.reviewer,
        viewId,
        values: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v }])),
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    ]);
    await h.settle();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await row(id))?.version).toBe(3);
    expect(r.threadOf(id).filter((line) => line.includes('gap in Logging and monitoring'))).toHaveLength(1);
  });

  it('a double click on Claim claims once and tells nobody off', async () => {
    const id = await prepare('fresh');
    const value = `${id}:1`;
    const ts = r.card(id).ts;
    const click = () =>
      h.slack.messageAction({ user: USERS.reviewer, channel: CHANNEL, ts, action: { actionId: 'card.claim', value } });
    await Promise.all([click(), click()]);
    await h.settle();
    expect(await eventCount(id)).toBe(2);
    expect((await row(id))?.assigneeId).toBe(USERS.reviewer);
    expect(r.ephemeralsFor(USERS.reviewer)).toEqual([]);
  });

  it('a click on a stale card tells the user who decided since', async () => {
    const id = await prepare('fresh');
    const staleTs = r.card(id).ts;
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    await h.slack.messageAction({
      user: USERS.reviewer2,
      channel: CHANNEL,
      ts: staleTs,
      action: { actionId: 'card.claim', value: `${id}:1` },
    });
    await expect.poll(() => r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain('Already decided (<!date^');
    expect(r.ephemeralsFor(USERS.reviewer2).join('\n')).toContain(`<@${USERS.reviewer}> claimed the application.`);
    expect((await row(id))?.assigneeId).toBe(USERS.reviewer);
  });
});
