import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Slack's rules around a Web API call that are not about Block Kit: which scope each method
 * needs (from Slack's method reference, "Scopes: Bot token"), and its rate tier (Slack's
 * rate-limit page: Tier 1 1+/min, Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min;
 * chat.postMessage about one message per second per channel, short bursts allowed).
 */
type ChannelKind = 'public' | 'private' | 'im';
type ScopeRule = readonly string[] | ((kind: ChannelKind) => readonly string[]);

const HISTORY: ScopeRule = (kind) =>
  kind === 'im' ? ['im:history'] : kind === 'public' ? ['channels:history'] : ['groups:history'];

/** Any one of the listed scopes is enough; an empty list means the method needs none. */
export const METHOD_SCOPES: Record<string, ScopeRule> = {
  'api.test': [],
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.getPermalink': [],
  'conversations.history': HISTORY,
  'conversations.replies': HISTORY,
  'conversations.open': ['im:write', 'mpim:write'],
  'conversations.info': (kind) => (kind === 'im' ? ['im:read'] : kind === 'public' ? ['channels:read'] : ['groups:read']),
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

export function scopesFor(method: string, kind: ChannelKind = 'private'): readonly string[] | undefined {
  const rule = METHOD_SCOPES[method];
  if (rule === undefined) return undefined;
  return typeof rule === 'function' ? rule(kind) : rule;
}

/** The bot scopes of a Slack app manifest (`oauth_config.scopes.bot`), read without a YAML library. */
export function manifestBotScopes(yaml: string): string[] {
  const scopes: string[] = [];
  const path: { indent: number; key: string }[] = [];
  for (const raw of yaml.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const item = /^\s*-\s+(\S+)\s*$/.exec(line);
    while (path.length > 0 && (path[path.length - 1]?.indent ?? 0) >= indent && !item) path.pop();
    if (item) {
      if (path.map((p) => p.key).join('.') === 'oauth_config.scopes.bot') scopes.push(item[1]?.replace(/^["']|["']$/g, '') ?? '');
      continue;
    }
    const key = /^\s*([\w-]+):/.exec(line)?.[1];
    if (key) path.push({ indent, key });
  }
  return scopes;
}

export const MANIFEST_PATH = fileURLToPath(new URL('../../../manifest.yml', import.meta.url));

export function readManifestScopes(path = MANIFEST_PATH): string[] {
  return manifestBotScopes(readFileSync(path, 'utf8'));
}

export type Tier = 1 | 2 | 3 | 4;
export const METHOD_TIERS: Record<string, Tier> = {
  'auth.test': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.open': 3,
  'conversations.info': 3,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'views.open': 4,
  'views.push': 4,
  'views.update': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
};

export type RateLimits = {
  /** Calls per minute per method, by tier. */
  perMinute: Record<Tier, number>;
  /** chat.postMessage per channel: a bucket of `burst` messages refilled at `perSecond`. */
  postMessage: { perSecond: number; burst: number };
};

export const SLACK_RATE_LIMITS: RateLimits = {
  perMinute: { 1: 1, 2: 20, 3: 50, 4: 100 },
  postMessage: { perSecond: 1, burst: 3 },
};

/** Answers, per call, how many seconds to wait (Slack's `Retry-After`), or 0 when the call may go. */
export function createRateLimiter(limits: RateLimits) {
  const windows = new Map<string, number[]>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    limits,
    check(method: string, channel: string | undefined, now: number): number {
      if (method === 'chat.postMessage' && channel) {
        const { perSecond, burst } = limits.postMessage;
        const bucket = buckets.get(channel) ?? { tokens: burst, at: now };
        bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
        bucket.at = now;
        buckets.set(channel, bucket);
        if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
        bucket.tokens -= 1;
        return 0;
      }
      const tier = METHOD_TIERS[method];
      if (!tier) return 0;
      const max = limits.perMinute[tier];
      const recent = (windows.get(method) ?? []).filter((t) => now - t < 60_000);
      windows.set(method, recent);
      if (recent.length >= max) return Math.max(1, Math.ceil((60_000 - (now - (recent[0] ?? now))) / 1000));
      recent.push(now);
      return 0;
    },
    reset() {
      windows.clear();
      buckets.clear();
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
