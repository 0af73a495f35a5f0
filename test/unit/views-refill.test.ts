import { describe, expect, it } from 'vitest';
import { refilledForm } from '../../views/modals/refill.ts';
import { resolveGapModal } from '../../views/modals/stage2.ts';
import type { ApplicationSummary } from '../../views/types.ts';
import { blockKitProblems } from '../../views/validate.ts';

const at = new Date('2026-03-10T12:00:00Z');
const app: ApplicationSummary = {
  id: 7,
  profileId: 'amzn1.sellerapps.profile.demo7',
  organizationName: 'Northwind',
  website: 'https://northwind.example.com',
  developerType: 'public',
  roles: ['Direct-to-Consumer Shipping'],
  marketplaces: ['DE'],
  launchReadiness: 'in_production',
  submittedAt: at,
  receivedAt: at,
  stage: 'security',
  status: 'in_review',
  statusSince: at,
  assigneeId: 'U0REVIEW01',
  version: 5,
  infoRounds: 0,
  architectId: null,
  productionSince: null,
};
const gap = (id: number) => ({ id, area: 'network_protection', severity: 'high', description: `Gap ${id}` });
const change = {
  at,
  changes: [{ id: 1, type: 'gap.resolved', actor: 'U0REVIEW02', at, payload: { area: 'network_protection' } }],
};
type Element = { initial_value?: string; initial_option?: { value: string; text: unknown } };
const element = (view: { blocks: unknown[] }, blockId: string) =>
  (view.blocks as { block_id?: string; element?: Element }[]).find((b) => b.block_id === blockId)?.element;

describe('a form built again with what was entered', () => {
  it('keeps a choice still offered, as the very option listed, and the text typed', () => {
    const view = refilledForm(
      resolveGapModal(app, [gap(1), gap(2)]),
      {
        gap: { value: { type: 'static_select', selected_option: { value: '2' } } },
        resolution: { value: { type: 'plain_text_input', value: 'Firewall added\u200B, evidence seen' } },
      },
      change,
      resolveGapModal(app, [gap(1), gap(2)]).blocks,
    );
    if (!view) throw new Error('not rebuilt');
    expect(element(view, 'gap')?.initial_option).toEqual({ text: expect.anything(), value: '2' });
    // Slack's initial_option must equal a listed option: text and value.
    expect((element(view, 'gap') as { options: unknown[] }).options).toContainEqual(element(view, 'gap')?.initial_option);
    // Exactly as typed, invisible characters included: what they typed is theirs.
    expect(element(view, 'resolution')?.initial_value).toBe('Firewall added\u200B, evidence seen');
    expect(blockKitProblems('modal', view as never)).toEqual([]);
  });

  it('drops a choice no longer offered and an input emptied, and says what changed at the top', () => {
    const view = refilledForm(
      resolveGapModal(app, [gap(2)]),
      {
        gap: { value: { type: 'static_select', selected_option: { value: '1' } } },
        resolution: { value: { type: 'plain_text_input', value: null } },
      },
      change,
      resolveGapModal(app, [gap(1), gap(2)]).blocks,
    );
    if (!view) throw new Error('not rebuilt');
    // The one open gap is offered as the modal's default; the gap chosen before is gone.
    expect(element(view, 'gap')?.initial_option?.value).toBe('2');
    expect(element(view, 'resolution')?.initial_value).toBeUndefined();
    const top = JSON.stringify(view.blocks[0]);
    expect(top).toContain('The application changed while this form was open');
    expect(top).toContain('<@U0REVIEW02> resolved the Network protection gap.');
    expect(blockKitProblems('modal', view as never)).toEqual([]);
  });

  it('is not built again when the change fills in otherwise an input left as the form filled it in', () => {
    // The one open gap was the form's default and was left so; another reviewer resolved it and
    // raised another: Slack would keep the old choice in place of the new default.
    const shown = resolveGapModal(app, [gap(1)]);
    const submitted = { gap: { value: { type: 'static_select', selected_option: { value: '1' } } } };
    expect(refilledForm(resolveGapModal(app, [gap(2)]), submitted, change, shown.blocks)).toBeUndefined();
    // Chosen by the person (not the default): theirs to keep, or to choose again if no longer offered.
    const chosen = resolveGapModal(app, [gap(1), gap(3)]).blocks;
    expect(refilledForm(resolveGapModal(app, [gap(2)]), submitted, change, chosen)).toBeDefined();
  });
});
