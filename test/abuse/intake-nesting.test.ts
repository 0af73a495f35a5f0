import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, INTAKE_TOKEN, startHarness } from '../support/harness.ts';

let database: TestDatabase;
let h: Harness;

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

async function post(raw: string) {
  const res = await fetch(`${h.baseUrl}/api/applications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_TOKEN}`, 'content-type': 'application/json' },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), json: JSON.parse(text) };
}

describe('deeply nested intake bodies', () => {
  it('2,000 nested brackets: a 400 naming the body, not a 500', async () => {
    const answer = await post(`${'['.repeat(2000)}${']'.repeat(2000)}`);
    expect(answer.status).toBe(400);
    expect(answer.json.issues).toEqual([{ path: '(body)', message: expect.stringContaining('nests more than 3 levels') }]);
  });

  it('a 248 KB body nesting 1,000 levels: a small 400, and /healthz answers meanwhile', async () => {
    const pad = 'x'.repeat(208);
    const raw = `${`{"organization":{"name":"${pad}","website":`.repeat(1000)}1${'}}'.repeat(1000)}`;
    expect(raw.length).toBeGreaterThan(240_000);
    expect(raw.length).toBeLessThan(256 * 1024);
    const [answer, health] = await Promise.all([post(raw), fetch(`${h.baseUrl}/healthz`).then((r) => r.status)]);
    expect(answer.status).toBe(400);
    expect(answer.bytes).toBeLessThan(1024);
    expect(health).toBe(200);
  });

  it('brackets inside strings are text, not nesting', async () => {
    const body = applicationBody({ useCase: `Handles ${'[{'.repeat(200)} in product names.` });
    expect((await post(JSON.stringify(body))).status).toBe(201);
  });

  it('caps the issues answered, in number and size', async () => {
    const body: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i += 1) body[`unknown_field_${i}_${'y'.repeat(50)}`] = i;
    const answer = await post(JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(answer.json.issues.length).toBeLessThanOrEqual(51);
    expect(answer.bytes).toBeLessThan(32 * 1024);
  });
});
