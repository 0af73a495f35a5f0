import { createServer } from 'node:net';
import { openDatabase } from '../db/client.ts';
import { DataDirectoryLocked } from '../db/dir-lock.ts';
import { resetDatabase } from '../db/reset.ts';
import { buildApp, type RunningApp } from './app.ts';
import { systemClock } from './clock.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { HOME_DEBOUNCE_MS } from './dashboard/home-refresher.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadQuestionnaire } from './questionnaire/questionnaire.ts';
import { refuseChangedQuestionnaire } from './questionnaire/stored-version.ts';
import { duePendingNow } from './sandbox/clock-db.ts';
import { loadDemoData } from './sandbox/demo.ts';
import { developerData, replayWebhooks } from './sandbox/developer-data.ts';
import { createSandbox, SANDBOX_INTAKE_TOKEN } from './sandbox/index.ts';
import { personaRoles } from './sandbox/personas.ts';

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`pii-review cannot start.\n${error.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const sandboxMode = config.slack.mode === 'sandbox';
  if (sandboxMode) {
    logger.info('No Slack tokens set: starting the local sandbox (Slack emulator) instead of connecting to Slack.');
  }
  logger.info(
    { database: config.database.kind, ...(config.database.kind === 'pglite' ? { dataDir: config.database.dataDir } : {}) },
    config.database.kind === 'pglite' ? 'Using embedded PGlite' : 'Using PostgreSQL',
  );
  const questionnaire = loadQuestionnaire(config.questionnaireFile);
  const database = await openDatabase(config.database);
  await database.migrate();
  await refuseChangedQuestionnaire(database.db, questionnaire, config.questionnaireFile);

  let running: RunningApp;
  if (config.slack.mode === 'sandbox') {
    const host = config.sandboxHost;
    const port = config.port === 0 ? await freePort(host) : config.port;
    const intakeToken = config.intakeToken ?? SANDBOX_INTAKE_TOKEN;
    const configuredRoles = [...config.roles.reviewers, ...config.roles.architects, ...config.roles.admins].length > 0;
    const roles = configuredRoles ? config.roles : personaRoles();
    const sandbox = createSandbox({
      baseUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
      logger,
      intakeToken,
      resetDatabase: () => resetDatabase(database.db),
      developerData: developerData(database.db),
      onBackToNow: (now) => duePendingNow(database.db, now),
      // The demo's history ends at the sandbox's now, however far the clock was moved.
      loadDemo: () => loadDemoData({ db: database.db, clock: sandbox.clock, roles, questionnaire, policy: config.policy }),
      // The channel, threads, files and Homes outlive a restart, as the database does.
      slackStateFile: config.sandboxSlackFile,
    });
    if (!config.webhook) await replayWebhooks(database.db);
    const started = await buildApp({
      slack: sandbox.slack,
      database,
      // The sandbox clock: the page's jumps move rules, reminders, the digest, retention and audits.
      clock: sandbox.clock,
      logger,
      reviewChannelId: sandbox.channelId,
      intakeToken,
      roles,
      questionnaire,
      policy: config.policy,
      postIntervalMs: config.slackPostIntervalMs,
      homeRefresh: { debounceMs: HOME_DEBOUNCE_MS },
      // Without a WEBHOOK_URL of your own, the webhooks feed the developer panel's inbox.
      webhook: config.webhook ?? sandbox.webhook,
      outboxPollMs: config.outboxPollMs,
      sweepRoute: { token: intakeToken, loopbackOnly: false },
      // With neither METRICS_TOKEN nor METRICS_PORT, the sandbox serves /metrics on its port with its intake token.
      metrics: config.metrics.token || config.metrics.port !== undefined ? config.metrics : { token: intakeToken },
      extraRoutes: sandbox.routes,
    }).start({ port, host });
    // Open browser tabs hold change streams; end them first or the server never finishes closing.
    running = {
      ...started,
      stop: async () => {
        sandbox.close();
        await started.stop();
        // After the bot's last posts of its drain.
        sandbox.saveSlack();
      },
    };
    logger.info({ url: sandbox.baseUrl }, `Sandbox ready: open ${sandbox.baseUrl} in a browser`);
  } else {
    if (!config.reviewChannelId || !config.intakeToken) throw new Error('unreachable: config requires both with Slack tokens');
    running = await buildApp({
      slack: config.slack,
      database,
      clock: systemClock,
      logger,
      reviewChannelId: config.reviewChannelId,
      intakeToken: config.intakeToken,
      ...(config.adminApiToken ? { sweepRoute: { token: config.adminApiToken, loopbackOnly: true } } : {}),
      roles: config.roles,
      questionnaire,
      policy: config.policy,
      postIntervalMs: config.slackPostIntervalMs,
      homeRefresh: { debounceMs: HOME_DEBOUNCE_MS },
      ...(config.webhook ? { webhook: config.webhook } : {}),
      outboxPollMs: config.outboxPollMs,
      metrics: config.metrics,
    }).start({ port: config.port });
    logger.info(
      { port: running.port, mode: config.slack.mode, ...(running.metricsPort ? { metricsPort: running.metricsPort } : {}) },
      'pii-review is running',
    );
  }
  handleSignals(running, database, logger);
}

function handleSignals(running: RunningApp, database: { close(): Promise<void> }, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, finishing work in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    void running
      .stop()
      .then(() => database.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryLocked) {
    process.stderr.write(`pii-review cannot start.\n${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `pii-review failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
