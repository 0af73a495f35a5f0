import type { CustomRoute } from '@slack/bolt';
import { CLOCK_JUMPS, isClockJump, type SandboxClock } from '../clock.ts';
import { type Developer, DeveloperError, type Inbox } from '../developer.ts';
import type { DeveloperData } from '../developer-data.ts';
import { type Outcome, UiError } from './interactions.ts';
import type { UiTools } from './routes.ts';

export type PanelDeps = {
  developer: Developer;
  data: DeveloperData;
  inbox: Inbox;
};

export type ClockDeps = {
  clock: SandboxClock;
  /** After "back to now": what was put off to the sandbox's future becomes due now. */
  onBackToNow?: (now: Date) => Promise<void>;
  /** The bot's base URL (ends in "/"); the clock's jumps run its reminder sweep. */
  apiBase: string;
  intakeToken: string;
};

const appId = (body: Record<string, unknown>): number => {
  const raw = body.app;
  const id = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new UiError(400, 'Choose an application.');
  return id;
};

const text = (body: Record<string, unknown>, key: string): string => {
  const v = body[key];
  if (typeof v !== 'string') throw new UiError(400, `${key} is required.`);
  return v;
};

/** The developer's errors as the page's. */
async function asUi<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DeveloperError) throw new UiError(error.status, error.message);
    throw error;
  }
}

/** The developer panel's routes, on the page's own helpers (token-checked posts). */
export function developerPanelRoutes(deps: PanelDeps) {
  return (tools: UiTools): CustomRoute[] => [
    tools.get('/sandbox/ui/developer', async (query) => {
      const applications = await deps.data.applications();
      const raw = query.get('app');
      const chosen = raw && /^\d{1,9}$/.test(raw) ? Number(raw) : applications[0]?.id;
      if (chosen === undefined || !applications.some((a) => a.id === chosen)) return { applications, app: null, inbox: [] };
      return {
        applications,
        app: await asUi(() => deps.developer.view(chosen)),
        inbox: deps.inbox.of(chosen),
      };
    }),
    tools.post('/sandbox/ui/developer/profile', (b) => asUi(() => deps.developer.resubmitProfile(appId(b), b.profile))),
    tools.post('/sandbox/ui/developer/answers', (b) => {
      const answers = Array.isArray(b.answers)
        ? b.answers.flatMap((a) => {
            if (a === null || typeof a !== 'object') return [];
            const { questionId, answer } = a as Record<string, unknown>;
            return typeof questionId === 'string' && typeof answer === 'string' ? [{ questionId, answer }] : [];
          })
        : [];
      return asUi(() => deps.developer.answerQuestionnaire(appId(b), answers));
    }),
    tools.post('/sandbox/ui/developer/reply', (b) => asUi(() => deps.developer.reply(appId(b), text(b, 'text')))),
    tools.post('/sandbox/ui/developer/go-live', (b) => asUi(() => deps.developer.goLive(appId(b)))),
    tools.post('/sandbox/ui/developer/restricted-call', (b) =>
      asUi(() => deps.developer.restrictedCall(appId(b), typeof b.operation === 'string' ? b.operation : '')),
    ),
  ];
}

/** The sandbox clock's route: a jump, then the scheduler's sweep at the new instant. */
export function clockRoutes(deps: ClockDeps) {
  return (tools: UiTools): CustomRoute[] => [
    tools.post('/sandbox/ui/clock', async (b) => {
      const to = b.to;
      if (!isClockJump(to)) throw new UiError(400, `to must be one of ${Object.keys(CLOCK_JUMPS).join(', ')}.`);
      const at = deps.clock.jump(to);
      if (to === 'now') await deps.onBackToNow?.(at);
      tools.refresh();
      return await sweep(deps, at, CLOCK_JUMPS[to].label);
    }),
  ];
}

/** The scheduler's own sweep (reminders, digest, retention) at the sandbox's new instant, through the bot's route. */
async function sweep(deps: ClockDeps, at: Date, label: string): Promise<Outcome> {
  const started = performance.now();
  const response = await fetch(`${deps.apiBase}api/reminders/sweep`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.intakeToken}` },
    body: '{}',
  });
  const body = await response.text();
  const ms = Math.round(performance.now() - started);
  const when = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (!response.ok) {
    return {
      what: `clock ${label}`,
      status: response.status,
      ms,
      level: 'error',
      note: `Sandbox time ${when}; the reminder sweep failed.`,
      body,
    };
  }
  const result = JSON.parse(body) as { reminders: { kind: string }[]; purged?: unknown };
  const kinds = [...new Set(result.reminders.map((r) => r.kind))];
  const sent = result.reminders.length;
  return {
    what: `clock ${label}`,
    status: response.status,
    ms,
    level: 'ok',
    note: `Sandbox time ${when}. Reminder sweep: ${sent === 0 ? 'nothing due' : `${sent} sent (${kinds.join(', ')})`}.`,
    body,
  };
}
