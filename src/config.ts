import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { BUSINESS_CRITERIA, type CriterionId } from './workflow/controls.ts';
import { DEFAULT_ROLE_REVIEW_STAGES, ROLE_REVIEW_STAGES, type RoleReviewStage } from './workflow/cycles.ts';
import { DEFAULT_PRIVATE_TRACK, type TrackSettings } from './workflow/tracks.ts';

/**
 * The only module that reads process.env (enforced by the lint rule in biome.json).
 * Everything else receives a Config value.
 */

const slackIdList = z
  .string()
  .optional()
  .transform((raw) =>
    (raw ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user IDs such as U012ABCDEF')));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a positive whole number' })
    .int('must be a positive whole number')
    .positive('must be a positive whole number')
    .optional()
    .transform((v) => v ?? fallback);

const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional()),
  SLACK_API_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .refine((u) => u.endsWith('/'), 'must end with "/"')
      .optional(),
  ),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  /** Connections of each instance's pool (one more, outside it, holds the instance's liveness lock). */
  DATABASE_POOL_SIZE: positiveInt(20),
  PGLITE_DIR: optionalString.transform((v) => v ?? '.data/pglite'),
  PORT: z.coerce
    .number({ message: 'must be a whole number from 0 to 65535' })
    .int('must be a whole number from 0 to 65535')
    .min(0, 'must be a whole number from 0 to 65535')
    .max(65535, 'must be a whole number from 0 to 65535')
    .optional()
    .transform((v) => v ?? 3000),
  SANDBOX_HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  REVIEW_CHANNEL_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012ABCDEF')
      .optional(),
  ),
  INTAKE_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ADMIN_API_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Bearer token of GET /metrics on PORT (and on METRICS_PORT when both are set). */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** A port of its own for GET /metrics (a private network's scraper); unset: /metrics only on PORT with METRICS_TOKEN. */
  METRICS_PORT: z.coerce
    .number({ message: 'must be a whole number from 1 to 65535' })
    .int('must be a whole number from 1 to 65535')
    .min(1, 'must be a whole number from 1 to 65535')
    .max(65535, 'must be a whole number from 1 to 65535')
    .optional(),
  REVIEWER_IDS: slackIdList,
  REVIEWER_GROUP_ID: optionalString.pipe(
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S012ABCDEF')
      .optional(),
  ),
  ARCHITECT_IDS: slackIdList,
  ADMIN_IDS: slackIdList,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .transform((v) => v ?? 'info'),
  OUTBOX_POLL_MS: positiveInt(1000),
  /** A Web API call that takes longer fails and is retried from the outbox: a hung connection must not stall delivery. */
  SLACK_API_TIMEOUT_MS: positiveInt(10_000),
  QUESTIONNAIRE_FILE: optionalString,
  AUDIT_AFTER_DAYS: positiveInt(90),
  RESTRICTED_CALL_GRACE_DAYS: positiveInt(30),
  RESTRICTED_CALL_INACTIVITY_DAYS: positiveInt(90),
  REMINDER_STALE_BUSINESS_DAYS: positiveInt(5),
  REMINDER_WAITING_DAYS: positiveInt(14),
  REMINDER_MEETING_HOURS: optionalString
    .transform((v) => (v ?? '24,1').split(',').map((h) => Number(h.trim())))
    .pipe(z.array(z.number().positive('must be positive hours').max(168, 'must be at most 168 hours')).min(1)),
  REMINDER_SWEEP_MS: positiveInt(60_000),
  DIGEST_HOUR_UTC: z.coerce
    .number({ message: 'must be an hour from 0 to 23' })
    .int('must be an hour from 0 to 23')
    .min(0, 'must be an hour from 0 to 23')
    .max(23, 'must be an hour from 0 to 23')
    .optional()
    .transform((v) => v ?? 8),
  SLACK_POST_INTERVAL_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds' })
    .int()
    .min(0)
    .optional()
    .transform((v) => v ?? 1100),
  WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  WEBHOOK_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  RETENTION_DAYS: positiveInt(180),
  PRIVATE_TRACK_CRITERIA: z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined || raw.trim() === ''
        ? [...DEFAULT_PRIVATE_TRACK.criteria]
        : raw
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(BUSINESS_CRITERIA.map((c) => c.id) as [CriterionId, ...CriterionId[]]))
        .min(1, 'must name at least one criterion'),
    ),
  PRIVATE_TRACK_QUESTIONNAIRE: optionalString.pipe(
    z.enum(['required', 'optional'], { message: 'must be required or optional' }).optional(),
  ),
  ROLE_REVIEW_STAGES: z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined || raw.trim() === ''
        ? [...DEFAULT_ROLE_REVIEW_STAGES]
        : raw
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(ROLE_REVIEW_STAGES, { message: 'must list business, security or architecture' }))
        .refine((stages) => stages[0] === 'business', 'must start with business (Stage 1 always comes first)')
        .refine((stages) => new Set(stages).size === stages.length, 'must name each stage once'),
    ),
});

