import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canariesIn, canaryApplication } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { FRAGMENTS, hostileText, injectedText, injectionsSent, prototypePolluted, wrongValue } from '../support/hostile.ts';
import { halfWritten } from '../support/invariants.ts';

/** Runs planned; a slow machine stops at TIME_LIMIT_MS with the runs made so far (each run is a whole request). */
const RUNS = 2_000;
const TIME_LIMIT_MS = 60_000;
/** The intake API's documented answers: created, unchanged/updated, and the caller's mistakes. */
const ANSWERS = [200, 201, 400, 413, 415, 422];

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

/** Where a valid body holds free text that reaches the card, the thread or the database. */
const TEXT_PATHS = [
  ['organization', 'name'],
  ['useCase'],
  ['businessDescription'],
  ['contact', 'name'],
  ['impoc', 'name'],
  ['securityAnswers', 0, 'topic'],
  ['securityAnswers', 0, 'answer'],
] as const;
const FIELD_PATHS = [
  ...TEXT_PATHS,
  ['profileId'],
  ['organization', 'website'],
  ['organization', 'country'],
  ['contact', 'email'],
  ['contact', 'phone'],
  ['developerType'],
  ['roles'],
  ['roles', 0],
  ['marketplaces'],
  ['launchReadiness'],
  ['piiRetention'],
  ['securityAnswers'],
  ['submittedAt'],
  ['questionnaireAnswers'],
] as const;

function setPath(body: Record<string, any>, path: readonly (string | number)[], value: unknown): Record<string, any> {
  const copy = structuredClone(body);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key] ?? {};
  node[path.at(-1) as string | number] = value;
  return copy;
}

type Case = { body: unknown; raw?: string; contentType?: string; invalid: boolean };

/** A valid body with hostile free text: it may be accepted (then its text goes to Slack) or refused for length. */
const hostileValid: fc.Arbitrary<Case> = fc
  .array(fc.tuple(fc.constantFrom(...TEXT_PATHS), fc.oneof(injectedText, hostileText())), { minLength: 1, maxLength: 4 })
  .map((edits) => ({ body: edits.reduce((b, [path, text]) => setPath(b, path, text), canaryApplication()), invalid: false }));

/** A valid body with one field of the wrong kind, or an unknown (prototype-polluting) key: always refused. */
const broken: fc.Arbitrary<Case> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FIELD_PATHS), wrongValue)
    .filter(([path, value]) => !(path.join('.') === 'businessDescription' && typeof value === 'string' && value.length <= 500))
    // An empty list of security answers is allowed (the field is optional).
    .filter(([path, value]) => !(path.join('.') === 'securityAnswers' && Array.isArray(value) && value.length === 0))
    .filter(([path, value]) => !(TEXT_PATHS.some((p) => p.join('.') === path.join('.')) && typeof value === 'string'))
    // Hostile text can happen to be a well-formed profile id ("-", "a.b"): that is no broken field.
    .filter(([path, value]) => !(path.join('.') === 'profileId' && typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value)))
    .map(([path, value]) => ({ body: setPath(canaryApplication(), path, value), invalid: true })),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', "'; drop table x;--").map((key) => ({
    raw: JSON.stringify(canaryApplication()).replace(/^\{/, `{"${key}":{"isAdmin":true,"polluted":1},`),
    body: undefined,
    invalid: true,
  })),
  fc.constantFrom('organization', 'contact', 'impoc').map((key) => ({
    raw: JSON.stringify(canaryApplication()).replace(`"${key}":{`, `"${key}":{"__proto__":{"polluted":1},`),
    body: undefined,
    invalid: true,
  })),
);

/** Not an application at all: other JSON, broken JSON, wrong content types, an oversized body. */
const garbage: fc.Arbitrary<Case> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((body) => ({ body, invalid: true })),
  fc
    .array(fc.constantFrom(...FRAGMENTS, '{', '}', '"', ':', ',', '['))
    .map((parts) => ({ body: undefined, raw: parts.join(''), invalid: true })),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonx')
    .map((contentType) => ({
      body: canaryApplication(),
      contentType,
      invalid: true,
    })),
  fc.constant({
    body: undefined,
    raw: JSON.stringify({ ...canaryApplication(), useCase: 'y'.repeat(300 * 1024) }),
    invalid: true,
  }),
);

describe('POST /api/applications under random and hostile bodies', () => {
  it(`never answers 5xx, refuses what is invalid, and writes whole rows only (${RUNS} runs)`, { timeout: 120_000 }, async () => {
    const accepted: number[] = [];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValid, broken, garbage), async (c) => {
        runs += 1;
        const res = await h.intake(c.body, {
          ...(c.raw !== undefined ? { raw: c.raw } : {}),
          ...(c.contentType ? { headers: { 'content-type': c.contentType } } : {}),
        });
        expect(ANSWERS, `answered ${res.status}: ${JSON.stringify(res.json)?.slice(0, 300)}`).toContain(res.status);
        if (c.invalid) expect(res.status).toBeGreaterThanOrEqual(400);
        if (res.status >= 400) expect(typeof res.json?.error).toBe('string');
        if (res.status === 400 || res.status === 422) expect(Array.isArray(res.json?.issues)).toBe(true);
        if (res.status < 300) accepted.push(res.json.id);
        expect(prototypePolluted()).toEqual([]);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    await h.settle();
    expect(await halfWritten(database.db)).toEqual([]);
    expect(runs).toBeGreaterThan(200);
    expect(accepted.length, 'some hostile bodies were valid and went through').toBeGreaterThan(runs / 10);
    console.log(
      `[abuse] intake: ${runs} of ${RUNS} bodies planned, ${accepted.length} accepted; ${h.emulator.state.calls.length} Slack calls checked`,
    );
  });

  it('never lets accepted text ping anyone or forge a link in what the bot posts', () => {
    expect(injectionsSent(h.emulator, [])).toEqual([]);
  });

  it('logged no contact data or security answers', () => {
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});
