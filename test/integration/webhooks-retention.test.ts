import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applications,
  denialReasons,
  developerMessages,
  developerReplies,
  events,
  gaps,
  questionnaireAnswers,
} from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { purgeExpired } from '../../src/jobs/retention.ts';
import { createWebhookRelay, webhookSignature } from '../../src/jobs/webhooks.ts';
import { createLogger } from '../../src/logger.ts';
import { canaryApplication } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { ADMIN_API_TOKEN, type Harness, startHarness, USERS } from '../support/harness.ts';
import { LogCapture } from '../support/logs.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';
import { prepare } from '../support/states.ts';

const SECRET = 'webhook-secret-0123456789';
let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T10:00:00Z');

/** A receiver on loopback that records what it got and answers with the status it is told to. */
let receiver: Server;
let receiverUrl = '';
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let answers: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});
beforeEach(async () => {
  // The last test's effects still in flight would land on this test's channel.
  await h.settle();
  clock.set('2026-03-02T10:00:00Z');
  await h.reset();
  received.length = 0;
  answers = [];
});

const relay = () =>
  createWebhookRelay({ db: database.db, clock, logger: createLogger('silent'), url: receiverUrl, secret: SECRET });

describe('outbound webhooks', () => {
  it('posts every state change, signed, in order, with the developer-facing text where there is one', async () => {
    const body = applicationBody();
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.geographies': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('Not at this time. This decision is final.'),
    });
    expect(await relay().drain()).toBe(2);
    expect(received.map((d) => JSON.parse(d.body).type)).toEqual(['application.received', 'business_review.rejected']);
    const rejected = JSON.parse(received[1]?.body ?? '{}');
    expect(rejected).toMatchObject({
      applicationId: id,
      profileId: body.profileId,
      stage: 'closed',
      status: 'rejected',
      actor: USERS.reviewer,
      text: 'Not at this time. This decision is final.',
    });
    for (const d of received) {
      const timestamp = String(d.headers['x-pii-review-timestamp']);
      expect(d.headers['x-pii-review-signature']).toBe(webhookSignature(SECRET, timestamp, d.body));
    }
  });

  it('calls a Stage 2 denial a rejection at that stage, with the text as sent and never the internal reason', async () => {
    const id = (await h.intake(applicationBody())).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
    await r.decide(USERS.reviewer, id, 'card.deny_security', {
      denial_text: input.text('We cannot grant the requested roles at this time.'),
      reason_note: input.text('Plaintext PII in the support tool.'),
    });
    await relay().drain();
    const rejected = received.map((d) => JSON.parse(d.body)).find((e) => e.type === 'security.rejected');
    expect(rejected).toMatchObject({
      applicationId: id,
      status: 'rejected',
      rejectedAtStage: 'security',
      text: 'We cannot grant the requested roles at this time.',
    });
    expect(received.map((d) => d.body).join('\n')).not.toContain('Plaintext PII');
    // Earlier events are no rejection: they carry no stage of one.
    expect(received.filter((d) => JSON.parse(d.body).rejectedAtStage !== undefined)).toHaveLength(1);
  });

  it('retries with backoff until the receiver answers 2xx, and never sends an acknowledged event again', async () => {
    await h.intake(applicationBody());
    await h.intake(applicationBody());
    answers = [200, 503];
    const hooks = relay();
    expect(await hooks.drain()).toBe(1);
    expect(await hooks.drain()).toBe(0); // backing off: nothing is sent before the delay
    clock.advanceBy(1_000);
    expect(await hooks.drain()).toBe(1);
    expect(await hooks.drain()).toBe(0);
    const ids = received.map((d) => JSON.parse(d.body).id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(2);
  });

  it('sends the stage and status of the moment of the event, even when it is delivered after later changes', async () => {
    const id = (await h.intake(applicationBody())).json.id as number;
    await h.settle();
    answers = [500];
    expect(await relay().drain()).toBe(0);
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    clock.advanceBy(11 * 60_000);
    expect(await relay().drain()).toBe(2);
    const [receivedEvent, claimed] = received.map((d) => JSON.parse(d.body));
    expect(receivedEvent).toMatchObject({ type: 'application.received', stage: 'business', status: 'new', cycle: 1 });
    expect(claimed).toMatchObject({ type: 'application.claimed', stage: 'business', status: 'in_review', cycle: 1 });
  });

  it('names the review cycle an event belongs to, even when it is delivered after the next cycle opened', async () => {
    const body = applicationBody();
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.use_case': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot grant the requested roles at this time.'),
    });
    // The receiver is down while the developer resubmits: the rejection goes out after cycle 2 opened.
    answers = [500];
    expect(await relay().drain()).toBe(0);
    const again = await h.intake({ ...body, launchReadiness: 'beta' });
    expect(again.json).toMatchObject({ outcome: 'resubmitted', cycle: 2 });
    clock.advanceBy(11 * 60_000);
    await relay().drain();
    const sent = received.map((d) => JSON.parse(d.body));
    expect(sent.map((e) => [e.type, e.cycle, e.status])).toEqual([
      ['application.received', 1, 'new'],
      ['business_review.rejected', 1, 'rejected'],
      ['application.resubmitted', 2, 'new'],
    ]);
  });

  it('two relays on one database never send an event twice', async () => {
    for (let i = 0; i < 5; i += 1) await h.intake(applicationBody());
    await Promise.all([relay().drain(), relay().drain(), relay().drain()]);
    await relay().drain();
    expect(received.map((d) => JSON.parse(d.body).id)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('retention', () => {
  it('deletes contact data and answers of applications rejected or withdrawn past RETENTION_DAYS, keeping the events', async () => {
    const body = applicationBody();
    const old = (await h.intake(body)).json.id as number;
    const recent = (await h.intake(applicationBody())).json.id as number;
    const open = (await h.intake(applicationBody())).json.id as number;
    await database.db
      .update(applications)
      .set({ stage: 'closed', status: 'rejected', statusSince: new Date('2025-08-01T00:00:00Z') })
      .where(eq(applications.id, old));
    await database.db
      .update(applications)
      .set({ stage: 'closed', status: 'withdrawn', statusSince: new Date('2026-02-01T00:00:00Z') })
      .where(eq(applications.id, recent));
    await database.db
      .insert(questionnaireAnswers)
      .values({ applicationId: old, questionId: 'Q01', answer: 'secret answer', source: 'developer', receivedAt: clock.now() });
    await database.db.insert(developerReplies).values({
      applicationId: old,
      stage: 'security',
      summary: 'secret reply',
      recordedBy: USERS.reviewer,
      recordedAt: clock.now(),
    });
    await database.db.insert(denialReasons).values({
      applicationId: old,
      stage: 'security',
      area: 'logging_monitoring',
      note: 'secret note',
      recordedBy: USERS.reviewer,
      recordedAt: clock.now(),
    });
    await database.db.insert(gaps).values({
      applicationId: old,
      area: 'encryption_at_rest',
      severity: 'high',
      description: 'secret gap text',
      resolution: 'secret resolution',
      resolvedAt: clock.now(),
      raisedBy: USERS.reviewer,
      raisedAt: clock.now(),
    });
    await database.db.update(applications).set({ questionnaireSkipReason: 'secret skip reason' }).where(eq(applications.id, old));
    // An information request quotes the open gaps' descriptions; a denial is the general wording.
    await database.db.insert(developerMessages).values([
      {
        applicationId: old,
        kind: 'information_request',
        body: 'Please address: secret gap text',
        sentBy: USERS.reviewer,
        sentAt: clock.now(),
      },
      {
        applicationId: old,
        kind: 'denial',
        body: 'We cannot approve this application.',
        sentBy: USERS.reviewer,
        sentAt: clock.now(),
      },
    ]);
    const logs = new LogCapture();
    const purged = await purgeExpired({ db: database.db, logger: createLogger('info', logs) }, clock.now(), 180);
    expect(purged).toEqual([old]);
    const [row] = await database.db.select().from(applications).where(eq(applications.id, old));
    const text = JSON.stringify(row?.submission);
    expect(text).not.toContain(body.contact.email);
    expect(text).not.toContain('AES-256');
    expect(text).not.toContain(body.impoc.email);
    expect(text).not.toContain(body.useCase);
    expect(text).not.toContain(body.businessDescription);
    expect(row?.purgedAt).toEqual(clock.now());
    expect(await database.db.select().from(questionnaireAnswers)).toEqual([]);
    expect(await database.db.select().from(developerReplies)).toEqual([]);
    const leftOver = JSON.stringify([
      await database.db.select().from(gaps),
      row?.questionnaireSkipReason,
      await database.db.select().from(developerMessages),
    ]);
    expect(leftOver).toContain('We cannot approve this application.');
    expect(leftOver).not.toMatch(/secret (gap text|resolution|skip reason)/);
    expect((await database.db.select().from(gaps)).map((g) => [g.area, g.severity])).toEqual([['encryption_at_rest', 'high']]);
    expect((await database.db.select().from(denialReasons)).map((d) => [d.area, d.note])).toEqual([['logging_monitoring', null]]);
    // The events stay, and the purge is one more: its thread line says what went.
    const history = await database.db.select().from(events).where(eq(events.applicationId, old)).orderBy(events.id);
    expect(history.map((e) => e.type)).toEqual(['application.received', 'application.purged']);
    await h.settle();
    expect(r.threadOf(old).at(-1)).toContain('was deleted under the retention policy, 180 days after the review ended');
    expect(logs.text).toContain('"purged":1');
    expect(logs.text).not.toContain(body.contact.email);
    expect(await purgeExpired({ db: database.db, logger: createLogger('silent') }, clock.now(), 180)).toEqual([]);
    void open;
  });
});

describe('retention after a purge', () => {
  const sweepAt = (at: string) =>
    fetch(`${h.baseUrl}/api/reminders/sweep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ at }),
    }).then(async (res) => ({ status: res.status, json: await res.json() }));

  it('forgets the content hash, counts data sent again, and refuses answers no stage asked for', async () => {
    clock.set('2026-03-02T10:00:00Z');
    const body = applicationBody();
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    await r.decide(USERS.admin, id, 'admin:withdraw', { reason: input.text('Withdrawn by the developer.') });
    const [withdrawn] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(withdrawn?.status).toBe('withdrawn');

    // Answers to a questionnaire that was sent, arriving after the application was withdrawn.
    const asked = await prepare(h, r, 'sent');
    await r.decide(USERS.admin, asked, 'admin:withdraw', { reason: input.text('Withdrawn by the developer.') });
    const [askedRow] = await database.db.select().from(applications).where(eq(applications.id, asked));
    const answers = await h.intake(
      canaryApplication({
        profileId: askedRow?.profileId,
        questionnaireAnswers: [{ questionId: 'Q01', answer: 'Firewalls.' }],
      }),
    );
    expect(answers.status).toBe(422);
    expect(answers.json.issues[0]).toMatchObject({
      path: 'questionnaireAnswers',
      message: expect.stringContaining('security stage'),
    });
    expect(await database.db.select().from(questionnaireAnswers).where(eq(questionnaireAnswers.applicationId, asked))).toEqual(
      [],
    );

    // The retention pass at an instant, as `npm run remind -- --at` runs it.
    clock.set('2026-09-01T10:00:00Z');
    const first = await sweepAt('2026-09-01T10:00:00Z');
    expect(first.status).toBe(200);
    expect([...first.json.purged].sort()).toEqual([id, asked].sort());

    // The purged content sent again is not "unchanged": nothing confirms a guess. It is a
    // resubmission of a withdrawn application: a new review cycle holding only what it brings.
    const again = await h.intake(body);
    expect(again.json).toMatchObject({ outcome: 'resubmitted', cycle: 2, stage: 'business', status: 'new' });
    const [resubmitted] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(resubmitted?.purgedAt).toBeNull();
    expect(JSON.stringify(resubmitted?.submission)).toContain(body.contact.email);

    expect((await sweepAt('2026-09-01T10:00:00Z')).json.purged).toEqual([]);
    // Under review again, it keeps its data however long the cycle takes…
    clock.set('2027-03-01T10:00:00Z');
    expect((await sweepAt('2027-03-01T10:00:00Z')).json.purged).toEqual([]);
    await h.settle();
    await r.decide(USERS.admin, id, 'admin:withdraw', { reason: input.text('Withdrawn again.') });
    // …and once this cycle has ended RETENTION_DAYS ago, it is purged again.
    clock.set('2027-09-01T10:00:00Z');
    expect((await sweepAt('2027-09-01T10:00:00Z')).json.purged).toEqual([id]);
    const [purgedAgain] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(JSON.stringify(purgedAgain?.submission)).not.toContain(body.contact.email);
  });

  it('offers no reopen once a rejected application was purged: what the team would record next could never be deleted', async () => {
    clock.set('2026-03-02T10:00:00Z');
    const id = (await h.intake(applicationBody())).json.id as number;
    await h.settle();
    await r.decide(USERS.reviewer, id, 'card.business_review', {
      ...ALL_PASS,
      'criterion.public_website': input.radio('fail'),
      decision: input.radio('reject'),
      denial_text: input.text('We cannot approve this application.'),
    });
    await h.settle();
    expect(r.buttons(id)).toContain('admin:reopen');
    clock.set('2026-09-01T10:00:00Z');
    expect((await sweepAt('2026-09-01T10:00:00Z')).json.purged).toEqual([id]);
    await h.settle();
    expect(r.buttons(id)).not.toContain('admin:reopen');
    const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
    expect(row).toMatchObject({ status: 'rejected', stage: 'closed' });
  });
});
