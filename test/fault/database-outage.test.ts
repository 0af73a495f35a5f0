import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool } from '../../db/client.ts';
import { FakeClock } from '../../src/clock.ts';
import { SOMETHING_WENT_WRONG } from '../../src/listeners/deps.ts';
import { botEnv, createProcessDatabase, startBotProcess } from '../support/bot-process.ts';
import { canariesIn, canaryApplication } from '../support/canaries.ts';
import { mrkdwnTexts } from '../support/fixtures.ts';
import { CHANNEL, type Harness, INTAKE_TOKEN, startHarness, startTestEmulator, USERS } from '../support/harness.ts';
import { halfWritten, rowsOf } from '../support/invariants.ts';
import { createOutageDatabase, type OutageDatabase, postgresUrl } from '../support/outage.ts';
import { freePort } from '../support/ports.ts';
import { ALL_PASS, input, reviewer, values } from '../support/reviewer.ts';
import { channelByApplication } from '../support/slack-observer.ts';

let outage: OutageDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  outage = await createOutageDatabase();
  h = await startHarness(outage.database, { clock });
  r = reviewer(h);
  console.log(`[fault] database outage made by: ${outage.how}`);
});
afterAll(async () => {
  await outage?.up();
  await h?.stop();
  await outage?.close();
});
beforeEach(async () => {
  await outage.up();
  await outage.database.reset();
  h.emulator.state.reset();
});

const db = () => outage.database.db;
const told = (user: string) => r.ephemeralsFor(user).join('\n');
const readyz = async () => (await fetch(`${h.baseUrl}/readyz`)).status;

async function freshApplication(): Promise<number> {
  const res = await h.intake(canaryApplication());
  expect(res.status).toBe(201);
  await h.settle();
  return res.json.id as number;
}

describe('the database goes away while requests arrive, and comes back', () => {
  it('tells every user clearly, writes nothing half, and resumes by itself', async () => {
    const id = await freshApplication();
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const statusAnswer = () => h.slack.command({ user: USERS.reviewer2, text: `status ${id}` });

    await outage.down();
    const refused = await h.intake(canaryApplication());
    expect(refused.status).toBe(500);
    expect(refused.json.error).toMatch(/could not be stored; try again\. Nothing was changed/);
    const status = await statusAnswer();
    expect(status.status).toBe(200);
    expect(mrkdwnTexts(status.json).join('\n')).toContain(SOMETHING_WENT_WRONG);
    const submitted = await r.submit(USERS.reviewer, { ...ALL_PASS, decision: input.radio('advance') }, viewId);
    expect(submitted.status).toBe(200);
    await expect.poll(() => told(USERS.reviewer)).toContain('Something went wrong');
    const click = await r.click(USERS.admin, id, 'card.claim');
    expect(click.status).toBe(200);
    await expect.poll(() => told(USERS.admin)).toContain('Something went wrong');
    await r.click(USERS.reviewer2, id, 'card.business_review');
    await expect.poll(() => told(USERS.reviewer2)).toContain('Something went wrong');
    expect(await readyz()).toBe(503);

    // Back: the same app, no restart; the failed submission can simply be sent again.
    await outage.up();
    await expect.poll(readyz, { timeout: 10_000 }).toBe(200);
    expect((await h.intake(canaryApplication())).status).toBe(201);
    const again = await h.slack.viewSubmission({
      user: USERS.reviewer,
      viewId,
      values: values({ ...ALL_PASS, decision: input.radio('advance') }),
    });
    expect(again.status).toBe(200);
    expect(again.text).toBe('');
    expect(mrkdwnTexts((await statusAnswer()).json).join('\n')).toContain('passed the business review');
    await h.settle();

    expect(await halfWritten(db())).toEqual([]);
    const seen = channelByApplication(h.emulator);
    expect([...seen.cards.values()].map((cards) => cards.length)).toEqual([1, 1]);
    expect(seen.threads.get(id)?.filter((line) => line.includes('passed the business review'))).toHaveLength(1);
    expect(canariesIn(h.logs.text)).toEqual([]);
  });

  it('a connection lost in the middle of a load leaves each change whole or absent, and all effects go out', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await freshApplication());
    const claim = (id: number) =>
      h.slack.messageAction({
        user: USERS.reviewer,
        channel: CHANNEL,
        ts: r.card(id).ts,
        action: { actionId: 'card.claim', blockId: 'card.actions', value: `${id}:1` },
      });
    const load = [
      ...Array.from({ length: 30 }, () => async () => {
        const res = await h.intake(canaryApplication());
        return { kind: 'intake', status: res.status, error: res.json?.error as string | undefined, id: res.json?.id as number };
      }),
      ...ids.map((id) => async () => ({ kind: 'claim', status: (await claim(id)).status, error: undefined, id })),
    ];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const cut = (async () => {
      await sleep(100);
      await outage.down();
      await sleep(150);
      await outage.up();
    })();
    // Spread over time, so the outage falls inside transactions, not only between them.
    const answers = await Promise.all(load.map(async (send, i) => sleep(i * 10).then(send)));
    await cut;
    for (const a of answers) {
      expect([200, 201, 500], `${a.kind} answered ${a.status}`).toContain(a.status);
      if (a.status === 500) expect(a.error).toMatch(/Nothing was changed/);
    }
    await expect.poll(readyz, { timeout: 10_000 }).toBe(200);
    await h.app.dispatcher.drain();
    // Effects whose settle failed stay leased by this instance; they go out again once the lease runs out.
    clock.advanceBy(61_000);
    await h.settle();
    expect(await halfWritten(db())).toEqual([]);
    for (const a of answers.filter((x) => x.kind === 'intake' && x.status === 201)) {
      const [row] = await rowsOf(db(), sql`select count(*)::int as n from events where application_id = ${a.id}`);
      expect(row?.n, `acknowledged intake #${a.id}`).toBe(1);
    }
    const apps = await rowsOf(db(), sql`select id from applications`);
    const seen = channelByApplication(h.emulator);
    const cards = apps.map((a) => seen.cards.get(Number(a.id))?.length ?? 0);
    expect(cards.every((n) => n >= 1)).toBe(true);
    const duplicates = cards.reduce((sum, n) => sum + n - 1, 0);
    const [retried] = await rowsOf(db(), sql`select count(*)::int as n from outbox where attempts > 1`);
    console.log(
      `[fault] outage under load (${outage.database.kind}): ${answers.filter((a) => a.status === 500).length} of ${answers.length} ` +
        `requests refused with 500; ${retried?.n} effects tried again; ${duplicates} duplicate cards`,
    );
    // An effect Slack took whose database write then failed is tried again, and finds its post.
    expect(duplicates).toBe(0);
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});

