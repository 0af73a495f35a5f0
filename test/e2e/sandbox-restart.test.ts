import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from './support.ts';

const RILEY = 'U0REVIEW01';
const STEP_MS = 20_000;

type PageState = { channelHtml: string; threads: Record<string, string>; home?: { html: string } | null; modal?: unknown };

/** The page's own requests: its token, its JSON state, its posts (as the browser sends them). */
async function page(url: string) {
  const html = await (await fetch(url)).text();
  const config = /<script type="application\/json" id="sandbox-config">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
  const token = (JSON.parse(config) as { token?: string }).token ?? '';
  return {
    state: async (user = RILEY) => (await (await fetch(`${url}sandbox/ui/state?user=${user}`)).json()) as PageState,
    post: async (path: string, body: Record<string, unknown>) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-token': token },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
  };
}

/** The card's block id of a button, read from the channel as the page draws it. */
const blockOf = (html: string, actionId: string) =>
  new RegExp(`data-block-id="([^"]+)" data-action-id="${actionId.replace('.', '\\.')}"`).exec(html)?.[1];

describe('the sandbox restarted on the same data directory (npm start twice)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pii-sandbox-restart-'));
  let sandbox: RunningSandbox | undefined;
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the channel: the cards, their threads and the Home come back, and the cards can still be worked', async () => {
    sandbox = await startSandbox({ dataDir });
    let ui = await page(sandbox.url);
    const created = await ui.post('sandbox/ui/sample', {});
    const [, id, org] = /Application #(\d+) \((.+)\) created/.exec(String(created.json.note)) ?? [];
    expect(id, JSON.stringify(created.json)).toBeDefined();
    await expect.poll(async () => (await ui.state()).channelHtml, { timeout: STEP_MS }).toContain('data-action-id="card.claim"');
    const before = await ui.state();
    const ts = /data-msg-ts="([^"]+)"/.exec(before.channelHtml)?.[1] ?? '';
    const claim = await ui.post('sandbox/ui/action', {
      user: RILEY,
      channel: 'G0PIIREVIEW',
      ts,
      blockId: blockOf(before.channelHtml, 'card.claim'),
      actionId: 'card.claim',
      values: [],
    });
    expect(claim.status).toBe(200);
    await expect
      .poll(async () => (await ui.state()).threads[ts] ?? '', { timeout: STEP_MS })
      .toContain('claimed the application');
    await ui.post('sandbox/ui/home-opened', { user: RILEY });
    await expect.poll(async () => (await ui.state()).home?.html ?? '', { timeout: STEP_MS }).toContain(org ?? '?');
    expect(await sandbox.stop()).toBe(0);

    sandbox = await startSandbox({ dataDir });
    expect(sandbox.output.join('')).toContain('Sandbox Slack workspace restored');
    ui = await page(sandbox.url);
    const after = await ui.state();
    // The same card, at the same ts (the bot's records point at it), with its thread and Home.
    expect(after.channelHtml).toContain(`data-msg-ts="${ts}"`);
    expect(after.channelHtml).toContain(org);
    expect(after.threads[ts]).toContain('claimed the application');
    expect(after.home?.html ?? '').toContain(org ?? '?');
    // Kept beside the PGlite directory, as the README says.
    expect(existsSync(join(dataDir, 'pglite', 'sandbox-slack.json'))).toBe(true);

    // The restored card is the live one: the bot updates it and answers its buttons.
    const review = blockOf(after.channelHtml, 'card.business_review');
    expect(review).toBeDefined();
    const opened = await ui.post('sandbox/ui/action', {
      user: RILEY,
      channel: 'G0PIIREVIEW',
      ts,
      blockId: review,
      actionId: 'card.business_review',
      values: [],
    });
    expect(opened.status).toBe(200);
    await expect
      .poll(async () => JSON.stringify((await ui.state()).modal ?? null), { timeout: STEP_MS })
      .toContain('Business review');
    // A new application after the restart gets a card of its own, after the first.
    const second = await ui.post('sandbox/ui/sample', {});
    expect(String(second.json.note)).toMatch(/created/);
    await expect
      .poll(async () => [...(await ui.state()).channelHtml.matchAll(/data-msg-ts="([^"]+)"/g)].map((m) => m[1]), {
        timeout: STEP_MS,
      })
      .toEqual([ts, expect.stringMatching(/^\d+\.\d{6}$/)]);
    const [, later] = [...(await ui.state()).channelHtml.matchAll(/data-msg-ts="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(Number(later)).toBeGreaterThan(Number(ts));
  }, 180_000);
});
