import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, events, gaps } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

/**
 * A modal filled in while the application changed: the change is answered first, before the
 * form is read against a state it was not built on.
 */
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

type View = { blocks: { type: string; block_id?: string }[] };
const inputIds = (view: unknown) =>
  (view as View).blocks.flatMap((b) => (b.type === 'input' && b.block_id ? [b.block_id] : []));
const row = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
const eventTypes = async (id: number) =>
  (await database.db.select().from(events).where(eq(events.applicationId, id))).map((e) => e.type);

async function inStage2() {
  const body = applicationBody();
  const id = (await h.intake(body)).json.id as number;
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  return { id, body };
}

describe('a form filled in while the application changed', () => {
  it('business review opened on the private track: a switch to public is no error under a criterion the form lacks', async () => {
    const body = applicationBody({ developerType: 'private' });
    const id = (await h.intake(body)).json.id as number;
    await h.settle();
    const viewId = await r.open(USERS.reviewer, id, 'card.business_review');
    const shown = inputIds(r.modal(USERS.reviewer).view);
    expect(shown).not.toContain('criterion.differentiation');
    expect((await h.intake({ ...body, developerType: 'public' })).status).toBe(200);
    await h.settle();

    const { 'criterion.differentiation': _public, ...privateTrack } = ALL_PASS;
    const answer = await r.submit(USERS.reviewer, { ...privateTrack, decision: input.radio('advance') }, viewId);
    await h.settle();
    const ack = answer.json as { response_action?: string; errors?: Record<string, string> } | undefined;
    // Slack shows errors only under inputs of the view; any other block id and the reviewer is stuck.
    for (const block of Object.keys(ack?.errors ?? {})) expect(shown).toContain(block);
    expect(ack?.response_action).not.toBe('errors');
    expect((await row(id))?.stage).toBe('business');
    expect(await eventTypes(id)).not.toContain('business_review.passed');
  });

  it('Resolve gap after another reviewer resolved that gap: told who did, not "Choose one of the options offered"', async () => {
    const { id } = await inStage2();
    await r.decide(USERS.reviewer, id, 'card.record_gap', {
      area: input.select('network_protection'),
      severity: input.select('high'),
      description: input.text('No firewall'),
    });
    const stale = await r.open(USERS.reviewer, id, 'card.resolve_gap');
    const [gap] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    await r.decide(USERS.reviewer2, id, 'card.resolve_gap', {
      gap: input.select(String(gap?.id)),
      resolution: input.text('Firewall in place, seen in the evidence.'),
    });

    const answer = await r.submit(
      USERS.reviewer,
      { gap: input.select(String(gap?.id)), resolution: input.text('Firewall added, evidence seen') },
      stale,
    );
    await h.settle();
    expect(answer.text).toBe('');
    const told = r.ephemeralsFor(USERS.reviewer).join('\n');
    expect(told).toContain('Already decided');
    expect(told).toContain(`<@${USERS.reviewer2}>`);
    expect(told).not.toContain('options offered');
    const [after] = await database.db.select().from(gaps).where(eq(gaps.applicationId, id));
    expect(after?.resolvedBy).toBe(USERS.reviewer2);
  });
});
