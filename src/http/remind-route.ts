import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../clock.ts';
import type { Policy, Roles } from '../config.ts';
import type { Jobs } from '../jobs/index.ts';
import { purgeExpired } from '../jobs/retention.ts';
import type { Logger } from '../logger.ts';
import { deliverSweep } from '../reminders/delivery.ts';
import { sweepReminders } from '../reminders/sweep.ts';
import { HttpError, hasBearer, readJson, sendJson } from './json.ts';

const body = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant' }).optional(),
  dryRun: z.boolean().optional(),
});

/** How long the route waits for the reminders it claimed to reach Slack before answering. */
const DELIVERY_WAIT_MS = 120_000;
const DELIVERY_POLL_MS = 250;

/**
 * `npm run remind` talks to the running bot through this when the database is embedded PGlite
 * (one process's database): one sweep as if it were `at`, answered with what was due and claimed.
 * An `at` in the future is always a dry run: it shows what would be due and claims nothing.
 */
export function remindRoute(deps: {
  db: Db;
  clock: Clock;
  policy: Policy;
  roles?: Roles;
  logger: Logger;
  jobs: Jobs;
  /** After the sweep changed applications (access fallen at risk): the App Homes show it. */
  onSwept?: () => void;
  token: string;
  loopbackOnly: boolean;
}): CustomRoute {
  return {
    path: '/api/reminders/sweep',
    method: 'POST',
    handler: (req, res) => {
      void (async () => {
        if (deps.loopbackOnly && (!isLoopback(req.socket.remoteAddress) || forwarded(req.headers))) {
          req.resume();
          throw new HttpError(404, 'Not found.');
        }
        if (!hasBearer(req, deps.token)) {
          req.resume();
          throw new HttpError(
            401,
            deps.loopbackOnly
              ? 'Send Authorization: Bearer <ADMIN_API_TOKEN>.'
              : 'Send the intake token as Authorization: Bearer <INTAKE_TOKEN>.',
          );
        }
        const parsed = body.safeParse(await readJson(req));
        if (!parsed.success) {
          throw new HttpError(400, 'The sweep request is not valid.', {
            issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
          });
        }
        const now = deps.clock.now();
        const at = parsed.data.at ? new Date(parsed.data.at) : now;
        // Claims for an instant still to come would stop the real ones (that day's digest) from posting.
        const dryRun = (parsed.data.dryRun ?? false) || at.getTime() > now.getTime();
        const result = await sweepReminders(deps, at, { dryRun });
        if (result.changed.length > 0) deps.onSwept?.();
        // The retention pass belongs to the same scheduled tick: `npm run remind -- --at` makes it testable.
        const purged = await purgeExpired(deps, at, deps.policy.retentionDays, { dryRun: result.dryRun });
        const delivery = await deliverSweep({ db: deps.db, dispatcher: deps.jobs.dispatcher }, result.effects, {
          waitMs: DELIVERY_WAIT_MS,
          pollMs: DELIVERY_POLL_MS,
        });
        sendJson(res, 200, {
          at: at.toISOString(),
          dryRun: result.dryRun,
          delivered: delivery.parked === 0 && delivery.waiting === 0,
          effects: delivery,
          reminders: result.claimed.map((r) => ({ key: r.key, kind: r.kind, applicationId: r.applicationId })),
          purged,
        });
      })().catch((error: unknown) => {
        if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message, ...error.details });
        deps.logger.error({ err: error }, 'reminder sweep failed');
        sendJson(res, 500, { error: 'The sweep failed; nothing was claimed twice, run it again.' });
      });
    },
  };
}

/**
 * Headers a reverse proxy, load balancer or tunnel adds for the client behind it (Caddy, Traefik,
 * ngrok, cloudflared and most load balancers do by default): a request carrying one came from
 * elsewhere, even though its connection comes from a proxy on this host. A proxy that adds none
 * (nginx's bare proxy_pass) cannot be told apart: it must not forward this path (README).
 */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'cf-connecting-ip', 'true-client-ip'];

function forwarded(headers: NodeJS.Dict<string | string[]>): boolean {
  return FORWARDING_HEADERS.some((name) => headers[name] !== undefined);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
