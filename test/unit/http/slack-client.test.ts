import type { KnownBlock, View } from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackWebClient, webClientOptions } from '../../../src/http/slack-client.ts';
import { createLogger } from '../../../src/logger.ts';
import { startWebApiStandIn, type WebApiStandIn } from '../../support/web-api-stand-in.ts';

/** A Web API stand-in that answers ok and keeps each request's form body. */
let standIn: WebApiStandIn;
let apiUrl: string;

beforeAll(async () => {
  standIn = await startWebApiStandIn((_method, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.000200' }));
  });
  apiUrl = standIn.apiUrl;
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.seen.length = 0;
});

const options = () => webClientOptions({ apiUrl, logger: createLogger('silent') });
const blocks: KnownBlock[] = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Acme* & <@U1> — “quoted” 🚀' } },
  {
    type: 'actions',
    elements: [{ type: 'button', action_id: 'open', value: '7:1', text: { type: 'plain_text', text: 'Open' } }],
  },
];
const view: View = { type: 'modal', title: { type: 'plain_text', text: 'Record a gap' }, blocks, private_metadata: '{"id":7}' };

/** The same calls through the base client and through ours: the body Slack receives. */
async function bodiesOf(call: (client: WebClient) => Promise<unknown>): Promise<{ base: string; ours: string }> {
  await call(new WebClient('xoxb-test', options()));
  await call(new SlackWebClient('xoxb-test', options()));
  const [base, ours] = standIn.seen.splice(0).map((r) => r.body);
  return { base: base ?? '', ours: ours ?? '' };
}

describe('SlackWebClient', () => {
  it('sends Slack the same form body as the base client for blocks and views', async () => {
    const update = await bodiesOf((c) => c.chat.update({ channel: 'C1', ts: '1.000200', text: 'card', blocks }));
    expect(update.ours).toBe(update.base);
    expect(new URLSearchParams(update.ours).get('blocks')).toBe(JSON.stringify(blocks));

    const open = await bodiesOf((c) => c.views.open({ trigger_id: 't.1', view }));
    expect(open.ours).toBe(open.base);
    expect(JSON.parse(new URLSearchParams(open.ours).get('view') ?? '')).toEqual(view);

    const publish = await bodiesOf((c) => c.views.publish({ user_id: 'U1', view: { type: 'home', blocks } }));
    expect(publish.ours).toBe(publish.base);
  });

  it("leaves the caller's arguments as they were, and text-only calls as the base client sends them", async () => {
    const args = { channel: 'C1', thread_ts: '1.000200', text: 'a line', blocks };
    await new SlackWebClient('xoxb-test', options()).chat.postMessage(args);
    expect(args.blocks).toBe(blocks);
    expect(standIn.seen.splice(0)).toHaveLength(1);
    const plain = await bodiesOf((c) => c.chat.postMessage({ channel: 'C1', text: 'no blocks' }));
    expect(plain.ours).toBe(plain.base);
  });
});
