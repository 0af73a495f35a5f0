import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FakeClock } from '../../src/clock.ts';
import {
  applicationState,
  createdAnswer,
  openApiJson,
  recordedAnswer,
  unchangedAnswer,
  updatedAnswer,
} from '../../src/http/openapi.ts';
import { MARKETPLACE_CODES, RESTRICTED_ROLES, UNRESTRICTED_ROLES } from '../../src/intake/roles.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, INTAKE_TOKEN, startHarness } from '../support/harness.ts';
import { reviewer } from '../support/reviewer.ts';
import { prepare, START } from '../support/states.ts';

const COMMITTED = new URL('../../docs/openapi.json', import.meta.url);

type Example = { summary: string; value: unknown };
type Media = { schema: unknown; examples?: Record<string, Example> };
type Operation = {
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

let database: TestDatabase;
let h: Harness;
let doc: { paths: Record<string, Record<string, Operation>>; webhooks: Record<string, unknown> };
const clock = new FakeClock(START);

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  doc = JSON.parse(openApiJson());
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});

/** The status under which the document files the answer to the request example `name`. */
function documentedStatus(operation: Operation, name: string): number {
  const statuses = Object.entries(operation.responses)
    .filter(([, response]) => response.content?.['application/json']?.examples?.[name] !== undefined)
    .map(([status]) => Number(status));
  expect(statuses, `the answer to example "${name}"`).toHaveLength(1);
  return statuses[0] as number;
}

