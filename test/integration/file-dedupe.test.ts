import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { applicationBody } from '../support/fixtures.ts';
import { CHANNEL, type Harness, startHarness, USERS } from '../support/harness.ts';
import { ALL_PASS, input, reviewer } from '../support/reviewer.ts';

let database: TestDatabase;
let h: Harness;
let r: ReturnType<typeof reviewer>;
const clock = new FakeClock('2026-03-02T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  h = await startHarness(database, { clock });
  r = reviewer(h);
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
});
beforeEach(async () => {
  await h.reset();
});

async function inStage2(): Promise<number> {
  const { id } = (await h.intake(applicationBody())).json as { id: number };
  await h.settle();
  await r.decide(USERS.reviewer, id, 'card.business_review', { ...ALL_PASS, decision: input.radio('advance') });
  return id;
}
const fileMessages = (id: number) =>
  h.emulator.state.messages.filter((m) => m.channel === CHANNEL && m.threadTs === r.card(id).ts && m.files.length > 0);

describe('a file upload whose answer was lost', () => {
  it('is shared once: the retry finds the file in the thread by the id it stored', async () => {
    const id = await inStage2();
    // Slack shares the questionnaire, then the answer is lost (a timeout): the bot cannot tell it happened.
    h.emulator.state.faults.push({ method: 'files.completeUploadExternal', fault: { status: 500, done: true } });
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.app.dispatcher.drain();
    expect(fileMessages(id)).toHaveLength(1);

    clock.advanceBy(2_000);
    await h.settle();
    expect(fileMessages(id)).toHaveLength(1);
    expect(h.emulator.state.calls.filter((c) => c.method === 'files.getUploadURLExternal')).toHaveLength(1);
    expect(h.logs.lines.some((l) => l.msg === 'the file was already shared by an earlier attempt')).toBe(true);
  });

  it('is uploaded again when the earlier attempt never shared it', async () => {
    const id = await inStage2();
    h.emulator.state.faults.push({ method: 'files.completeUploadExternal', fault: { status: 500 } });
    await r.click(USERS.reviewer, id, 'card.send_questionnaire');
    await h.app.dispatcher.drain();
    expect(fileMessages(id)).toHaveLength(0);
    clock.advanceBy(2_000);
    await h.settle();
    expect(fileMessages(id)).toHaveLength(1);
    const [file] = fileMessages(id);
    expect(h.emulator.state.files.get(file?.files[0] ?? '')?.content?.toString('utf8')).toContain(
      'Additional security questions',
    );
  });
});
