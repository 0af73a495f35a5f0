import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../../db/schema.ts';
import { FakeClock } from '../../src/clock.ts';
import { ROLE_LABELS, type Role } from '../../src/workflow/roles.ts';
import { ALLOWED_ROLES, type CommandType } from '../../src/workflow/rules.ts';
import { canariesIn } from '../support/canaries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type Harness, startHarness, USERS } from '../support/harness.ts';
import { tableCounts } from '../support/invariants.ts';
import { MODALS, openModal } from '../support/modals.ts';
import { reviewer, values } from '../support/reviewer.ts';
import { prepare, type Setup, START } from '../support/states.ts';

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

const PEOPLE = { reviewer: USERS.reviewer, architect: USERS.architect, admin: USERS.admin, outsider: USERS.outsider } as const;
type Person = keyof typeof PEOPLE;

/** Card buttons that are the decision itself (no modal), with the state each needs. */
const DIRECT: { action: string; command: CommandType; setup: Setup }[] = [
  { action: 'card.claim', command: 'claim', setup: 'fresh' },
  { action: 'card.send_questionnaire', command: 'send_questionnaire', setup: 'stage2' },
  { action: 'card.pass_security', command: 'pass_security', setup: 'accepted' },
];

/** Who may use a command: the workflow's own table (ALLOWED_ROLES with LATE_ROLES); templates are admins' only. */
function allowedRoles(callbackOrCommand: string): Role[] {
  if (callbackOrCommand === 'edit_template') return ['admin'];
  return ALLOWED_ROLES[callbackOrCommand as CommandType].filter((role) => role !== 'integration');
}
const holds = (person: Person, roles: Role[]) => person !== 'outsider' && roles.includes(person);

async function snapshot(id: number | undefined) {
  const [row] = id === undefined ? [] : await database.db.select().from(applications).where(eq(applications.id, id));
  return { counts: await tableCounts(database.db), row };
}

/** The refusal a person got: it must name every role that may do it, and say nothing changed. */
async function expectRefusal(person: Person, roles: Role[], seen: number) {
  await expect.poll(() => r.ephemeralsFor(PEOPLE[person]).length).toBeGreaterThan(seen);
  const text = r.ephemeralsFor(PEOPLE[person]).at(-1) ?? '';
  expect(text).toMatch(/Only /);
  for (const role of roles) expect(text, `refusal to ${person}`).toContain(ROLE_LABELS[role]);
  expect(text).toContain('Nothing was changed');
}

describe('role matrix: every modal × reviewer / architect / admin / outsider', () => {
  it.each(MODALS.map((m) => ({ ...m, roles: allowedRoles(m.callback) })))('$callback: allowed $roles', async (spec) => {
    h.emulator.state.reset();
    const id = spec.setup === 'none' ? undefined : await prepare(h, r, spec.setup);
    for (const person of Object.keys(PEOPLE) as Person[]) {
      const before = await snapshot(id);
      const seen = r.ephemeralsFor(PEOPLE[person]).length;
      const view = await openModal(h, r, spec, PEOPLE[person], id);
      if (holds(person, spec.roles)) {
        expect(view?.view.callback_id, `${person} opens ${spec.callback}`).toBe(spec.callback);
      } else {
        expect(view, `${person} must not get the ${spec.callback} modal`).toBeUndefined();
        await expectRefusal(person, spec.roles, seen);
      }
      expect(await snapshot(id)).toEqual(before);
    }

    // The server checks the role again on submission, whatever view the submitter holds.
    for (const person of (Object.keys(PEOPLE) as Person[]).filter((p) => !holds(p, spec.roles))) {
      const view = await openModal(h, r, spec, spec.opener, id);
      if (!view) throw new Error(`${spec.opener} could not open ${spec.callback}`);
      const before = await snapshot(id);
      const seen = r.ephemeralsFor(PEOPLE[person]).length;
      const fields = spec.fill(view.view, () => 'Submitted by someone without the role.');
      const answer = await h.slack.viewSubmission({ user: PEOPLE[person], viewId: view.id, values: values(fields) });
      expect(answer.status).toBe(200);
      await expectRefusal(person, spec.callback === 'record_outcome' ? ['architect', 'admin'] : spec.roles, seen);
      await h.settle();
      expect(await snapshot(id), `${spec.callback} submitted by ${person}`).toEqual(before);
    }
  });
});

describe('role matrix: card buttons that decide at once', () => {
  it.each(DIRECT.map((d) => ({ ...d, roles: allowedRoles(d.command) })))('$action: allowed $roles', async (spec) => {
    h.emulator.state.reset();
    for (const person of Object.keys(PEOPLE) as Person[]) {
      const id = await prepare(h, r, spec.setup);
      const before = await snapshot(id);
      const seen = r.ephemeralsFor(PEOPLE[person]).length;
      await r.click(PEOPLE[person], id, spec.action);
      await h.settle();
      if (holds(person, spec.roles)) {
        expect((await snapshot(id)).row?.version, `${person} ${spec.action}`).toBe((before.row?.version ?? 0) + 1);
        expect(r.ephemeralsFor(PEOPLE[person])).toEqual([]);
      } else {
        await expectRefusal(person, spec.roles, seen);
        expect(await snapshot(id)).toEqual(before);
      }
    }
  });
});

describe('what the role checks logged', () => {
  it('holds no contact data or security answers', () => {
    expect(canariesIn(h.logs.text)).toEqual([]);
  });
});