async function send(path: string, method: string, init: { body?: string; type?: string; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': init.type ?? 'application/json' };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? INTAKE_TOKEN}`;
  const response = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** The answer the document shows for example `name`, the application's number aside (ours differ). */
function expectDocumentedAnswer(operation: Operation, name: string, answer: { status: number; json: any }) {
  const example = operation.responses[String(answer.status)]?.content?.['application/json']?.examples?.[name];
  const withoutId = (body: any) => (typeof body?.id === 'number' ? { ...body, id: 0 } : body);
  expect(withoutId(answer.json), `the answer to example "${name}"`).toEqual(withoutId(example?.value));
}

/** The answer's body has the documented shape: the schema the document was generated from parses it. */
function expectShape(schema: z.ZodType, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(JSON.parse(openApiJson()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is committed as docs/openapi.json, up to date (npm run docs:openapi)', () => {
    expect(readFileSync(COMMITTED, 'utf8'), 'docs/openapi.json is stale: run npm run docs:openapi').toBe(openApiJson());
  });

  it('is served at GET /api/openapi.json without a token', async () => {
    const answer = await send('/api/openapi.json', 'GET', { token: null });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(JSON.parse(openApiJson()));
  });

  it('describes every answer of the intake routes, and the webhook with its signature headers', () => {
    const intake = doc.paths['/api/applications']?.post as Operation;
    expect(Object.keys(intake.responses).sort()).toEqual(['200', '201', '400', '401', '413', '415', '422']);
    const calls = doc.paths['/api/applications/{id}/restricted-calls']?.post as Operation;
    expect(Object.keys(calls.responses).sort()).toEqual(['200', '201', '400', '401', '404', '409', '413', '415']);
    const hook = JSON.stringify(doc.webhooks);
    expect(hook).toContain('x-pii-review-signature');
    expect(hook).toContain('x-pii-review-timestamp');
    expect(hook).toContain('#/components/schemas/WebhookEvent');
  });
});

describe('the closed lists the intake route enforces', () => {
  type Property = { items?: { enum?: string[] }; properties?: Record<string, { pattern?: string }> };
  const fields = () =>
    (JSON.parse(openApiJson()) as { components: { schemas: { Application: { properties: Record<string, Property> } } } })
      .components.schemas.Application.properties;
  const post = async (change: Record<string, unknown>) => {
    const created = (await freshBody()) as Record<string, unknown>;
    return send('/api/applications', 'POST', {
      body: JSON.stringify({
        ...created,
        profileId: `amzn1.sellerapps.profile.lists-${Math.random().toString(36).slice(2)}`,
        ...change,
      }),
    });
  };

  it('lists every role and marketplace the route takes, and the country pattern; what they leave out is refused', async () => {
    const { roles, marketplaces, organization } = fields();
    expect(roles?.items?.enum).toEqual([...RESTRICTED_ROLES, ...UNRESTRICTED_ROLES]);
    expect(marketplaces?.items?.enum).toEqual([...MARKETPLACE_CODES]);
    const pattern = new RegExp(organization?.properties?.country?.pattern ?? '(absent)');
    expect(['DE', 'us'].every((c) => pattern.test(c))).toBe(true);
    expect(pattern.test('DEU')).toBe(false);

    // Every listed value is taken; one outside the lists is refused with the field named.
    expect((await post({ roles: ['Tax Invoicing', ...UNRESTRICTED_ROLES] })).status).toBe(201);
    expect((await post({ marketplaces: [...MARKETPLACE_CODES] })).status).toBe(201);
    const website = 'https://northwind.example.com';
    for (const [change, path] of [
      [{ roles: ['Tax Invoicing', 'Shipping Labels'] }, 'roles.1'],
      [{ marketplaces: ['EU', 'XX'] }, 'marketplaces.1'],
      [{ organization: { name: 'Northwind', website, country: 'DEU' } }, 'organization.country'],
    ] as const) {
      const answer = await post(change);
      expect(answer.status, path).toBe(400);
      expect(answer.json.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });
});

describe("the document's own examples, posted to the running routes", () => {
  it('intake: each request example gets the answer the document files it under', async () => {
    const operation = doc.paths['/api/applications']?.post as Operation;
    const examples = operation.requestBody?.content['application/json']?.examples ?? {};
    expect(Object.keys(examples)).toEqual(['created', 'unchanged', 'updated', 'invalid', 'noRestrictedRole']);
    const shapes: Record<string, z.ZodType> = { created: createdAnswer, unchanged: unchangedAnswer, updated: updatedAnswer };
    for (const [name, example] of Object.entries(examples)) {
      const answer = await send('/api/applications', 'POST', { body: JSON.stringify(example.value) });
      expect(answer.status, `example "${name}"`).toBe(documentedStatus(operation, name));
      expectDocumentedAnswer(operation, name, answer);
      const shape = shapes[name];
      if (shape) expectShape(shape, answer.json);
    }
    // The answers the examples cannot carry: a token, a size, a content type.
    const body = JSON.stringify(examples.created?.value);
    const answers = {
      noToken: await send('/api/applications', 'POST', { body, token: null }),
      tooLarge: await send('/api/applications', 'POST', { body: `{"useCase":"${'x'.repeat(300 * 1024)}"}` }),
      notJson: await send('/api/applications', 'POST', { body: 'profileId=1', type: 'application/x-www-form-urlencoded' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.status, name).toBe(documentedStatus(operation, name));
      expectDocumentedAnswer(operation, name, answer);
    }
  });

  it('application state and restricted calls: the examples against an approved and a new application', async () => {
    const approved = await prepare(h, reviewer(h), 'approved');
    const fresh = (await send('/api/applications', 'POST', { body: JSON.stringify({ ...(await freshBody()) }) })).json.id;
    clock.advanceBy(10 * 24 * 3600_000);

    const read = doc.paths['/api/applications/{id}']?.get as Operation;
    const state = await send(`/api/applications/${approved}`, 'GET');
    expect(state.status).toBe(200);
    expect(Object.keys(read.responses)).toContain('200');
    expectShape(applicationState, state.json);
    expect((await send('/api/applications/999999', 'GET')).status).toBe(documentedStatus(read, 'unknownApplication'));
    expect((await send('/api/applications/x1', 'GET')).status).toBe(documentedStatus(read, 'badId'));

    const operation = doc.paths['/api/applications/{id}/restricted-calls']?.post as Operation;
    const examples = operation.requestBody?.content['application/json']?.examples ?? {};
    const targets: Record<string, number> = {
      recorded: approved,
      repeated: approved,
      notApproved: fresh,
      invalidReport: approved,
    };
    expect(Object.keys(examples).sort()).toEqual(Object.keys(targets).sort());
    for (const [name, example] of Object.entries(examples)) {
      const answer = await send(`/api/applications/${targets[name]}/restricted-calls`, 'POST', {
        body: JSON.stringify(example.value),
      });
      expect(answer.status, `example "${name}"`).toBe(documentedStatus(operation, name));
      expectDocumentedAnswer(operation, name, answer);
      if (name === 'recorded' || name === 'repeated') expectShape(recordedAnswer, answer.json);
    }
    const valid = JSON.stringify(examples.recorded?.value);
    expect((await send('/api/applications/999999/restricted-calls', 'POST', { body: valid })).status).toBe(
      documentedStatus(operation, 'unknownApplication'),
    );
  });
});

/** A second new application, from the intake example with its own profile. */
async function freshBody() {
  const intake = doc.paths['/api/applications']?.post as Operation;
  const created = intake.requestBody?.content['application/json']?.examples?.created?.value as Record<string, unknown>;
  return { ...created, profileId: 'amzn1.sellerapps.profile.openapi-fresh' };
}
