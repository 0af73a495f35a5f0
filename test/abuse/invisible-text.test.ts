import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn, truncate } from '../../views/format.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { reviewer } from '../support/reviewer.ts';

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

const BIDI = ['\u202E', '\u202A', '\u202D', '\u2066', '\u2067', '\u2069', '\u200E', '\u200F', '\u061C'];
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/;

describe('bidirectional controls at intake', () => {
  it.each([
    ['organization.name', (c: string) => ({ organization: { name: `Acme${c}exe.gnp`, website: 'https://acme.example.com' } })],
    ['organization.website', (c: string) => ({ organization: { name: 'Acme', website: `https://acme.example.com/${c}x` } })],
    ['contact.name', (c: string) => ({ contact: { name: `Dana${c}`, email: 'dana@acme.example.com' } })],
    ['impoc.name', (c: string) => ({ impoc: { name: `Ivy${c}`, email: 'ivy@acme.example.com' } })],
  ])('are refused in %s with a 400 naming the field', async (field, overrides) => {
    for (const control of BIDI) {
      const answer = await h.intake(applicationBody(overrides(control)));
      expect(answer.status, `U+${control.codePointAt(0)?.toString(16)}`).toBe(400);
      expect(answer.json.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
  });
});

describe('zero-width characters', () => {
  it('never reach the card or its fallback text', async () => {
    const name = 'Zero\u200BWidth\u200C Co\u200D\u2060\uFEFF';
    const id = (await h.intake(applicationBody({ organization: { name, website: 'https://zw.example.com' } }))).json.id;
    await h.settle();
    const card = reviewer(h).card(id);
    const shown = JSON.stringify({ text: card.text, blocks: card.blocks });
    expect(shown).toContain('ZeroWidth Co');
    expect(shown).not.toMatch(ZERO_WIDTH);
  });

  it('are stripped by the view helpers with bidi controls', () => {
    expect(escapeMrkdwn('a\u200Bb\u202Ec<d>')).toBe('abc&lt;d&gt;');
    expect(truncate('\uFEFFabc\u2066', 10)).toBe('abc');
  });
});
