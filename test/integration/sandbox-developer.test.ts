import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, outbox, questionnaireAnswers, restrictedCalls, webhookState } from '../../db/schema.ts';
import { createWebhookRelay, webhookSignature } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import { SandboxClock } from '../../src/sandbox/clock.ts';
import { duePendingNow } from '../../src/sandbox/clock-db.ts';
import { createDeveloper, createInbox, type Developer, type Inbox } from '../../src/sandbox/developer.ts';
import { developerData, replayWebhooks } from '../../src/sandbox/developer-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, INTAKE_TOKEN, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';
import { MEETING_AT, prepare, START } from '../support/states.ts';

/**
 * The sandbox's developer side against the real bot: every step goes through the intake API
 * (as the developer's system would), on the sandbox clock the bot is given.
 */
let database: TestDatabase;
let h: Harness;
let clock: SandboxClock;
let developer: Developer;
let inbox: Inbox;
let receiver: Server;
let receiverUrl: string;
const SECRET = 'sandbox-webhook-secret-0123456789';

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new SandboxClock(() => Date.parse(START));
  h = await startHarness(database, { clock });
  developer = createDeveloper({
    apiBase: `${h.baseUrl}/`,
    intakeToken: INTAKE_TOKEN,
    clock,
    data: developerData(database.db),
  });
  inbox = createInbox({ secret: SECRET, clock });
  receiver = createServer((req, res) => inbox.route.handler(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sandbox/webhook`;
});
afterAll(async () => {
  await h?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
  inbox.clear();
  clock.jump('now');
});

/** The relay to the sandbox's developer inbox, and sending all it holds. */
const webhookRelay = () =>
  createWebhookRelay({ db: database.db, clock, logger: createLogger('silent'), url: receiverUrl, secret: SECRET });
async function drain(relay: ReturnType<typeof webhookRelay>): Promise<void> {
  while ((await relay.drain()) > 0) {}
}
const row = async (id: number) => {
  const [found] = await database.db.select().from(applications).where(eq(applications.id, id));
  if (!found) throw new Error(`no application ${id}`);
  return found;
};

describe('the developer panel acts through the intake API', () => {
  it('answers the questionnaire with prefilled sample answers: 14 stored, back in review', async () => {
    const id = await prepare(h, reviewer(h), 'sent');
    const view = await developer.view(id);
    expect(view.questionnaire?.questions).toHaveLength(14);
    expect(view.questionnaire?.questions.every((q) => q.prefill.length > 0 && q.prefill.length <= 500)).toBe(true);
    expect(view.questionnaire?.questions.find((q) => q.id === 'Q04')?.prefill).toBe('https://northwind.example.com/privacy');

    const outcome = await developer.answerQuestionnaire(
      id,
      (view.questionnaire?.questions ?? []).map((q) => ({ questionId: q.id, answer: q.prefill })),
    );
    expect(outcome).toMatchObject({ level: 'ok', status: 200 });
    expect(outcome.note).toContain('questionnaireAnswers.Q01');
    await h.settle();
    expect(await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, id))).toHaveLength(
      14,
    );
    expect((await row(id)).status).toBe('in_review');
    // The panel now shows what was given, not the samples.
    const again = await developer.view(id);
    expect(again.questionnaire?.questions[0]?.answer).toBe(again.questionnaire?.questions[0]?.prefill);
  });

  it('resubmits an edited profile (roles included); intake field errors come back and change nothing', async () => {
    const id = await prepare(h, reviewer(h), 'fresh');
    const { submission } = await developer.view(id);
    const changed = await developer.resubmitProfile(id, { ...submission, roles: [...submission.roles, 'Tax Invoicing'] });
    expect(changed).toMatchObject({ level: 'ok', status: 200 });
    expect(changed.note).toContain('roles');
    expect(((await row(id)).submission as { roles: string[] }).roles).toContain('Tax Invoicing');
    const version = (await row(id)).version;

    const refused = await developer.resubmitProfile(id, { ...submission, organization: { name: 'X', website: 'http://x' } });
    expect(refused).toMatchObject({ level: 'error', status: 400 });
    expect(JSON.parse(refused.body ?? '{}').issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'organization.website' })]),
    );
    expect((await row(id)).version).toBe(version);
    await expect(developer.resubmitProfile(id, ['not', 'an', 'object'])).rejects.toThrow('must be a JSON object');
  });

  it("replies to the architects' questions: the reply is an update of the security answers, back in review", async () => {
    const id = await prepare(h, reviewer(h), 'clarification');
    const view = await developer.view(id);
    expect(view.openQuestions).toEqual(['Show the KMS key policy.', 'Where are labels stored?']);
    expect(view.reply).toContain('1. Show the KMS key policy.');
    expect((await row(id)).status).toBe('waiting_on_developer');
    const outcome = await developer.reply(id, view.reply);
    expect(outcome).toMatchObject({ level: 'ok', status: 200 });
    const answers = ((await row(id)).submission as { securityAnswers: { topic: string; answer: string }[] }).securityAnswers;
    expect(answers.at(-1)).toEqual({ topic: 'Reply to the architecture review questions', answer: view.reply });
    expect((await row(id)).status).toBe('in_review');
    await expect(developer.reply(id, '   ')).rejects.toThrow('Write the reply first.');
  });

  it('reports the go-live and a restricted call at the sandbox time', async () => {
    const id = await prepare(h, reviewer(h), 'approved');
    // Before approval neither is taken; after it, both at the sandbox's (moved) time.
    const at = clock.jump('1d');
    expect(await developer.goLive(id)).toMatchObject({ level: 'ok', status: 200 });
    expect((await row(id)).productionSince?.toISOString()).toBe(at.toISOString());
    expect(await developer.restrictedCall(id, 'getOrderAddress')).toMatchObject({ level: 'ok', status: 201 });
    const calls = await database.db.select().from(restrictedCalls).where(eq(restrictedCalls.applicationId, id));
    expect(calls.map((c) => [c.operation, c.at.toISOString()])).toEqual([['getOrderAddress', at.toISOString()]]);

    const fresh = await prepare(h, reviewer(h), 'fresh');
    expect(await developer.goLive(fresh)).toMatchObject({ level: 'error', status: 422 });
    expect(await developer.restrictedCall(fresh, 'getOrderAddress')).toMatchObject({ level: 'error', status: 409 });
    await expect(developer.goLive(99_999)).rejects.toThrow('No application 99999.');
  });
});

describe("the developer inbox reads the bot's webhooks", () => {
  it('keeps what was sent to the developer (the questionnaire, a denial text), checking the signature', async () => {
    const sent = await prepare(h, reviewer(h), 'sent');
    const rejected = await prepare(h, reviewer(h), 'rejected');
    const scheduled = await prepare(h, reviewer(h), 'scheduled');
    const relay = webhookRelay();
    await drain(relay);

    const mails = inbox.of(sent);
    expect(mails.map((m) => m.label)).toEqual(['Security questionnaire']);
    // The invite's time as its webhook carried it: the developer's side reads no database.
    expect(
      inbox
        .of(scheduled)
        .filter((m) => m.type === 'review.scheduled')
        .map((m) => m.meeting),
    ).toEqual([{ startsAt: MEETING_AT.toISOString(), durationMinutes: 60, status: 'scheduled' }]);
    expect(mails[0]?.text).toContain('Q01');
    expect(inbox.of(rejected).map((m) => [m.label, m.text])).toEqual([['Denial', 'Final.']]);

    // A forged or stale delivery is refused and kept out.
    const body = JSON.stringify({ id: 999, type: 'information.requested', applicationId: sent, at: START, text: 'forged' });
    const stamp = String(Math.floor(clock.now().getTime() / 1000));
    const forged = await fetch(receiverUrl, {
      method: 'POST',
      headers: { 'x-pii-review-timestamp': stamp, 'x-pii-review-signature': webhookSignature('wrong', stamp, body) },
      body,
    });
    expect(forged.status).toBe(401);
    const old = String(Math.floor(clock.now().getTime() / 1000) - 3600);
    const stale = await fetch(receiverUrl, {
      method: 'POST',
      headers: { 'x-pii-review-timestamp': old, 'x-pii-review-signature': webhookSignature(SECRET, old, body) },
      body,
    });
    expect(stale.status).toBe(401);
    expect(inbox.of(sent)).toHaveLength(1);

    // A restarted sandbox (an empty inbox) has the webhooks sent again from the first event.
    inbox.clear();
    await replayWebhooks(database.db);
    await drain(relay);
    expect(inbox.of(sent).map((m) => m.label)).toEqual(['Security questionnaire']);
    expect(inbox.of(rejected).map((m) => m.label)).toEqual(['Denial']);
  });
});

describe('the developer inbox hears of role reviews', () => {
  it('shows a role review started and its denial, with the roles and the denial text', async () => {
    const id = await prepare(h, reviewer(h), 'approved');
    const app = await developer.view(id);
    await developer.resubmitProfile(id, { ...app.submission, roles: [...app.submission.roles, 'Tax Remittance'] });
    await h.settle();
    await reviewer(h).decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant the added role at this time.'),
    });
    await drain(webhookRelay());
    const mails = inbox.of(id).filter((m) => m.type.startsWith('role_review.'));
    expect(mails.map((m) => [m.label, m.roles, m.text])).toEqual([
      ['Role review started: added roles', ['Tax Remittance'], undefined],
      ['Denial: added roles', ['Tax Remittance'], 'We cannot grant the added role at this time.'],
    ]);
  });
});

describe('back to now', () => {
  it("makes Slack effects and webhook retries put off to the sandbox's future due now, and leaves the rest", async () => {
    await prepare(h, reviewer(h), 'stage2');
    const rows = await database.db.select().from(outbox);
    expect(rows.length).toBeGreaterThan(1);
    const [putOff, delivered] = rows;
    if (!putOff || !delivered) throw new Error('two effects expected');
    const future = new Date(Date.parse(START) + 90 * 86_400_000 + 1_000);
    await database.db.update(outbox).set({ doneAt: null, availableAt: future }).where(eq(outbox.id, putOff.id));
    await database.db.insert(webhookState).values({ id: 1, nextAttemptAt: future });

    const now = clock.jump('now');
    await duePendingNow(database.db, now);
    const after = await database.db.select().from(outbox);
    expect(after.find((r) => r.id === putOff.id)?.availableAt.toISOString()).toBe(now.toISOString());
    expect(after.find((r) => r.id === delivered.id)?.availableAt.toISOString()).toBe(delivered.availableAt.toISOString());
    const [state] = await database.db.select().from(webhookState);
    expect(state?.nextAttemptAt?.toISOString()).toBe(now.toISOString());
  });
});
