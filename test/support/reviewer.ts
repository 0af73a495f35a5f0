import { expect } from 'vitest';
import { BOT_TOKEN, CHANNEL, type Harness } from './harness.ts';
import { values } from './slack-values.ts';

export { ALL_PASS, input, inputMore, values } from './slack-values.ts';

type Element = { action_id?: string; value?: string; options?: { value: string }[] };

/** Drives the bot the way a reviewer does in Slack: clicking card buttons, filling modals. */
export function reviewer(h: Harness) {
  const card = (applicationId: number) => {
    // A card's fallback text starts with its reference; another card may carry this id in a button value.
    const message = h.emulator.state.messages.find(
      (m) => m.channel === CHANNEL && !m.threadTs && m.text.startsWith(`#${applicationId} `),
    );
    if (!message) throw new Error(`no card for application ${applicationId}`);
    return message;
  };
  const elements = (applicationId: number): Element[] => {
    const actions = (card(applicationId).blocks as { type: string; elements?: Element[] }[]).find((b) => b.type === 'actions');
    return actions?.elements ?? [];
  };
  return {
    card,
    /** The action ids of the card's buttons and overflow options, as a reviewer sees them. */
    buttons(applicationId: number): string[] {
      return elements(applicationId).flatMap((e) =>
        e.options ? e.options.map((o) => `admin:${o.value.split(':')[0]}`) : [String(e.action_id)],
      );
    },
    async click(user: string, applicationId: number, actionId: string) {
      const button = elements(applicationId).find((e) => e.action_id === actionId);
      if (!button)
        throw new Error(`card ${applicationId} has no ${actionId} button; it has ${this.buttons(applicationId).join(', ')}`);
      const message = card(applicationId);
      return h.slack.messageAction({
        user,
        channel: CHANNEL,
        ts: message.ts,
        action: { actionId, blockId: 'card.actions', value: button.value ?? '' },
      });
    },
    async adminOption(user: string, applicationId: number, command: string) {
      const overflow = elements(applicationId).find((e) => e.options);
      const option = overflow?.options?.find((o) => o.value.startsWith(`${command}:`));
      if (!option) throw new Error(`card ${applicationId} offers no ${command}`);
      const message = card(applicationId);
      return h.slack.messageAction({
        user,
        channel: CHANNEL,
        ts: message.ts,
        action: { actionId: 'card.admin', blockId: 'card.actions', type: 'overflow', selectedOption: { value: option.value } },
      });
    },
    /** Clicks a card button (or an admin option) and waits until its modal is open; answers the view id. */
    async open(user: string, applicationId: number, actionId: string): Promise<string> {
      const before = h.emulator.state.views.size;
      if (actionId.startsWith('admin:')) await this.adminOption(user, applicationId, actionId.slice(6));
      else await this.click(user, applicationId, actionId);
      await expect.poll(() => h.emulator.state.views.size).toBeGreaterThan(before);
      return this.modal(user).id;
    },
    /** The modal most recently opened for a user. */
    modal(user: string) {
      const views = [...h.emulator.state.views.values()].filter((v) => v.user === user && v.type === 'modal');
      const view = views[views.length - 1];
      if (!view) throw new Error(`no modal open for ${user}`);
      return view;
    },
    async submit(user: string, fields: Record<string, unknown>, viewId?: string) {
      return h.slack.viewSubmission({ user, viewId: viewId ?? this.modal(user).id, values: values(fields) });
    },
    /**
     * Submits a modal and does with the ack what Slack does with `response_action: update`:
     * the same view (same id, a new hash) now shows the view of the ack.
     */
    async submitAndFollow(user: string, fields: Record<string, unknown>, viewId: string) {
      const answer = await this.submit(user, fields, viewId);
      const ack = answer.json as { response_action?: string; view?: unknown } | undefined;
      if (ack?.response_action === 'update') {
        const updated = await fetch(`${h.emulator.apiUrl}views.update`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ view_id: viewId, view: ack.view }),
        });
        expect(await updated.json()).toMatchObject({ ok: true });
      }
      return answer;
    },
    /** Opens a command's modal from the card and submits it. */
    async decide(user: string, applicationId: number, actionId: string, fields: Record<string, unknown>) {
      const viewId = await this.open(user, applicationId, actionId);
      const answer = await this.submit(user, fields, viewId);
      await h.settle();
      return answer;
    },
    ephemeralsFor(user: string): string[] {
      return h.emulator.state.ephemerals.filter((e) => e.user === user).map((e) => e.text);
    },
    threadOf(applicationId: number): string[] {
      const ts = card(applicationId).ts;
      return h.emulator.state.messages.filter((m) => m.threadTs === ts).map((m) => m.text);
    },
  };
}
