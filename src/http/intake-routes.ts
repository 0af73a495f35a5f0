import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../clock.ts';
import { parseApplication } from '../intake/application.ts';
import type { Logger } from '../logger.ts';
import { getApplication, getHistory, toSummary } from '../reviews/queries.ts';
import { receiveApplication } from '../reviews/receive-application.ts';
import { HttpError, hasBearer, readJson, sendJson } from './json.ts';

export type IntakeDeps = {
  db: Db;
  clock: Clock;
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
      deps.logger.error({ err: error, route: name }, 'intake request failed');
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
    {
      path: '/api/applications',
      method: 'POST',
      handler: route(deps, 'intake', async (req, res) => {
        authorize(deps, req);
        const parsed = parseApplication(await readJson(req));
        if (!parsed.ok) {
          sendJson(res, parsed.status, { error: parsed.error, issues: parsed.issues });
          return;
        }
        const result = await receiveApplication(deps, parsed.application);
        if (result.outcome !== 'unchanged') deps.onCommitted();
        deps.logger.info(
          { applicationId: result.application.id, outcome: result.outcome, changedFields: result.changedFields },
          'application received',
        );
        const { id, profileId, stage, status } = result.application;
        sendJson(res, result.outcome === 'created' ? 201 : 200, {
          id,
          profileId,
          stage,
          status,
          outcome: result.outcome,
          ...(result.outcome === 'updated' ? { changedFields: result.changedFields } : {}),
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
        sendJson(res, 200, {
          ...summary,
          card: row.cardTs ? { channel: row.cardChannel, ts: row.cardTs } : null,
          history: history.map(({ id: eventId, type, actor, at, payload }) => ({ id: eventId, type, actor, at, payload })),
        });
      }),
    },
  ];
}

export function healthRoutes(deps: { ping: () => Promise<boolean>; isShuttingDown: () => boolean }): CustomRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => {
        if (deps.isShuttingDown()) return sendJson(res, 503, { status: 'shutting down' });
        void deps.ping().then((up) => sendJson(res, up ? 200 : 503, { status: up ? 'ready' : 'database unreachable' }));
      },
    },
  ];
}
