import { expect } from 'vitest';
import type { StoredView } from '../../src/sandbox/emulator/state.ts';
import type { Harness } from './harness.ts';
import type { reviewer } from './reviewer.ts';

/**
 * Opens a modal the way its user does (card button, admin option or /pii command) and answers
 * the view, or undefined when the bot refused to open it (the refusal is then an ephemeral).
 */
export async function openModal(
  h: Harness,
  r: ReturnType<typeof reviewer>,
  spec: { action: string },
  user: string,
  applicationId?: number,
): Promise<StoredView | undefined> {
  const views = h.emulator.state.views.size;
  // A refused click is answered through its response_url; counting those (not every ephemeral)
  // keeps a notice still arriving from an earlier submission from passing for a refusal.
  const responses = () => h.emulator.state.calls.filter((c) => c.method === 'response_url').length;
  const answered = responses();
  if (spec.action.startsWith('command:')) {
    const answer = await h.slack.command({ user, text: spec.action.slice('command:'.length) });
    // Slack shows an answer in the command's ack as an ephemeral; the emulator only sees those sent through the API.
    const ack = answer.json as { text?: string; blocks?: unknown[] } | undefined;
    if (ack?.text) {
      const at = new Date().toISOString();
      h.emulator.state.ephemerals.push({
        id: `ack-${at}`,
        channel: '',
        user,
        text: ack.text,
        blocks: ack.blocks ?? [],
        at,
        problems: [],
      });
      return undefined;
    }
  } else if (spec.action.startsWith('admin:')) await r.adminOption(user, applicationId ?? 0, spec.action.slice('admin:'.length));
  else await r.click(user, applicationId ?? 0, spec.action);
  await expect
    .poll(() => h.emulator.state.views.size > views || responses() > answered, { timeout: 5_000, interval: 2 })
    .toBe(true);
  if (h.emulator.state.views.size === views) return undefined;
  return [...h.emulator.state.views.values()].at(-1);
}
