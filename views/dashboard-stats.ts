import { STAGE_LABELS } from '../src/workflow/states.ts';
import { contextBlock, duration } from './dashboard-format.ts';
import type { StatsModel } from './dashboard-types.ts';
import { slackDate } from './format.ts';
import type { Block, MessageView } from './types.ts';

const STAGE_NUMBERS: Record<string, string> = { business: 'Stage 1', security: 'Stage 2', architecture: 'Stage 3' };

function rejectedBreakdown(model: StatsModel): string {
  const parts = Object.entries(model.rejectedByStage ?? {})
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([stage, n]) => `${STAGE_NUMBERS[stage] ?? stage}: ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** `/pii stats [days]`: the window's flow, time per stage, and the wait on developers now. */
export function statsView(model: StatsModel): MessageView {
  const w = model.waitingOnDeveloper;
  const stageFields = model.stages.map(
    (s) =>
      `*${STAGE_LABELS[s.stage]}*\n${s.count === 0 ? '_no stay ended in the window_' : `median ${duration(s.medianMs)} · 90th percentile ${duration(s.p90Ms)} · ${s.count} stay${s.count === 1 ? '' : 's'}`}`,
  );
  const blocks: Block[] = [
    {
      type: 'section',
      block_id: 'stats.summary',
      text: { type: 'mrkdwn', text: `*Team figures, last ${model.days} day${model.days === 1 ? '' : 's'}*` },
      fields: [
        { type: 'mrkdwn', text: `*Received*\n${model.received}` },
        { type: 'mrkdwn', text: `*Approved*\n${model.approved}` },
        { type: 'mrkdwn', text: `*Rejected*\n${model.rejected}${rejectedBreakdown(model)}` },
        {
          type: 'mrkdwn',
          text: `*Waiting on developers now*\n${w.count}${w.count > 0 ? ` · median ${duration(w.medianAgeMs)}, longest ${duration(w.oldestAgeMs)}` : ''}`,
        },
      ],
    },
    {
      type: 'section',
      block_id: 'stats.stages',
      text: { type: 'mrkdwn', text: '*Time in each stage* (stays that ended in the window)' },
      fields: stageFields.map((text) => ({ type: 'mrkdwn', text })),
    },
    ...(model.production
      ? [
          {
            type: 'section' as const,
            block_id: 'stats.production',
            text: { type: 'mrkdwn' as const, text: '*After approval, now*' },
            fields: [
              { type: 'mrkdwn' as const, text: `*Access at risk*\n${model.production.atRisk}` },
              { type: 'mrkdwn' as const, text: `*Access suspended*\n${model.production.suspended}` },
              {
                type: 'mrkdwn' as const,
                text: `*Audits*\n${model.production.auditsEligible} eligible · ${model.production.auditsScheduled} scheduled · ${model.production.auditsAwaitingOutcome} awaiting an outcome`,
              },
              { type: 'mrkdwn' as const, text: `*Remediation overdue*\n${model.production.remediationOverdue}` },
            ],
          },
        ]
      : []),
    contextBlock(
      `Window: ${slackDate(model.since)} to ${slackDate(model.until)}. A stay runs from the event that entered a stage to the one that left it.`,
      'stats.window',
    ),
  ];
  return {
    text: `Last ${model.days} days: ${model.received} received, ${model.approved} approved, ${model.rejected} rejected; ${w.count} waiting on developers`,
    blocks,
  };
}
