import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client.ts';
import { systemClock } from '../clock.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { SlackWebClient, webClientOptions } from '../http/slack-client.ts';
import { createOutboxDispatcher } from '../jobs/outbox-dispatcher.ts';
import { purgeExpired } from '../jobs/retention.ts';
import { createLogger } from '../logger.ts';
import { type Delivery, deliverSweep, NOTHING_QUEUED } from '../reminders/delivery.ts';
import { sweepReminders } from '../reminders/sweep.ts';
import { SANDBOX_INTAKE_TOKEN } from '../sandbox/index.ts';

type Reminder = { key: string; kind: string; applicationId: number | null };
const USAGE = 'usage: npm run remind -- --at <ISO instant> [--dry-run]';

function report(at: string, dryRun: boolean, reminders: Reminder[], effects: Delivery, purged: number[]): void {
  for (const r of reminders)
    console.log(`${r.kind.padEnd(16)} ${r.applicationId === null ? 'channel' : `#${r.applicationId}`.padEnd(8)} ${r.key}`);
  const counted = `${reminders.length} reminder${reminders.length === 1 ? '' : 's'}`;
  if (dryRun) console.log(`${counted} would be sent for ${at}.`);
  else if (effects.parked === 0 && effects.waiting === 0) console.log(`${counted} sent for ${at}.`);
  else {
    const total = effects.sent + effects.parked + effects.waiting;
    const left = [
      effects.waiting > 0 ? `${effects.waiting} still in the outbox (the bot retries them)` : '',
      effects.parked > 0
        ? `${effects.parked} refused by Slack and parked (the cause is in the bot's log, "slack effect parked", and on admins' App Home; an admin retries them with /pii retry-parked once it is fixed)`
        : '',
    ].filter(Boolean);
    console.log(`${counted} claimed for ${at}: ${effects.sent} of ${total} Slack posts sent, ${left.join(', ')}.`);
  }
  const ids = purged.map((id) => `#${id}`).join(', ');
  const purgedVerb = dryRun ? 'would be purged' : 'purged';
  console.log(`Retention: ${purged.length} application${purged.length === 1 ? '' : 's'} ${purgedVerb}${ids ? ` (${ids})` : ''}.`);
}

/** Embedded PGlite and the sandbox's Slack live inside the running bot: ask it to sweep. */
async function throughTheBot(config: Config, at: string, dryRun: boolean): Promise<void> {
  const url = `http://127.0.0.1:${config.port}/api/reminders/sweep`;
  const token = config.slack.mode === 'sandbox' ? (config.intakeToken ?? SANDBOX_INTAKE_TOKEN) : config.adminApiToken;
  if (!token)
    throw new Error('Set ADMIN_API_TOKEN (for the bot and for this command): the bot serves sweeps on loopback only with it.');
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ at, dryRun }),
    });
  } catch {
    throw new Error(
      `No bot answers on ${url}. With embedded PGlite (no DATABASE_URL) the database belongs to the running bot: start it with npm start, or set DATABASE_URL to sweep directly.`,
    );
  }
  const answer = (await response.json()) as {
    error?: string;
    reminders?: Reminder[];
    effects?: Delivery;
    dryRun?: boolean;
    purged?: number[];
  };
  if (!response.ok) throw new Error(`the bot refused the sweep (${response.status}): ${answer.error ?? 'unknown error'}`);
  report(at, answer.dryRun ?? dryRun, answer.reminders ?? [], answer.effects ?? NOTHING_QUEUED, answer.purged ?? []);
}

async function directly(config: Config, at: string, dryRun: boolean): Promise<void> {
  if (config.slack.mode === 'sandbox' || !config.reviewChannelId || config.database.kind !== 'postgres')
    throw new Error('unreachable');
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase(config.database);
  try {
    const result = await sweepReminders(
      { db: database.db, policy: config.policy, clock: systemClock, roles: config.roles },
      new Date(at),
      { dryRun },
    );
    let delivery = NOTHING_QUEUED;
    if (!dryRun && result.effects.length > 0) {
      const options = webClientOptions({
        ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        timeoutMs: config.slack.timeoutMs,
        logger,
      });
      const dispatcher = createOutboxDispatcher(
        {
          db: database.db,
          slack: new SlackWebClient(config.slack.botToken, options),
          clock: systemClock,
          logger,
          reviewChannelId: config.reviewChannelId,
          policy: config.policy,
          postIntervalMs: config.slackPostIntervalMs,
          slackTimeoutMs: options.timeout,
        },
        { pollMs: 1000 },
      );
      // One pass over what is due: an effect Slack holds back stays queued for the bot's outbox.
      delivery = await deliverSweep({ db: database.db, dispatcher }, result.effects);
    }
    const purged = await purgeExpired({ db: database.db, logger }, new Date(at), config.policy.retentionDays, { dryRun });
    report(at, dryRun, result.claimed, delivery, purged);
  } finally {
    await database.close();
  }
}

try {
  const { values } = parseArgs({ options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const now = new Date();
  const at = values.at ?? now.toISOString();
  if (Number.isNaN(new Date(at).getTime())) throw new Error(`--at must be an ISO instant such as 2026-03-01T09:00:00Z. ${USAGE}`);
  const config = loadConfig();
  const viaBot = config.database.kind === 'pglite' || config.slack.mode === 'sandbox';
  // Claims for an instant still to come would stop the real ones from posting: the future is a dry run.
  const dryRun = values['dry-run'] || new Date(at).getTime() > now.getTime();
  await (viaBot
    ? throughTheBot(config, new Date(at).toISOString(), dryRun)
    : directly(config, new Date(at).toISOString(), dryRun));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
