import type { Plan } from './explain.ts';
import { READS, type SizeResult } from './growth.ts';
import { k, n, table, x } from './markdown.ts';
import { mark, ms, ratio } from './stats.ts';

function plansList(plans: Plan[]): string {
  return plans
    .map(
      (p) =>
        `- **${p.op}** (${p.executionMs.toFixed(2)} ms): ${p.scans.join('; ') || 'no table scan'}\n  \`${p.sql.slice(0, 180)}${p.sql.length > 180 ? '…' : ''}\``,
    )
    .join('\n');
}

export function growthSection(growth: SizeResult[]): string {
  const [small, large] = growth;
  if (!small || !large) return '## 2. Growth\n\nnot run';
  const a = k(small.size);
  const b = k(large.size);
  const spreadRows = growth.map((g) => {
    const s = g.spread;
    const open = (s.new ?? 0) + (s.in_review ?? 0) + (s.waiting_on_developer ?? 0);
    return [
      n(g.size),
      n(s.events ?? 0),
      n(open),
      n(s.approved ?? 0),
      n(s.rejected ?? 0),
      n(s.withdrawn ?? 0),
      n(g.due),
      `${(g.seedMs / 1000).toFixed(1)} s`,
    ];
  });
  const readRows = READS.map((read) => {
    const lo = small.reads[read];
    const hi = large.reads[read];
    const r = ratio(hi.p95, lo.p95);
    return [read, ms(lo.p50, 2), ms(lo.p95, 2), ms(hi.p50, 2), ms(hi.p95, 2), x(r), mark(hi.p95 < 25), mark(r < 2)];
  });
  const sweepRow = (name: string, pick: (g: SizeResult) => { p50: number; p95: number; max: number }, limit: boolean) => {
    const lo = pick(small);
    const hi = pick(large);
    const r = ratio(hi.p50, lo.p50);
    return [
      name,
      ms(lo.p50, 1),
      ms(lo.max, 1),
      ms(hi.p50, 1),
      ms(hi.max, 1),
      x(r),
      limit ? mark(hi.max < 1000) : '',
      mark(r < 2),
    ];
  };
  const seqScans = large.plans.flatMap((p) => p.largeSeqScans.map((s) => ({ ...s, plan: p })));
  return [
    '## 2. Growth',
    'Bulk-seeded (`INSERT … SELECT generate_series`, 10,000 applications a chunk) at 50 applications a day, so 100,000 is the ' +
      'same recent backlog with ten times the history; 10 events each; restricted calls, audits, meetings and gaps as the ' +
      'stages imply; every 100th application has a reminder due (stale, waiting, no call, audit due). `VACUUM ANALYZE` after seeding (what autovacuum has done to tables that grew over months: planner statistics, and the visibility map that index-only scans need).',
    '',
    table(['applications', 'events', 'open', 'approved', 'rejected', 'withdrawn', 'reminders due', 'seed time'], spreadRows),
    '',
    `Reads: ${small.reads[READS[0]].n} runs each after 3 warm-up runs, query + Block Kit build, as the listener runs them (App Home for a reviewer).`,
    '',
    table(
      [
        'operation',
        `${a} p50 ms`,
        `${a} p95 ms`,
        `${b} p50 ms`,
        `${b} p95 ms`,
        `ratio p95 ${b}/${a}`,
        'p95 < 25 ms',
        'ratio < 2',
      ],
      readRows,
    ),
    '',
    `Reminder sweep (\`sweepReminders\`): dry run ${small.sweepDry.n} runs; real run 5 runs, each claiming ${n(small.claimed)} / ${n(large.claimed)} ` +
      'reminders and queueing their posts, then deleting those rows again so the next run claims the same.',
    '',
    table(
      ['sweep', `${a} p50 ms`, `${a} max ms`, `${b} p50 ms`, `${b} max ms`, `ratio p50 ${b}/${a}`, '< 1 s', 'ratio < 2'],
      [sweepRow('dry run', (g) => g.sweepDry, true), sweepRow('real (claims + outbox)', (g) => g.sweepReal, true)],
    ),
    '',
    `Per due reminder (real sweep p50 ÷ reminders claimed): ${ms(small.sweepReal.p50 / Math.max(1, small.claimed), 2)} ms at ${a}, ` +
      `${ms(large.sweepReal.p50 / Math.max(1, large.claimed), 2)} ms at ${b}: with 1% due, ten times the applications means ten times the reminders, so the sweep's ratio measures the work due.`,
    '',
    `### Query plans at ${n(large.size)} applications (EXPLAIN (ANALYZE, FORMAT JSON), real parameters)`,
    '',
    plansList(large.plans),
    '',
    '### Sequential scans on large tables',
    '',
    seqScans.length === 0
      ? 'None: every read of a large table uses an index.'
      : seqScans
          .map(
            (s) =>
              `- **${s.plan.op}**: Seq Scan on \`${s.table}\`, ${n(s.rowsRead)} rows read\n\n  \`\`\`sql\n  ${s.plan.sql}\n  \`\`\``,
          )
          .join('\n'),
  ].join('\n');
}
