import { inArray, sql } from 'drizzle-orm';
import { events } from '../db/schema.ts';
import { PERSONAS } from '../src/sandbox/personas.ts';
import {
  INTAKE_TOKEN,
  type LogSink,
  SIGNING_SECRET,
  startBareBolt,
  startDurableBolt,
  startRealBot,
  startSlackCallFloor,
} from './bot.ts';
import { type CpuSample, measureCpu, type ProfileSummary, profileCpu } from './cpu.ts';
import type { BenchDatabase } from './database.ts';
import { ackMarker, countingDatabase, outboxIdle, poolWatcher, roundTripMs } from './diagnose.ts';
import { ADVANCE, intakeBody, RECORD_GAP } from './fixtures.ts';
import type { LoadResult, RequestSpec, SlackSide } from './slack-types.ts';
import { percentile, type Summary, summarize } from './stats.ts';

export const KINDS = ['decision', 'click', 'status', 'intake'] as const;
export type Kind = (typeof KINDS)[number];
export type AckRun = {
  concurrency: number;
  all: Summary;
  byKind: Record<Kind, Summary>;
  rps: number;
  /** Requests per second counting until the last Slack call they caused (outbox drained, modals open). */
  completedRps: number;
  failed: number;
  /** Postgres: the most requests waiting for one of the pool's connections at once. */
  poolMaxWaiting?: number;
};
/** Queries one request sends before its ack and after it (outbox delivery, modal), median of PROFILE_RUNS. */
export type QueryProfile = { request: string; beforeAck: number; afterAck: number; ackMs: number };
/** CPU per request of one kind, by app: ms per request (see bench/cpu.ts for what each column counts). */
export type CpuRow = {
  kind: Kind;
  app: 'bare Bolt' | 'durable floor' | 'Slack-call floor' | 'pii-review';
  requests: number;
  sample: CpuSample;
};
export type AckResult = {
  count: number;
  /** Unmeasured requests each app took at a level's concurrency before the measured ones. */
  warmup: number;
  bare: AckRun[];
  /** Bare Bolt committing one row per request before its ack. */
  floor: AckRun[];
  /** The durable floor making, after each ack, the Web API calls pii-review makes for that kind of request. */
  calls: AckRun[];
  real: AckRun[];
  cpu: CpuRow[];
  cpuConcurrency: number;
  /** The bot's thread under the sampling profiler through one more mixed level. */
  cpuProfile?: ProfileSummary;
  /** The emulator's thread through the same level. */
  emulatorProfile?: ProfileSummary;
  profileConcurrency: number;
  checks: string[];
  roundTripMs: number;
  profile: QueryProfile[];
};

const REVIEWER = PERSONAS[0]?.id ?? '';
const DECISION_EVENTS = ['business_review.passed', 'gap.recorded'];
const PROFILE_RUNS = 4;
/** Concurrency of the CPU-per-kind pass and of the profiled pass. */
const CPU_CONCURRENCY = 10;
/** Unmeasured requests each app takes at a level's concurrency before the measured ones. */
const WARMUP_REQUESTS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settle(dispatcher: { drain(): Promise<number>; pending(): Promise<number> }): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    await dispatcher.drain();
    if ((await dispatcher.pending()) === 0) return;
  }
  throw new Error('outbox did not settle');
}

function runOf(concurrency: number, specs: RequestSpec[], load: LoadResult, completedMs: number): AckRun {
  const kindOf = (s: RequestSpec): Kind => (s.kind === 'submit' ? 'decision' : s.kind === 'command' ? 'status' : s.kind);
  const expected = (s: RequestSpec) => (s.kind === 'intake' ? 201 : 200);
  const byKind = Object.fromEntries(
    KINDS.map((k) => [k, summarize(load.latencies.filter((_, i) => kindOf(specs[i] as RequestSpec) === k))]),
  ) as Record<Kind, Summary>;
  return {
    concurrency,
    all: summarize(load.latencies),
    byKind,
    rps: (specs.length / load.wallMs) * 1000,
    completedRps: (specs.length / completedMs) * 1000,
    failed: load.statuses.filter((status, i) => status !== expected(specs[i] as RequestSpec)).length,
  };
}