/** Every variable this module reads: compose.yaml and the README table are checked against it. */
export const ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Rules between variables, checked on the raw values so they are reported together with field errors. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const hasToken = isSet(env.SLACK_BOT_TOKEN);
  const hasSecret = isSet(env.SLACK_SIGNING_SECRET);
  const socketMode = isSet(env.SLACK_APP_TOKEN);
  // Socket Mode receives Slack's requests over its own authenticated socket: nothing to verify with a signing secret.
  if (hasToken && !hasSecret && !socketMode) {
    problems.push(
      'SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set and Slack calls the bot over HTTP (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (hasSecret && !hasToken) {
    problems.push(
      'SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET is set (set both for Slack, neither for the local sandbox)',
    );
  }
  if (hasToken && (hasSecret || socketMode)) {
    for (const name of ['REVIEW_CHANNEL_ID', 'INTAKE_TOKEN']) {
      if (!isSet(env[name])) problems.push(`${name} is required when Slack tokens are set`);
    }
  }
  if (isSet(env.WEBHOOK_URL) !== isSet(env.WEBHOOK_SECRET)) {
    problems.push(
      `${isSet(env.WEBHOOK_URL) ? 'WEBHOOK_SECRET' : 'WEBHOOK_URL'} is required when the other webhook setting is set`,
    );
  }
  if (isSet(env.METRICS_PORT) && Number(env.METRICS_PORT) === Number(isSet(env.PORT) ? env.PORT : 3000)) {
    problems.push('METRICS_PORT must differ from PORT (set METRICS_TOKEN to serve /metrics on PORT)');
  }
  if (socketMode && !hasToken) {
    problems.push('SLACK_APP_TOKEN needs SLACK_BOT_TOKEN as well');
  }
  return problems;
}

export type Roles = {
  reviewers: readonly string[];
  architects: readonly string[];
  admins: readonly string[];
};

export type SlackConfig =
  | {
      mode: 'http' | 'socket';
      botToken: string;
      /** Always set over HTTP; optional in Socket Mode. */
      signingSecret?: string;
      appToken?: string;
      apiUrl?: string;
      /** WebClient `timeout` for every Web API call. */
      timeoutMs: number;
    }
  | { mode: 'sandbox' };

export type Config = {
  slack: SlackConfig;
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'pglite'; dataDir: string };
  port: number;
  sandboxHost: string;
  /**
   * The sandbox's Slack workspace across restarts, kept with the database it belongs to: inside
   * the PGlite directory (under its lock, deleted with it), or, on PostgreSQL, beside
   * `PGLITE_DIR` under a name of that database's URL, so two sandboxes never share one.
   */
  sandboxSlackFile: string;
  reviewChannelId?: string;
  intakeToken?: string;
  /** Bearer token of the loopback-only operator API (POST /api/reminders/sweep outside the sandbox). */
  adminApiToken?: string;
  roles: Roles;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  outboxPollMs: number;
  /** A replacement for the shipped questionnaire (a JSON file with a new version). */
  questionnaireFile?: string;
  policy: Policy;
  /** Pacing of chat.postMessage per channel (Slack: about one message per second per channel). */
  slackPostIntervalMs: number;
  webhook?: { url: string; secret: string };
  /** Where GET /metrics is served: on PORT behind `token`, and/or on a port of its own. */
  metrics: MetricsConfig;
};

export type MetricsConfig = { token?: string; port?: number };

