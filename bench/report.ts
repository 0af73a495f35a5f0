import type { AckResult, AckRun } from './ack.ts';
import { KINDS } from './ack.ts';
import type { ProfileSummary } from './cpu.ts';
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
    const floor = ack.floor[i] as AckRun;
    const calls = ack.calls[i] as AckRun;
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
    const ratios = (name: string, base: AckRun, of: AckRun = real) => [
      of.concurrency,
      name,
      x(ratio(of.all.p50, base.all.p50)),
      x(ratio(of.all.p95, base.all.p95)),
      x(ratio(of.all.p99, base.all.p99)),
      x(ratio(of.rps, base.rps)),
      x(ratio(of.completedRps, base.completedRps)),
      '',
      '',
    ];
    rows.push(line('bare Bolt', bare), line('durable floor', floor), line('Slack-call floor', calls), line('pii-review', real));
    rows.push(
      ratios('**ratio pii-review / bare**', bare),
      ratios('**ratio pii-review / floor**', floor),
      ratios('ratio pii-review / Slack-call floor', calls),
      ratios('ratio Slack-call floor / floor', floor, calls),
    );
  }
  const floorOf = (r: AckRun) => ack.floor[ack.real.indexOf(r)] as AckRun;
  const at = (c: number) => ack.real.find((r) => r.concurrency === c);
  const pgNote = postgres ? '' : ' (stated for Postgres; shown for reference)';
  const targets: (string | number)[][] = [];
  for (const c of [10, 50]) {
    const r = at(c);
    if (!r) continue;
    const acked = ratio(r.rps, floorOf(r).rps);
    const done = ratio(r.completedRps, floorOf(r).rps);
    targets.push([`throughput acked ≥ 0.75× floor at concurrency ${c}${pgNote}`, x(acked), mark(acked >= 0.75)]);
    targets.push([`work done ≥ 0.5× floor at concurrency ${c}${pgNote}`, x(done), mark(done >= 0.5)]);
  }
  const c50 = at(50);
  if (c50) {
    const p99 = ratio(c50.all.p99, floorOf(c50).all.p99);
    targets.push([
      `p99 at concurrency 50 ≤ 2× floor's p99${pgNote}`,
      `${ms(c50.all.p99)} ms vs ${ms(floorOf(c50).all.p99)} ms: ${x(p99)}`,
      mark(p99 <= 2),
    ]);
  }
  const c1 = at(1);
  if (c1) {
    targets.push([
      `decision ack p50 ≤ 3 ms at concurrency 1${pgNote}`,
      `${ms(c1.byKind.decision.p50)} ms`,
      mark(c1.byKind.decision.p50 <= 3),
    ]);
  }
  const kinds = ack.real.map((r) => [
    r.concurrency,
    ...KINDS.map((k) => `${ms(r.byKind[k].p50)} / ${ms(r.byKind[k].p95)} / ${ms(r.byKind[k].p99)}`),
  ]);
  const floorKinds = ack.floor.map((r) => [
    r.concurrency,
    ...KINDS.map((k) => `${ms(r.byKind[k].p50)} / ${ms(r.byKind[k].p95)} / ${ms(r.byKind[k].p99)}`),
  ]);
  // Negative when a postgres process (another user's session) ended between the two readings.
  const perReq = (v: number | undefined, n: number) => (v === undefined || !(v >= 0) ? 'n/a' : ms(v / n, 2));
  const cpuRows = ack.cpu.map((c) => [
    c.kind,
    c.app,
    c.requests,
    perReq(c.sample.mainMs, c.requests),
    perReq(c.sample.busyMs, c.requests),
    perReq(c.sample.threadsMs['load generator'], c.requests),
    perReq(c.sample.threadsMs.emulator, c.requests),
    perReq(
      c.sample.processMs -
        c.sample.mainMs -
        (c.sample.threadsMs['load generator'] ?? Number.NaN) -
        (c.sample.threadsMs.emulator ?? Number.NaN),
      c.requests,
    ),
    perReq(c.sample.processMs, c.requests),
    ...(postgres ? [perReq(c.sample.postgresMs, c.requests)] : []),
  ]);
  const profileTables = (profile: ProfileSummary) => [
    table(
      ['area', 'self ms', 'share'],
      profile.byArea.slice(0, 16).map((a) => [a.area, ms(a.ms, 0), `${((a.ms / profile.totalMs) * 100).toFixed(1)}%`]),
    ),
    '',
    table(
      ['heaviest functions (self time)', 'self ms', 'share'],
      profile.byFunction.map((f) => [
        `\`${f.name.replace(/\|/g, '\\|')}\``,
        ms(f.ms, 0),
        `${((f.ms / profile.totalMs) * 100).toFixed(1)}%`,
      ]),
    ),
  ];
  const profile = ack.cpuProfile;
  const emulatorProfile = ack.emulatorProfile;
  const profileLines = [
    ...(profile
      ? [
          '',
          `Profile of the bot's thread (V8 sampling profiler) through one more mixed level of ${n(ack.count)} requests at concurrency ${ack.profileConcurrency}, until their work was done: ${ms(profile.totalMs, 0)} ms of self time (not idle), ${ms(profile.totalMs / ack.count, 2)} ms per request.`,
          '',
          ...profileTables(profile),
        ]
      : []),
    ...(emulatorProfile
      ? [
          '',
          `Profile of the emulator's thread through the same level (answering the bot's Web API calls with Slack's checks, and building and signing the requests the load generator sends): ${ms(emulatorProfile.totalMs, 0)} ms of self time, ${ms(emulatorProfile.totalMs / ack.count, 2)} ms per request. It shares the machine's cores with the bot, Postgres and the load generator.`,
          '',
          ...profileTables(emulatorProfile),
        ]
      : []),
  ];
  return [
    '## 1. Acknowledgement latency and throughput',
    `${n(ack.count)} signed requests per concurrency level and app, a quarter of each kind, interleaved: ` +
      '**decision** = `view_submission` (record_gap, or business_review advance, on modals opened beforehand), ' +
      '**click** = `block_actions` on a card button that opens a modal (`views.open`), **status** = `/pii status <id>`, ' +
      '**intake** = `POST /api/applications` (new application, card posted). Latency = send → whole HTTP answer read, ' +
      'measured by the load generator on a thread of its own (the emulator, which builds and signs the requests and answers ' +
      'the bot’s Web API calls, has another). "work done" counts until the last Slack call the requests caused ' +
      '(outbox drained with `postIntervalMs` 0, modals open). Before its measured requests at a level, each app takes ' +
      `${n(ack.warmup)} more of the same mix at that concurrency, unmeasured (pool connections opened, statements prepared and planned on them). ` +
      'Bare Bolt: same HTTPReceiver and signature checks, listeners that only `ack()`. ' +
      '**Durable floor**: bare Bolt whose every request commits one row before its ack (`begin; insert; commit` on a pooled pg connection, on PGlite through PGlite): what a click that is never acknowledged and then lost costs at least. ' +
      "**Slack-call floor**: the durable floor making, after each ack, the Web API calls pii-review makes for that kind of request, with a small fixed card and no logic (a decision: `chat.update` of a card and `chat.postMessage` in its thread; a click: `views.open`; an intake: `chat.postMessage` of a card; a status: none), through a client configured as the bot's; its work is done when the emulator has answered them all: what Slack's calls cost any app that makes them, on this machine where the emulator shares the cores.",
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
    'Durable floor by kind (the same requests), p50 / p95 / p99 ms:',
    '',
    table(['concurrency', ...KINDS], floorKinds),
    '',
    ...ack.checks.map((c) => `- ${c}`),
    '',
    `Database work per request, one at a time on the idle app (median of 4); a query round trip (\`select 1\`) costs ${ms(ack.roundTripMs, 2)} ms here:`,
    '',
    table(
      ['request', 'queries before the ack', 'queries after it (outbox, modal)', 'ack ms'],
      ack.profile.map((p) => [p.request, p.beforeAck, p.afterAck, ms(p.ackMs)]),
    ),
    '',
    `CPU per request by kind: ${n(ack.cpu[0]?.requests ?? 0)} requests of one kind at concurrency ${ack.cpuConcurrency} through each app, until their work was done (pii-review: outbox drained, modals open). ` +
      '**bot thread CPU** = CPU time of the thread the app runs on (Bolt, drizzle, pg, rendering, and on PGlite the database itself); ' +
      '**bot thread busy** = its busy wall time (event-loop utilisation), which on a loaded machine also counts waiting for a core; ' +
      "**load generator** and **emulator** = CPU time of the Slack side's two threads (sending and timing the requests; answering the bot's Web API calls and building and signing the requests); " +
      "**other threads** = the rest of the process's CPU: V8's helper threads (garbage collection, compilation) and libuv's pool; " +
      '**process** = CPU of the whole bench process, all of the above' +
      (postgres
        ? '; **postgres** = CPU of every `postgres` process on the machine (the server; anything else using it counts too).'
        : '.'),
    '',
    table(
      [
        'kind',
        'app',
        'requests',
        'bot thread CPU ms/req',
        'bot thread busy ms/req',
        'load generator CPU ms/req',
        'emulator CPU ms/req',
        'other threads CPU ms/req',
        'process CPU ms/req',
        ...(postgres ? ['postgres CPU ms/req'] : []),
      ],
      cpuRows,
    ),
    ...profileLines,
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
    "Peak RSS of the bench process (bot, database driver or PGlite, and the Slack side's threads), sampled every 50 ms.",
    '',
    table(['phase', 'peak RSS MB'], memoryRows),
    '',
  ].join('\n');
}
