import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import type { StoredView } from '../../src/sandbox/emulator/state.ts';
import { canariesIn } from './canaries.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { type Harness, startHarness, USERS } from './harness.ts';
import { hostileText, injectedText, injectionsSent, prototypePolluted, wrongValue } from './hostile.ts';
import { halfWritten, tableCounts } from './invariants.ts';
import { freshModal, MODALS, type ModalSpec, openModal } from './modals.ts';
import { values as asStateValues, reviewer } from './reviewer.ts';
import { START } from './states.ts';

/** Each property stops after this long, passing with the runs it made (printed), so a test stays under a minute. */
export const TIME_LIMIT_MS = 45_000;

/** Who acts (and so may be mentioned) in the modal properties; the outsider never does. */
export const MENTIONABLE = [USERS.reviewer, USERS.architect, USERS.admin];

const ELEMENT_TYPES = ['plain_text_input', 'static_select', 'radio_buttons', 'users_select', 'datepicker', 'datetimepicker', 'x'];
const option = fc.oneof(
  fc.constant(null),
  fc.record({
    value: fc.oneof(
      fc.constantFrom('pass', 'accept', 'gap:low', 'approved', 'remediation', '1', '60'),
      hostileText(),
      wrongValue,
    ),
  }),
);

/** One input's state as Slack sends it, with every field possibly of the wrong kind. */
const elementState = fc.record(
  {
    type: fc.constantFrom(...ELEMENT_TYPES),
    value: fc.oneof(hostileText(), injectedText, wrongValue),
    selected_option: option,
    selected_options: fc.oneof(fc.constant(null), wrongValue, fc.array(option, { maxLength: 3 })),
    // Well-formed ids of people who act anyway; an assignee without a role is modal-findings.test.ts's concern.
    selected_user: fc.oneof(fc.constantFrom(USERS.reviewer, USERS.architect, 'u0lower', 'U0 SPACE', '<@U0OUTSID01>'), wrongValue),
    selected_date: fc.oneof(fc.constantFrom('2026-03-01', '2026-02-30', '9999-12-31', '0000-00-00', '2026-3-1'), wrongValue),
    selected_date_time: fc.oneof(fc.integer(), fc.double(), fc.constant(1e20), wrongValue),
  },
  { requiredKeys: [] },
);

/** Block ids: the view's own inputs (by index) or keys no view has, some of them prototype keys. */
const blockKey = fc.oneof(
  fc.nat(),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'verdict.__proto__', 'answer.Q99', 'note.', 'item.0', 'due.99'),
);

/** What one run submits: random state values, or the modal's valid fields with hostile text (maybe one field broken). */
export type Recipe =
  | { kind: 'random'; entries: [number | string, string, Record<string, unknown>][] }
  | { kind: 'hostile'; texts: string[]; broken?: [number, Record<string, unknown>] };

/** Mostly random values (cheap: refused), a quarter valid-looking with hostile text (accepted ones need a new view). */
const randomRecipe = fc.record({
  kind: fc.constant('random' as const),
  entries: fc.array(fc.tuple(blockKey, fc.constantFrom('value', 'value', '__proto__', 'other'), elementState), { maxLength: 8 }),
});
const hostileRecipe = fc.record(
  {
    kind: fc.constant('hostile' as const),
    texts: fc.array(fc.oneof(injectedText, hostileText(4)), { minLength: 6, maxLength: 6 }),
    broken: fc.tuple(fc.nat(), elementState),
  },
  { requiredKeys: ['kind', 'texts'] },
);
export const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 3, arbitrary: randomRecipe },
  { weight: 1, arbitrary: hostileRecipe },
);

export const inputBlocks = (view: StoredView['view']) =>
  ((view.blocks ?? []) as { type: string; block_id?: string }[]).filter((b) => b.type === 'input').map((b) => b.block_id ?? '');

/** A plain map whose keys may be `__proto__`: JSON keeps such a key only as an own property. */
function own(): Record<string, any> {
  return Object.create(null) as Record<string, any>;
}

export function materialize(r: Recipe, spec: ModalSpec, view: StoredView['view']): Record<string, unknown> {
  const blocks = inputBlocks(view);
  if (r.kind === 'hostile') {
    let n = 0;
    const fields = spec.fill(view, () => r.texts[n++ % r.texts.length] ?? '');
    const state = asStateValues(fields);
    if (r.broken && blocks.length > 0) state[blocks[r.broken[0] % blocks.length] ?? ''] = { value: r.broken[1] };
    return state;
  }
  const state = own();
  for (const [key, action, element] of r.entries) {
    const blockId = typeof key === 'number' ? (blocks[key % Math.max(1, blocks.length)] ?? 'none') : key;
    if (!Object.hasOwn(state, blockId)) state[blockId] = own();
    state[blockId][action] = element;
  }
  return state;
}

