/**
 * `npm run bench`: acknowledgement latency against bare Bolt, growth to 100,000 applications,
 * Slack pacing under faults, and peak memory, on Postgres when DATABASE_URL is set (a throwaway
 * database) or an in-memory PGlite. Prints a Markdown report and writes it to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ackPhase } from './ack.ts';
import { createLogSink } from './bot.ts';
import { openBenchDatabase } from './database.ts';
import { growthPhase } from './growth.ts';
import { createRssSampler } from './memory.ts';
import { pacingPhase } from './pacing.ts';
import { renderReport } from './report.ts';
import { startSlackSide } from './slack-client.ts';

/** Smaller runs while working on the bench: BENCH_REQUESTS=100 BENCH_SIZES=1000,10000. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1200);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const CONCURRENCY = [1, 10, 50];
const EFFECTS = 1000;
const POST_INTERVAL_MS = 20;

const step = (text: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

async function main(): Promise<void> {
  const started = performance.now();
  const loadStart = os.loadavg();
  const url = process.env.DATABASE_URL || undefined;
  const memory = createRssSampler(50);
  const logs = createLogSink();
  const warnings = new Set<string>();
  process.on('warning', (warning) => warnings.add(`${warning.name}: ${warning.message}`));

  memory.phase('setup');
  step(`opening a fresh ${url ? 'Postgres' : 'PGlite'} database`);
  const database = await openBenchDatabase(url);
  const slack = await startSlackSide();
  try {
    const { apiUrl } = await slack.start();

    memory.phase('ack latency');
    step(`ack latency: ${REQUESTS} requests at concurrency ${CONCURRENCY.join(', ')}, bare Bolt and pii-review`);
    const ack = await ackPhase({ slack, apiUrl, database, logs, count: REQUESTS, concurrencies: CONCURRENCY });

    memory.phase('pacing');
    step(`pacing: ${EFFECTS} card updates + ${EFFECTS} reminders with 10% 429 and 2% 500`);
    const pacing = await pacingPhase({
      slack,
      apiUrl,
      database,
      logs,
      updates: EFFECTS,
      reminders: EFFECTS,
      postIntervalMs: POST_INTERVAL_MS,
      faults: { rateLimited: 0.1, serverError: 0.02, retryAfter: 1 },
      timeoutMs: 240_000,
    });

    step(`growth: seeding ${SIZES.join(' then ')} applications`);
    const growth = await growthPhase({ database, sizes: SIZES, runs: 50, memory });

    const peaks = memory.stop();
    const cpus = os.cpus();
    const date = new Date().toISOString().slice(0, 10);
    const markdown = renderReport({
      date,
      machine: {
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cores: cpus.length,
        memoryGb: os.totalmem() / 1024 ** 3,
        node: process.version,
        database: `${database.kind === 'postgres' ? 'Postgres' : 'PGlite (in memory)'} · ${database.version}`,
        loadStart,
        loadEnd: os.loadavg(),
      },
      totalMs: performance.now() - started,
      ack,
      growth,
      pacing,
      memory: peaks,
      logs,
      warnings: [...warnings],
      postgres: database.kind === 'postgres',
    });
    const dir = new URL('./results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const file = new URL(`${date}-${database.kind}.md`, dir);
    writeFileSync(file, markdown);
    process.stdout.write(markdown);
    step(`written to ${file.pathname}`);
  } finally {
    await slack.terminate();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
