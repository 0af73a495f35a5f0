import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import { parseApplication, unstorableText } from '../intake/application.ts';
import type { Logger } from '../logger.ts';
import type { DecisionDeps } from '../reviews/decide.ts';
import { eventOutline } from '../reviews/event-outline.ts';
import { getApplication, getHistory, getMeeting, getRoleStatuses, toSummary } from '../reviews/queries.ts';
import { receiveApplication } from '../reviews/receive-application.ts';
import { reportRestrictedCall } from '../reviews/report-call.ts';
import { accessOf } from '../workflow/access.ts';
import { HttpError, hasBearer, readJson, sendJson } from './json.ts';
import { cappedIssues } from './json-limits.ts';

export type IntakeDeps = DecisionDeps & {
  logger: Logger;
  intakeToken: string;
  /** Called after a change committed, so its Slack effects go out now rather than at the next poll. */
  onCommitted: () => void;
};

type Params = Record<string, string | string[]>;
type Handler = (req: IncomingMessage & { params?: Params }, res: ServerResponse) => Promise<void>;

/** Wraps a route so every failure is an HTTP answer: 4xx for the caller's mistakes, 500 logged (without the body). */
function route(deps: IntakeDeps, name: string, handler: Handler): CustomRoute['handler'] {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message, ...error.details });
        return;
      }
      // The logger's error serializer keeps codes and drops messages (they carry the submission).
      deps.logger.error({ route: name, err: error }, 'intake request failed');
      sendJson(res, 500, { error: 'The application could not be stored; try again. Nothing was changed.' });
    });
  };
}

function authorize(deps: IntakeDeps, req: IncomingMessage): void {
  if (!hasBearer(req, deps.intakeToken)) {
    req.resume();
    throw new HttpError(401, 'Send the intake token as Authorization: Bearer <INTAKE_TOKEN>.');
  }
}

function applicationId(req: { params?: Params }): number {
  const raw = String(req.params?.id ?? '');
  if (!/^\d{1,9}$/.test(raw)) {
    throw new HttpError(400, 'The application id must be a number.', { issues: [{ path: 'id', message: 'must be a number' }] });
  }
  return Number(raw);
}

export function intakeRoutes(deps: IntakeDeps): CustomRoute[] {
  return [
    restrictedCallRoute(deps),
    {
      path: '/api/applications',
      method: 'POST',
      handler: route(deps, 'intake', async (req, res) => {
        authorize(deps, req);
        const parsed = parseApplication(await readJson(req));
        if (!parsed.ok) {
          sendJson(res, parsed.status, { error: parsed.error, issues: cappedIssues(parsed.issues) });
          return;
        }
        const result = await receiveApplication(deps, parsed.application);
        if (result.outcome === 'invalid') {
          sendJson(res, result.status, { error: result.error, issues: cappedIssues(result.issues) });
          return;
        }
        if (result.outcome !== 'unchanged') deps.onCommitted();
        deps.logger.info(
          { applicationId: result.application.id, outcome: result.outcome, changedFields: result.changedFields },
          'application received',
        );
        const { id, profileId, stage, status, cycle } = result.application;
        sendJson(res, result.outcome === 'created' ? 201 : 200, {
          id,
          profileId,
          stage,
          status,
          cycle,
          outcome: result.outcome,
          ...(result.outcome === 'updated' || result.outcome === 'resubmitted' ? { changedFields: result.changedFields } : {}),
        });
      }),
    },
    {
      path: '/api/applications/:id',
      method: 'GET',
      handler: route(deps, 'application', async (req, res) => {
        authorize(deps, req);
        const id = applicationId(req);
        const row = await getApplication(deps.db, id);
        if (!row) throw new HttpError(404, `No application ${id}.`);
        const summary = toSummary(row);
        const history = await getHistory(deps.db, id);
        const meeting = await getMeeting(deps.db, row);
        const roleStatuses = await getRoleStatuses(deps.db, id);
        const access = accessOf(row);
        sendJson(res, 200, {
          ...summary,
          card: row.cardTs ? { channel: row.cardChannel, ts: row.cardTs } : null,
          // As the card shows it: when the architecture review meets, for how long, and whether it still does.
          meeting: meeting
            ? { startsAt: meeting.startsAt.toISOString(), durationMinutes: meeting.durationMinutes, status: meeting.status }
            : null,
          // What the card shows after approval: each restricted role's fate and restricted access (codes, never a note).
          roleStatuses,
          access: access
            ? {
                status: access,
                ...(row.accessSince ? { since: row.accessSince.toISOString() } : {}),
                ...(row.accessReason ? { reason: row.accessReason } : {}),
              }
            : null,
          // As webhooks carry them: the payloads hold the team's notes, which stay in Slack.
          history: history.map((event) => eventOutline(event)),
        });
      }),
    },
  ];
}

export const restrictedCallBody = z.strictObject({
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 timestamp' }),
  operation: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .refine((v) => !unstorableText(v), 'contains characters that cannot be stored'),
});

/** An integration reports a successful call to the restricted API (it keeps the roles granted). */
function restrictedCallRoute(deps: IntakeDeps): CustomRoute {
  return {
    path: '/api/applications/:id/restricted-calls',
    method: 'POST',
    handler: route(deps, 'restricted-call', async (req, res) => {
      authorize(deps, req);
      const id = applicationId(req);
      const parsed = restrictedCallBody.safeParse(await readJson(req));
      if (!parsed.success) {
        throw new HttpError(400, 'The call report is not valid.', {
          issues: cappedIssues(
            parsed.error.issues.map((i) => ({
              path: i.path.join('.') || '(body)',
              message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
            })),
          ),
        });
      }
      const result = await reportRestrictedCall(deps, {
        applicationId: id,
        at: new Date(parsed.data.at),
        operation: parsed.data.operation,
      });
      if (result.kind === 'not_found') throw new HttpError(404, `No application ${id}.`);
      if (result.kind === 'refused') {
        const field = result.refusal.field;
        throw new HttpError(
          409,
          result.refusal.message,
          field ? { issues: [{ path: field, message: result.refusal.message }] } : {},
        );
      }
      if (result.kind === 'recorded') deps.onCommitted();
      // The same call again is a retry: answered with the call as stored, nothing changed.
      sendJson(res, result.kind === 'recorded' ? 201 : 200, {
        id,
        outcome: result.kind === 'recorded' ? 'recorded' : 'unchanged',
        recorded: { at: result.call.at.toISOString(), operation: result.call.operation },
      });
    }),
  };
}

/** What `/readyz` adds about Slack delivery: parked effects, and the token's refusal while delivery is stopped. */
export type SlackDeliveryDetail = { parkedEffects: number; slackToken?: string };

export function healthRoutes(deps: {
  ping: () => Promise<boolean>;
  isShuttingDown: () => boolean;
  slackDetail?: () => Promise<SlackDeliveryDetail>;
}): CustomRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        if (deps.isShuttingDown()) return sendJson(res, 503, { status: 'shutting down' });
        void deps.ping().then(async (up) => {
          // Slack trouble is reported, not made a reason to take the instance out: another instance has the same token.
          const detail = up && deps.slackDetail ? await deps.slackDetail().catch(() => ({})) : {};
          sendJson(res, up ? 200 : 503, { status: up ? 'ready' : 'database unreachable', ...detail });
        });
      },
    },
  ];
}