/**
 * Submits `runs` recipes to the given modals, each on a live view of its own: a view whose
 * application changed is replaced (opened on any application whose card offers it, else on a
 * new one). Every answer must be 200 with an empty body or field errors under the
 * view's own inputs; nothing may be logged as a failure; accepted text must reach Slack inert.
 */
export async function fuzzModals(
  deps: { h: Harness; r: ReturnType<typeof reviewer>; database: TestDatabase },
  specs: ModalSpec[],
  runs: number,
) {
  const { h, r, database } = deps;
  const live = new Map<string, { id: number | undefined; view: StoredView }>();
  const stats = { runs: 0, accepted: 0, errors: 0, reused: 0, prepared: 0 };
  /** Applications made so far, newest first: an accepted decision often leaves one ready for another modal. */
  const pool: number[] = [];
  const offers = (id: number, action: string) => {
    try {
      return r.buttons(id).includes(action);
    } catch {
      return false;
    }
  };
  const viewFor = async (spec: ModalSpec) => {
    const current = live.get(spec.callback);
    if (current) return current;
    if (spec.setup !== 'none') {
      for (const id of pool.filter((p) => offers(p, spec.action))) {
        const view = await openModal(h, r, spec, spec.opener, id);
        if (!view) continue;
        stats.reused += 1;
        live.set(spec.callback, { id, view });
        return { id, view };
      }
    }
    stats.prepared += 1;
    const fresh = await freshModal(h, r, spec);
    if (fresh.id !== undefined) pool.unshift(fresh.id);
    live.set(spec.callback, fresh);
    return fresh;
  };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...specs), recipe, async (spec, rcp) => {
      stats.runs += 1;
      const { id, view } = await viewFor(spec);
      const values = materialize(rcp, spec, view.view);
      const before = await tableCounts(database.db);
      const logged = h.logs.lines.length;
      const calls = h.emulator.state.calls.length;
      const answer = await h.slack.viewSubmission({ user: spec.opener, viewId: view.id, values });
      expect(answer.status, `${spec.callback} answered ${answer.status}`).toBe(200);
      if (answer.text !== '') {
        expect(answer.json, `${spec.callback}: ${answer.text.slice(0, 300)}`).toMatchObject({ response_action: 'errors' });
        const errors = (answer.json as { errors: Record<string, unknown> }).errors;
        expect(Object.keys(errors).length).toBeGreaterThan(0);
        for (const [block, message] of Object.entries(errors)) {
          expect(inputBlocks(view.view), `${spec.callback}: error under "${block}", which the view does not have`).toContain(
            block,
          );
          expect(typeof message).toBe('string');
        }
        stats.errors += 1;
      }
      const after = await tableCounts(database.db);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        stats.accepted += 1;
        // Every view of this application now shows an old version: open them anew.
        for (const [callback, open] of live) if (open.id === id) live.delete(callback);
        await h.settle();
      }
      const failures = h.logs.lines.slice(logged).filter((l) => Number(l.level) >= 50);
      expect(
        failures.map((l) => l.msg),
        `${spec.callback}: failures logged`,
      ).toEqual([]);
      expect(injectionsSent(h.emulator, MENTIONABLE, calls), `${spec.callback}: injected markup sent to Slack`).toEqual([]);
      expect(prototypePolluted()).toEqual([]);
    }),
    // A busy machine (CI runs two suites at once) gets fewer runs rather than a test past a minute.
    { numRuns: runs, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  return stats;
}

/**
 * The modal property suite for some modals, on its own harness and database: random and
 * hostile `view.state.values` answer 200 with nothing or field errors, fail nothing, write whole
 * rows, and no accepted text pings anyone or forges a link in what the bot posts.
 */
export function describeModalProperties(title: string, callbacks: readonly string[], runs = 1_000): void {
  let database: TestDatabase;
  let h: Harness;
  let r: ReturnType<typeof reviewer>;

  beforeAll(async () => {
    database = await createTestDatabase();
    h = await startHarness(database, { clock: new FakeClock(START) });
    r = reviewer(h);
  });
  afterAll(async () => {
    await h?.stop();
    await database?.close();
  });

  describe(`modal submissions of ${title} under random and hostile values`, () => {
    it(`answer 200 with nothing or field errors, fail nothing and write whole rows (${runs} runs)`, {
      timeout: 120_000,
    }, async () => {
      const stats = await fuzzModals(
        { h, r, database },
        MODALS.filter((m) => callbacks.includes(m.callback)),
        runs,
      );
      console.log(`[abuse] modals (${title}): ${JSON.stringify(stats)} of ${runs} runs planned`);
      expect(stats.accepted).toBeGreaterThan(stats.runs / 20);
      expect(await halfWritten(database.db)).toEqual([]);
    });

    it('never let accepted text ping anyone or forge a link in what the bot posted', async () => {
      await h.settle();
      expect(injectionsSent(h.emulator, MENTIONABLE)).toEqual([]);
    });

    it('logged no contact data or security answers', () => {
      expect(canariesIn(h.logs.text)).toEqual([]);
    });
  });
}
