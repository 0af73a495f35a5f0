import type { AckResult, AckRun } from './ack.ts';
import { KINDS } from './ack.ts';
import type { SizeResult } from './growth.ts';
import { n, table, x } from './markdown.ts';
import type { PacingResult } from './pacing.ts';
import { growthSection } from './report-growth.ts';
import { mark, ms, ratio } from './stats.ts';

export type Machine = {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  database: string;
  loadStart: number[];
  loadEnd: number[];
};

export type Report = {
  date: string;
  machine: Machine;
  totalMs: number;
  ack: AckResult;
  growth: SizeResult[];
  pacing: PacingResult;
  memory: Map<string, number>;
  logs: { counts: Record<string, number>; errors: Map<string, number> };
  warnings: string[];
  postgres: boolean;
};

function ackSection(ack: AckResult, postgres: boolean): string {
  const rows: (string | number)[][] = [];
  for (const [i, real] of ack.real.entries()) {
    const bare = ack.bare[i] as AckRun;
    const line = (name: string, r: AckRun) => [
      r.concurrency,
      name,
      ms(r.all.p50),
      ms(r.all.p95),
      ms(r.all.p99),
      r.rps.toFixed(0),
      r.completedRps.toFixed(0),
      r.failed,
      r.poolMaxWaiting ?? '',
    ];
    rows.push(line('bare Bolt', bare), line('pii-review', real));
    rows.push([
      real.concurrency,
      '**ratio real / bare**',
      x(ratio(real.all.p50, bare.all.p50)),
      x(ratio(real.all.p95, bare.all.p95)),
      x(ratio(real.all.p99, bare.all.p99)),
      x(ratio(real.rps, bare.rps)),
      x(ratio(real.completedRps, bare.rps)),
      '',
      '',
    ]);
  }
  const c50 = ack.real.find((r) => r.concurrency === 50);
  const targets = [
    [
      `p99 at concurrency 50 < 100 ms${postgres ? '' : ' (stated for Postgres; shown for reference)'}`,
      `${ms(c50?.all.p99 ?? Number.NaN)} ms`,
      mark((c50?.all.p99 ?? Number.POSITIVE_INFINITY) < 100),
    ],
    ...ack.real.map((r, i) => {
      const share = ratio(r.rps, (ack.bare[i] as AckRun).rps);
      return [`throughput ≥ ½ bare Bolt at concurrency ${r.concurrency}`, x(share), mark(share >= 0.5)];
    }),
  ];
  const kinds = ack.real.map((r) => [
    r.concurrency,
    ...KINDS.map((k) => `${ms(r.byKind[k].p50)} / ${ms(r.byKind[k].p95)} / ${ms(r.byKind[k].p99)}`),
  ]);
  return [
    '## 1. Acknowledgement latency and throughput',
    `${n(ack.count)} signed requests per concurrency level and app, a quarter of each kind, interleaved: ` +
      '**decision** = `view_submission` (record_gap, or business_review advance, on modals opened beforehand), ' +
      '**click** = `block_actions` on a card button that opens a modal (`views.open`), **status** = `/pii status <id>`, ' +
      '**intake** = `POST /api/applications` (new application, card posted). Latency = send → whole HTTP answer read, ' +
      'measured by the Slack side (its own thread). "work done" counts until the last Slack call the requests caused ' +
      '(outbox drained with `postIntervalMs` 0, modals open). Bare Bolt: same HTTPReceiver and signature checks, listeners that only `ack()`.',
    '',
    table(
      [
        'concurrency',
        'app',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'req/s acked',
        'req/s work done',
        'failed',
        ...(postgres ? ['max queries waiting for a pooled connection'] : []),
      ],
      postgres ? rows : rows.map((r) => r.slice(0, -1)),
    ),
    '',
    table(['target', 'figure', ''], targets),
    '',
    'pii-review by kind, p50 / p95 / p99 ms:',
    '',
    table(['concurrency', ...KINDS], kinds),
    '',
    ...ack.checks.map((c) => `- ${c}`),
    '',
    `Database work per request, one at a time on the idle app (median of 4); a query round trip (\`select 1\`) costs ${ms(ack.roundTripMs, 2)} ms here:`,
    '',
    table(
      ['request', 'queries before the ack', 'queries after it (outbox, modal)', 'ack ms'],
      ack.profile.map((p) => [p.request, p.beforeAck, p.afterAck, ms(p.ackMs)]),
    ),
  ].join('\n');
}