describe('a database error in the middle of storing an application', () => {
  it('answers 500 with the JSON error and logs no contact data or security answers', async () => {
    // The insert itself fails (as a constraint, a serialization failure or a dropped connection can):
    // the failed query, with its parameters, must not reach the log.
    await db().execute(sql`create or replace function fail_marked_insert() returns trigger language plpgsql as $$
      begin
        if new.organization_name = 'Trigger Failure GmbH' then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await db().execute(sql`create or replace trigger fail_marked_insert before insert on applications
      for each row execute function fail_marked_insert()`);
    try {
      const logged = h.logs.raw.length;
      const res = await h.intake(
        canaryApplication({ organization: { name: 'Trigger Failure GmbH', website: 'https://trigger.example.com' } }),
      );
      expect(res.status).toBe(500);
      expect(res.json.error).toMatch(/Nothing was changed/);
      expect(h.logs.raw.slice(logged).some((line) => line.includes('intake request failed'))).toBe(true);
      expect(canariesIn(h.logs.raw.slice(logged).join('\n'))).toEqual([]);
    } finally {
      await db().execute(sql`drop trigger if exists fail_marked_insert on applications`);
    }
  });
});

describe.skipIf(!postgresUrl())('a connection lost between checkout and the start of a transaction', () => {
  it('goes back to the pool by itself, so the next transaction still gets a connection', async () => {
    const pool = createPool(outage.database.url ?? '', 1);
    try {
      // The connection dies right after checkout, before `begin` (as in a failover): closing it
      // here makes that moment certain instead of a race with pg_terminate_backend.
      pool.once('acquire', (client: pg.PoolClient) => void client.end());
      const onePool = drizzle(pool);
      await expect(onePool.transaction((tx) => tx.execute(sql`select 1`))).rejects.toThrow(/Failed query: begin/);
      // One slot: had the dead client kept it, this would wait and fail with a connect timeout.
      const { rows } = await onePool.transaction((tx) => tx.execute<{ one: number }>(sql`select 1 as one`));
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});

if (!postgresUrl()) console.log('[fault] skipped: terminating a bot process’s connections needs Postgres (DATABASE_URL)');

describe.skipIf(!postgresUrl())('a bot process whose Postgres connections are terminated (server restart, failover)', () => {
  it('keeps running and takes requests again', { timeout: 90_000 }, async () => {
    const emulator = await startTestEmulator();
    const database = await createProcessDatabase();
    const env = botEnv({ port: await freePort(), slackApiUrl: emulator.apiUrl, database });
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    const bot = await startBotProcess(env);
    try {
      let exit: number | null | 'running' = 'running';
      void bot.exited.then((code) => {
        exit = code;
      });
      const post = () =>
        fetch(`${bot.baseUrl}/api/applications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(canaryApplication()),
        }).then(
          (res) => res.status,
          () => 'no answer',
        );
      const load = Array.from({ length: 120 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 5)).then(post));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const name = new URL(env.DATABASE_URL ?? '').pathname.slice(1);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      const statuses = await Promise.all(load);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const crash = bot.output.filter((line) => !line.startsWith('{')).join('\n');
      expect(exit, `the bot process died:\n${crash.slice(0, 1500)}`).toBe('running');
      expect(statuses.filter((s) => s !== 201 && s !== 500)).toEqual([]);
      expect(await post()).toBe(201);
      expect(await database.inspect(halfWritten)).toEqual([]);
    } finally {
      await bot.kill('SIGKILL');
      await admin.end();
      await emulator.close();
      await database.close();
    }
  });
});