/** Prepared work: per level, modals to submit; for all levels, cards to click and applications to look up. */
async function prepare(slack: SlackSide, bot: Awaited<ReturnType<typeof startRealBot>>, levels: number, perKind: number) {
  const perLevelAdvance = Math.ceil(perKind / 2);
  const perLevelGap = perKind - perLevelAdvance;
  const advanceIds = await slack.intake({
    bodies: range(perLevelAdvance * levels + PROFILE_RUNS).map((n) => intakeBody('adv', n)),
  });
  const gapIds = await slack.intake({ bodies: range(perLevelGap * levels + PROFILE_RUNS).map((n) => intakeBody('gap', n)) });
  const clickIds = await slack.intake({ bodies: range(20).map((n) => intakeBody('click', n)) });
  await settle(bot.dispatcher);
  // The gap applications go to Stage 2 through the real flow, then get a record_gap modal each.
  const toStage2 = await slack.openModals({
    items: gapIds.map((appId) => ({ user: REVIEWER, appId, actionId: 'card.business_review' })),
  });
  for (const viewId of toStage2) {
    const answer = await slack.submit({ user: REVIEWER, viewId, values: ADVANCE });
    if (answer.status !== 200 || answer.text) throw new Error(`prep advance answered ${answer.status} ${answer.text}`);
  }
  await settle(bot.dispatcher);
  const gapViews = await slack.openModals({
    items: gapIds.map((appId) => ({ user: REVIEWER, appId, actionId: 'card.record_gap' })),
  });
  const advanceViews = await slack.openModals({
    items: advanceIds.map((appId) => ({ user: REVIEWER, appId, actionId: 'card.business_review' })),
  });
  await settle(bot.dispatcher);
  return { perLevelAdvance, perLevelGap, advanceViews, gapViews, gapIds, clickIds, all: [...advanceIds, ...gapIds, ...clickIds] };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** One request at a time on an idle app: how many queries it sends before it is acked, and after. */
async function profileQueries(
  slack: SlackSide,
  database: BenchDatabase,
  count: () => number,
  prep: Awaited<ReturnType<typeof prepare>>,
): Promise<QueryProfile[]> {
  const advance = prep.advanceViews.slice(-PROFILE_RUNS);
  const gap = prep.gapViews.slice(-PROFILE_RUNS);
  const requests: [string, (i: number) => RequestSpec][] = [
    ['decision: business_review advance', (i) => ({ kind: 'submit', user: REVIEWER, viewId: advance[i] ?? '', values: ADVANCE })],
    ['decision: record_gap', (i) => ({ kind: 'submit', user: REVIEWER, viewId: gap[i] ?? '', values: RECORD_GAP })],
    ['click → views.open', (i) => ({ kind: 'click', user: REVIEWER, appId: prep.gapIds[i] ?? 0, actionId: 'card.record_gap' })],
    ['/pii status <id>', (i) => ({ kind: 'command', user: REVIEWER, text: `status ${prep.all[i]}` })],
    ['intake', (i) => ({ kind: 'intake', body: intakeBody('profile', i) })],
  ];
  const profile: QueryProfile[] = [];
  const marker = ackMarker(count);
  for (const [request, make] of requests) {
    const before: number[] = [];
    const after: number[] = [];
    const latency: number[] = [];
    for (let i = 0; i < PROFILE_RUNS; i += 1) {
      await outboxIdle(database);
      await sleep(20);
      const start = count();
      const since = await slack.mark();
      const load = await slack.load({ specs: [make(i)], concurrency: 1 });
      const acked = marker.atAck();
      if (request.startsWith('click')) await slack.waitCalls({ method: 'views.open', since, count: 1, timeoutMs: 5_000 });
      await sleep(20);
      await outboxIdle(database);
      await sleep(20);
      before.push(acked - start);
      after.push(count() - acked);
      latency.push(load.latencies[0] ?? Number.NaN);
    }
    profile.push({ request, beforeAck: percentile(before, 50), afterAck: percentile(after, 50), ackMs: percentile(latency, 50) });
  }
  marker.stop();
  return profile;
}

function levelSpecs(level: number, perKind: number, prep: Awaited<ReturnType<typeof prepare>>): RequestSpec[] {
  const submits: RequestSpec[] = [];
  const advance = prep.advanceViews.slice(level * prep.perLevelAdvance, (level + 1) * prep.perLevelAdvance);
  const gap = prep.gapViews.slice(level * prep.perLevelGap, (level + 1) * prep.perLevelGap);
  for (let i = 0; submits.length < perKind; i += 1) {
    const a = advance[i];
    const g = gap[i];
    if (a) submits.push({ kind: 'submit', user: REVIEWER, viewId: a, values: ADVANCE });
    if (g && submits.length < perKind) submits.push({ kind: 'submit', user: REVIEWER, viewId: g, values: RECORD_GAP });
  }
  const specs: RequestSpec[] = [];
  for (let i = 0; i < perKind; i += 1) {
    specs.push(submits[i] as RequestSpec);
    specs.push(
      i % 2 === 0
        ? { kind: 'click', user: REVIEWER, appId: prep.clickIds[i % prep.clickIds.length] ?? 0, actionId: 'card.business_review' }
        : { kind: 'click', user: REVIEWER, appId: prep.gapIds[i % prep.gapIds.length] ?? 0, actionId: 'card.record_gap' },
    );
    specs.push({ kind: 'command', user: REVIEWER, text: `status ${prep.all[(i * 7 + level) % prep.all.length]}` });
    specs.push({ kind: 'intake', body: intakeBody(`load${level}`, i) });
  }
  return specs;
}

/**
 * Acknowledgement latency and throughput of the real app against bare Bolt, at each
 * concurrency, with the same signed requests; the real app does the full work of each.
 */
export async function ackPhase(args: {
  slack: SlackSide;
  apiUrl: string;
  database: BenchDatabase;
  logs: LogSink;
  count: number;
  concurrencies: number[];
}): Promise<AckResult> {
  const { slack, database } = args;
  const perKind = Math.floor(args.count / KINDS.length);
  const counting = countingDatabase(database);
  const bot = await startRealBot({
    database: counting.database,
    apiUrl: args.apiUrl,
    logs: args.logs,
    postIntervalMs: 0,
    outboxPollMs: 1000,
  });
  const pool = poolWatcher(database);
  const bare = await startBareBolt();
  const floor = await startDurableBolt(database);
  const calls = await startSlackCallFloor(database, args.apiUrl, args.logs);
  const realTarget = {
    botUrl: `${bot.url}/slack/events`,
    intakeUrl: `${bot.url}/api/applications`,
    intakeToken: INTAKE_TOKEN,
    signingSecret: SIGNING_SECRET,
  };
  const bareTarget = { ...realTarget, botUrl: `${bare.url}/slack/events`, intakeUrl: `${bare.url}/api/applications` };
  const floorTarget = { ...realTarget, botUrl: `${floor.url}/slack/events`, intakeUrl: `${floor.url}/api/applications` };
  const callsTarget = { ...realTarget, botUrl: `${calls.url}/slack/events`, intakeUrl: `${calls.url}/api/applications` };
  const result: AckResult = {
    count: perKind * KINDS.length,
    warmup: WARMUP_REQUESTS,
    bare: [],
    floor: [],
    calls: [],
    real: [],
    cpu: [],
    cpuConcurrency: CPU_CONCURRENCY,
    profileConcurrency: CPU_CONCURRENCY,
    checks: [],
    roundTripMs: await roundTripMs(database),
    profile: [],
  };
  try {
    await slack.target(realTarget);
    // Levels beyond the measured ones: one for CPU per kind, one for the profiled run, then one
    // warm-up per measured level.
    const levels = args.concurrencies.length;
    const prep = await prepare(slack, bot, 2 * levels + 2, perKind);
    result.profile = await profileQueries(slack, database, counting.count, prep);
    for (const [level, concurrency] of args.concurrencies.entries()) {
      const specs = levelSpecs(level, perKind, prep);
      // Every app first takes a slice of requests of the same mix at the level's concurrency,
      // unmeasured: the pool's connections that this concurrency opens, and the statements
      // each connection prepares and plans, are in place before the measured requests come.
      const warmup = levelSpecs(levels + 2 + level, perKind, prep).slice(0, WARMUP_REQUESTS);
      await slack.target(bareTarget);
      await slack.load({ specs: warmup, concurrency });
      const bareLoad = await slack.load({ specs, concurrency });
      result.bare.push(runOf(concurrency, specs, bareLoad, bareLoad.wallMs));
      await slack.target(floorTarget);
      await slack.load({ specs: warmup, concurrency });
      const floorLoad = await slack.load({ specs, concurrency });
      result.floor.push(runOf(concurrency, specs, floorLoad, floorLoad.wallMs));
      await slack.target(callsTarget);
      await slack.load({ specs: warmup, concurrency });
      await calls.idle();
      const callsSince = await slack.mark();
      const callsLoad = await slack.load({ specs, concurrency });
      await calls.idle();
      const callsLastAt = await slack.lastCallAt({ since: callsSince });
      result.calls.push(runOf(concurrency, specs, callsLoad, Math.max(callsLoad.wallMs, callsLastAt - callsLoad.startedAt)));

      await slack.target(realTarget);
      const warmupSince = await slack.mark();
      await slack.load({ specs: warmup, concurrency });
      const warmupClicks = warmup.filter((s) => s.kind === 'click').length;
      await slack.waitCalls({ method: 'views.open', since: warmupSince, count: warmupClicks, timeoutMs: 30_000 });
      await settle(bot.dispatcher);
      const decisionsBefore = await countEvents(database);
      const errorsBefore = args.logs.counts.error ?? 0;
      const since = await slack.mark();
      pool?.start();
      const load = await slack.load({ specs, concurrency });
      const poolMaxWaiting = pool?.stop();
      await settle(bot.dispatcher);
      const clicks = specs.filter((s) => s.kind === 'click').length;
      const opened = await slack.waitCalls({ method: 'views.open', since, count: clicks, timeoutMs: 30_000 });
      await settle(bot.dispatcher);
      const lastAt = await slack.lastCallAt({ since });
      result.real.push({
        ...runOf(concurrency, specs, load, Math.max(load.wallMs, lastAt - load.startedAt)),
        ...(poolMaxWaiting !== undefined ? { poolMaxWaiting } : {}),
      });
      const decided = (await countEvents(database)) - decisionsBefore;
      result.checks.push(
        `c=${concurrency}: ${decided}/${perKind} decisions committed, ${opened.ok}/${clicks} modals opened` +
          (opened.errors.length ? ` (views.open errors: ${[...new Set(opened.errors)].join(', ')})` : '') +
          `, ${(args.logs.counts.error ?? 0) - errorsBefore} errors logged by the app`,
      );
    }
    result.checks.push(`Slack-call floor: ${calls.failedCalls()} of its Web API calls failed over all levels`);

    // CPU per request kind: the same requests of one kind through each app, until their work is done.
    const cpuSpecs = levelSpecs(args.concurrencies.length, perKind, prep);
    const kindOf = (s: RequestSpec): Kind => (s.kind === 'submit' ? 'decision' : s.kind === 'command' ? 'status' : s.kind);
    for (const kind of KINDS) {
      const specs = cpuSpecs.filter((s) => kindOf(s) === kind);
      for (const [app, target, idle] of [
        ['bare Bolt', bareTarget, bare.idle],
        ['durable floor', floorTarget, floor.idle],
        ['Slack-call floor', callsTarget, calls.idle],
      ] as const) {
        await slack.target(target);
        const sample = await measureCpu(async () => {
          await slack.load({ specs, concurrency: CPU_CONCURRENCY });
          await idle();
        }, slack.threads);
        result.cpu.push({ kind, app, requests: specs.length, sample });
      }
      await slack.target(realTarget);
      await settle(bot.dispatcher);
      const since = await slack.mark();
      const sample = await measureCpu(async () => {
        await slack.load({ specs, concurrency: CPU_CONCURRENCY });
        if (kind === 'click') await slack.waitCalls({ method: 'views.open', since, count: specs.length, timeoutMs: 30_000 });
        await settle(bot.dispatcher);
      }, slack.threads);
      result.cpu.push({ kind, app: 'pii-review', requests: specs.length, sample });
    }

    // Where the bot's thread spends it: one more mixed level under the sampling profiler.
    const profiled = levelSpecs(args.concurrencies.length + 1, perKind, prep);
    await slack.target(realTarget);
    const since = await slack.mark();
    await slack.profileStart();
    result.cpuProfile = await profileCpu(async () => {
      await slack.load({ specs: profiled, concurrency: CPU_CONCURRENCY });
      const clicks = profiled.filter((s) => s.kind === 'click').length;
      await slack.waitCalls({ method: 'views.open', since, count: clicks, timeoutMs: 30_000 });
      await settle(bot.dispatcher);
    });
    result.emulatorProfile = await slack.profileStop();
  } finally {
    await calls.stop();
    await floor.stop();
    await bare.stop();
    await bot.stop();
  }
  return result;
}

async function countEvents(database: BenchDatabase): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(events)
    .where(inArray(events.type, DECISION_EVENTS));
  return Number(row?.n ?? 0);
}