function pacingSection(p: PacingResult): string {
  const c = p.check;
  const method = (m: string) => c.byMethod[m] ?? { ok: 0, rateLimited: 0, serverError: 0, other: 0 };
  const failures = Object.values(c.byMethod).reduce((sum, r) => sum + r.rateLimited + r.serverError + r.other, 0);
  const rows = [
    [
      'effects queued at once',
      `${n(p.updates)} card.sync (chat.update) + ${n(p.reminders)} thread.reminder (chat.postMessage) over ${n(p.cards)} cards`,
    ],
    [
      'emulator faults',
      `${p.faults.rateLimited * 100}% 429 (Retry-After ${p.faults.retryAfter} s), ${p.faults.serverError * 100}% 500`,
    ],
    ['dispatcher', `postIntervalMs ${p.postIntervalMs} (Slack pace is 1000), poll 100 ms, batch 20`],
    [
      'time to drain',
      `${(p.drainMs / 1000).toFixed(1)} s${p.drained ? '' : ' (**did not drain**)'} (pacing alone needs ${((p.reminders * p.postIntervalMs) / 1000).toFixed(0)} s for the posts)`,
    ],
    [
      'chat.update ok / 429 / 500',
      `${method('chat.update').ok} / ${method('chat.update').rateLimited} / ${method('chat.update').serverError}`,
    ],
    [
      'chat.postMessage ok / 429 / 500',
      `${method('chat.postMessage').ok} / ${method('chat.postMessage').rateLimited} / ${method('chat.postMessage').serverError}`,
    ],
    ['retries (emulator failures / outbox extra attempts)', `${failures} / ${p.outboxRetries}`],
    [
      'reminders arrived exactly once',
      `${c.threadOnce} / ${p.reminders} ${mark(c.threadOnce === p.reminders)} (missing ${c.threadMissing}, duplicated ${c.threadDuplicated}, unexpected ${c.threadUnexpected}, distinct ${c.distinctThreadPosts})`,
    ],
    [
      'card updates exact per card',
      `${c.updatesExact} / ${c.updatesExact + c.updatesWrong} cards ${mark(c.updatesWrong === 0)}, ${c.updatesTotal} successful chat.update for ${p.updates} queued`,
    ],
    [
      'max posts per channel in any 1 s (ok / attempted)',
      `${c.maxPostsPerChannelPerSecond} / ${c.maxAttemptsPerChannelPerSecond}`,
    ],
  ];
  return ['## 3. Slack pacing under faults', '', table(['figure', 'value'], rows)].join('\n');
}

export function renderReport(r: Report): string {
  const m = r.machine;
  const memoryRows = [...r.memory].map(([phase, rss]) => [phase, (rss / 1024 / 1024).toFixed(0)]);
  return [
    `# pii-review bench, ${r.date}, ${m.database}`,
    '',
    table(
      ['machine', ''],
      [
        ['cpu', `${m.cpu} × ${m.cores} cores`],
        ['memory', `${m.memoryGb.toFixed(1)} GB`],
        ['node', m.node],
        ['database', m.database],
        [
          'load average (1/5/15 min) at start / end',
          `${m.loadStart.map((l) => l.toFixed(2)).join(' ')} / ${m.loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
        ],
        ['total run time', `${(r.totalMs / 1000).toFixed(0)} s`],
        [
          'app log lines',
          Object.entries(r.logs.counts)
            .map(([level, count]) => `${level} ${count}`)
            .join(', ') || 'none',
        ],
      ],
    ),
    ...(Math.max(m.loadStart[0] ?? 0, m.loadEnd[0] ?? 0) > m.cores
      ? [
          '',
          `> ⚠ The machine was shared with other work (1-minute load average above the ${m.cores} cores): absolute figures are pessimistic and noisy; the ratios to bare Bolt, measured in the same minutes, hold better.`,
        ]
      : []),
    ...(r.logs.errors.size
      ? ['', 'Errors logged by the app (all phases):', ...[...r.logs.errors].map(([m, c]) => `- ${c} × ${m}`)]
      : []),
    ...(r.warnings.length ? ['', 'Node warnings:', ...r.warnings.map((w) => `- ${w}`)] : []),
    '',
    ackSection(r.ack, r.postgres),
    '',
    growthSection(r.growth),
    '',
    pacingSection(r.pacing),
    '',
    '## 4. Memory',
    'Peak RSS of the bench process (bot, database driver or PGlite, and the Slack side thread), sampled every 50 ms.',
    '',
    table(['phase', 'peak RSS MB'], memoryRows),
    '',
  ].join('\n');
}