/** Process figures from public reports, kept configurable (DOMAIN.md: [T]/[3P] numbers are defaults, not truth). */
export type Policy = {
  /** An application becomes eligible for an implementation audit this many days after production go-live. */
  auditAfterDays: number;
  /** An approved application without a successful restricted call is "access at risk" after this many days. */
  restrictedCallGraceDays: number;
  /** Access is at risk again when the last successful restricted call is this many days old. */
  restrictedCallInactivityDays: number;
  reminders: ReminderSettings;
  /** Contact data and answers of applications rejected or withdrawn this long ago are deleted. */
  retentionDays: number;
  /** Which Stage 1 criteria and Stage 2 steps apply to private developers (PRIVATE_TRACK_*). */
  privateTrack?: TrackSettings;
  /** The stages a role review (restricted roles added to an approved application) goes through; Stage 1 by default. */
  roleReviewStages?: readonly RoleReviewStage[];
};

export type ReminderSettings = {
  staleBusinessDays: number;
  waitingDays: number;
  /** Hours before the architecture review at which the architect and assignee are reminded. */
  meetingHours: number[];
  digestHourUtc: number;
  sweepMs: number;
  /** The Slack user group (`S…`) a reminder mentions when nobody is assigned; without it, every reviewer. */
  reviewerGroupId?: string;
};

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * `VAR=` (what an empty line of a .env file, compose's `${VAR:-}` and a blank field of a
 * platform's form all produce) means unset, the default, for every variable alike: a number
 * read from "" would otherwise be 0 (a random PORT, a digest at midnight, pacing off).
 */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') set[name] = value;
  return set;
}

export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): Config {
  const env = withoutBlanks(rawEnv);
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const slack: SlackConfig =
    e.SLACK_BOT_TOKEN !== undefined
      ? {
          mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
          botToken: e.SLACK_BOT_TOKEN,
          ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
          ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
          ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
          timeoutMs: e.SLACK_API_TIMEOUT_MS,
        }
      : { mode: 'sandbox' };
  return {
    slack,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: e.PGLITE_DIR },
    port: e.PORT,
    sandboxHost: e.SANDBOX_HOST,
    sandboxSlackFile: e.DATABASE_URL
      ? join(
          dirname(e.PGLITE_DIR),
          `sandbox-slack-${createHash('sha256').update(e.DATABASE_URL).digest('hex').slice(0, 12)}.json`,
        )
      : join(e.PGLITE_DIR, 'sandbox-slack.json'),
    ...(e.REVIEW_CHANNEL_ID ? { reviewChannelId: e.REVIEW_CHANNEL_ID } : {}),
    ...(e.INTAKE_TOKEN ? { intakeToken: e.INTAKE_TOKEN } : {}),
    ...(e.ADMIN_API_TOKEN ? { adminApiToken: e.ADMIN_API_TOKEN } : {}),
    roles: { reviewers: e.REVIEWER_IDS, architects: e.ARCHITECT_IDS, admins: e.ADMIN_IDS },
    logLevel: e.LOG_LEVEL,
    outboxPollMs: e.OUTBOX_POLL_MS,
    ...(e.QUESTIONNAIRE_FILE ? { questionnaireFile: e.QUESTIONNAIRE_FILE } : {}),
    policy: {
      auditAfterDays: e.AUDIT_AFTER_DAYS,
      restrictedCallGraceDays: e.RESTRICTED_CALL_GRACE_DAYS,
      restrictedCallInactivityDays: e.RESTRICTED_CALL_INACTIVITY_DAYS,
      retentionDays: e.RETENTION_DAYS,
      roleReviewStages: e.ROLE_REVIEW_STAGES,
      privateTrack: {
        criteria: e.PRIVATE_TRACK_CRITERIA,
        questionnaire: e.PRIVATE_TRACK_QUESTIONNAIRE ?? DEFAULT_PRIVATE_TRACK.questionnaire,
      },
      reminders: {
        staleBusinessDays: e.REMINDER_STALE_BUSINESS_DAYS,
        waitingDays: e.REMINDER_WAITING_DAYS,
        meetingHours: e.REMINDER_MEETING_HOURS,
        digestHourUtc: e.DIGEST_HOUR_UTC,
        sweepMs: e.REMINDER_SWEEP_MS,
        ...(e.REVIEWER_GROUP_ID ? { reviewerGroupId: e.REVIEWER_GROUP_ID } : {}),
      },
    },
    slackPostIntervalMs: e.SLACK_POST_INTERVAL_MS,
    ...(e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET } } : {}),
    metrics: {
      ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}),
      ...(e.METRICS_PORT !== undefined ? { port: e.METRICS_PORT } : {}),
    },
  };
}
