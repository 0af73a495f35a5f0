import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_NAMES, loadConfig } from '../../src/config.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
};

const slack = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_SIGNING_SECRET: 'abc123',
  REVIEW_CHANNEL_ID: 'C0123ABCD',
  INTAKE_TOKEN: 'an-intake-token-of-length',
};

describe('loadConfig', () => {
  it('starts the local sandbox on embedded PGlite with no environment at all', () => {
    expect(loadConfig({})).toMatchObject({
      slack: { mode: 'sandbox' },
      database: { kind: 'pglite', dataDir: '.data/pglite' },
      port: 3000,
      sandboxHost: '127.0.0.1',
      roles: { reviewers: [], architects: [], admins: [] },
    });
  });

  // `VAR=` in .env, compose's `${VAR:-}`, a blank field in a platform's form: all mean "unset".
  it.each(ENV_NAMES)('reads an empty %s as unset: the default', (name) => {
    for (const blank of ['', '  ']) expect(loadConfig({ [name]: blank })).toEqual(loadConfig({}));
    if (!(name in slack)) expect(loadConfig({ ...slack, [name]: '' })).toEqual(loadConfig(slack));
  });

  it('gives every empty number its default: no random port, no midnight digest, pacing on', () => {
    const config = loadConfig({
      PORT: '',
      DIGEST_HOUR_UTC: '',
      SLACK_POST_INTERVAL_MS: '',
      AUDIT_AFTER_DAYS: ' ',
      METRICS_PORT: '',
      RETENTION_DAYS: '',
    });
    expect(config.port).toBe(3000);
    expect(config.policy.reminders.digestHourUtc).toBe(8);
    expect(config.slackPostIntervalMs).toBe(1100);
    expect(config.policy.auditAfterDays).toBe(90);
    expect(config.metrics).toEqual({});
    expect(config.policy.retentionDays).toBe(180);
  });

  it('sizes the Postgres pool from DATABASE_POOL_SIZE (20 by default), a positive whole number', () => {
    const url = 'postgres://u@127.0.0.1:5432/pii';
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '5' }).database).toEqual({ kind: 'postgres', url, poolSize: 5 });
    expect(loadConfig({ DATABASE_URL: url }).database).toMatchObject({ poolSize: 20 });
    for (const bad of ['0', '-1', '2.5', 'ten']) {
      expect(problemsOf({ DATABASE_URL: url, DATABASE_POOL_SIZE: bad })).toEqual([
        'DATABASE_POOL_SIZE must be a positive whole number',
      ]);
    }
  });

  it('reads HTTP mode, Socket Mode, Postgres and roles', () => {
    const config = loadConfig({
      ...slack,
      SLACK_APP_TOKEN: 'xapp-1-A',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/pii',
      PORT: '8080',
      REVIEWER_IDS: 'U01AAA, U02BBB',
      ARCHITECT_IDS: 'U03CCC',
      ADMIN_IDS: '',
    });
    expect(config.slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1-A', apiUrl: 'http://127.0.0.1:9999/api/' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/pii', poolSize: 20 });
    expect(config.port).toBe(8080);
    expect(config.roles).toEqual({ reviewers: ['U01AAA', 'U02BBB'], architects: ['U03CCC'], admins: [] });
    expect(loadConfig(slack).slack.mode).toBe('http');
  });

  it('needs no signing secret in Socket Mode, and has a Web API timeout', () => {
    const { SLACK_SIGNING_SECRET: _, ...noSecret } = slack;
    const config = loadConfig({ ...noSecret, SLACK_APP_TOKEN: 'xapp-1-A', SLACK_API_TIMEOUT_MS: '2500' });
    expect(config.slack).toMatchObject({ mode: 'socket', timeoutMs: 2500 });
    expect(config.slack).not.toHaveProperty('signingSecret');
    expect(loadConfig(slack).slack).toMatchObject({ timeoutMs: 10_000 });
    expect(problemsOf(noSecret).join('\n')).toContain('SLACK_SIGNING_SECRET is required');
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET is required'],
    [{ SLACK_SIGNING_SECRET: 'x' }, 'SLACK_BOT_TOKEN is required'],
    [{ ...slack, REVIEW_CHANNEL_ID: '' }, 'REVIEW_CHANNEL_ID is required'],
    [{ ...slack, INTAKE_TOKEN: '' }, 'INTAKE_TOKEN is required'],
    [{ ...slack, INTAKE_TOKEN: 'short' }, 'INTAKE_TOKEN must be at least 16'],
    [{ ...slack, SLACK_BOT_TOKEN: 'xoxp-user' }, 'SLACK_BOT_TOKEN must be a bot token'],
    [{ ...slack, SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN must be an app-level token'],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_APP_TOKEN needs SLACK_BOT_TOKEN'],
    [{ SLACK_API_URL: 'http://127.0.0.1:9999/api' }, 'SLACK_API_URL must end with "/"'],
    [{ SLACK_API_URL: 'ftp://x/' }, 'SLACK_API_URL must be an http(s) URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres://'],
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be a whole number'],
    [{ REVIEW_CHANNEL_ID: '#reviews' }, 'REVIEW_CHANNEL_ID must be a Slack channel ID'],
    [{ REVIEWER_IDS: 'U01AAA,riley' }, 'REVIEWER_IDS.1 must be Slack user IDs'],
    [{ REVIEWER_GROUP_ID: '@reviewers' }, 'REVIEWER_GROUP_ID must be a Slack user group ID'],
    [{ REVIEWER_GROUP_ID: 'U01AAA' }, 'REVIEWER_GROUP_ID must be a Slack user group ID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the variable in error %#: %s', (env, expected) => {
    expect(problemsOf(env as Record<string, string>).join('\n')).toContain(expected);
  });

  it('reads the reviewer group reminders mention when nobody is assigned', () => {
    expect(loadConfig({ REVIEWER_GROUP_ID: ' S0REVIEWERS ' }).policy.reminders.reviewerGroupId).toBe('S0REVIEWERS');
    expect(loadConfig({}).policy.reminders).not.toHaveProperty('reviewerGroupId');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'x', SLACK_API_URL: 'http://a' });
    expect(problems).toHaveLength(3);
  });

  it('sets the private track: by default without the Appstore criterion, the questionnaire optional', () => {
    expect(loadConfig({}).policy.privateTrack).toEqual({
      criteria: ['use_case', 'launch_readiness', 'public_website', 'geographies'],
      questionnaire: 'optional',
    });
    expect(
      loadConfig({ PRIVATE_TRACK_CRITERIA: 'use_case, geographies', PRIVATE_TRACK_QUESTIONNAIRE: 'required' }).policy
        .privateTrack,
    ).toEqual({ criteria: ['use_case', 'geographies'], questionnaire: 'required' });
  });

  it('reads where /metrics is served: a token on PORT, a port of its own, or neither', () => {
    expect(loadConfig({}).metrics).toEqual({});
    expect(loadConfig({ METRICS_TOKEN: '', METRICS_PORT: '' }).metrics).toEqual({});
    expect(loadConfig({ METRICS_TOKEN: 'a-metrics-token-0123', METRICS_PORT: '9100' }).metrics).toEqual({
      token: 'a-metrics-token-0123',
      port: 9100,
    });
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN must be at least 16 characters']);
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual(['METRICS_PORT must be a whole number from 1 to 65535']);
    expect(problemsOf({ METRICS_PORT: '3000' })).toEqual([
      'METRICS_PORT must differ from PORT (set METRICS_TOKEN to serve /metrics on PORT)',
    ]);
    expect(problemsOf({ METRICS_PORT: '8080', PORT: '8080' })).toHaveLength(1);
  });

  it('names a bad private-track setting', () => {
    expect(problemsOf({ PRIVATE_TRACK_CRITERIA: 'use_case,astrology' }).join('\n')).toContain('PRIVATE_TRACK_CRITERIA');
    expect(problemsOf({ PRIVATE_TRACK_QUESTIONNAIRE: 'sometimes' })).toEqual([
      'PRIVATE_TRACK_QUESTIONNAIRE must be required or optional',
    ]);
  });
});
