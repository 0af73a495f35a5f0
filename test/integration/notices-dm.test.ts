import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeFromChannel } from '../../src/sandbox/emulator/admin-actions.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { reviewer } from '../support/reviewer.ts';

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

/** What a person was sent in their direct message with the bot. */
const directMessages = (user: string) =>
  h.emulator.state.messages.filter((m) => m.channel === `D${user.slice(1)}`).map((m) => m.text);

describe('a notice for someone outside the review channel', () => {
  it('arrives as a direct message when Slack refuses the ephemeral (user_not_in_channel)', async () => {
    const { id } = (await h.intake(applicationBody())).json as { id: number };
    await h.settle();
    await h.slack.event({ type: 'app_home_opened', user: USERS.reviewer2, channel: 'D0R2', tab: 'home' });
    const home = await expect
      .poll(() => [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === USERS.reviewer2))
      .toBeDefined()
      .then(() => [...h.emulator.state.views.values()].find((v) => v.type === 'home' && v.user === USERS.reviewer2));
    await r.click(USERS.reviewer, id, 'card.claim');
    await h.settle();
    removeFromChannel(h.emulator.state, CHANNEL, USERS.reviewer2);

    // The Home's Claim button still shows version 1: the claim meets a newer version, and the refusal must reach them.
    await h.slack.viewAction({
      user: USERS.reviewer2,
      viewId: home?.id ?? '',
      action: { actionId: 'card.claim', blockId: `home.claim.${id}`, value: `${id}:1` },
    });
    await expect.poll(() => directMessages(USERS.reviewer2).join('\n')).toContain('Already decided (<!date^');
    expect(
      h.emulator.state.calls.filter((c) => c.method === 'chat.postEphemeral' && c.error === 'user_not_in_channel'),
    ).toHaveLength(1);
    expect(r.ephemeralsFor(USERS.reviewer2)).toEqual([]);
  });
});
