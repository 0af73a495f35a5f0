import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Clock } from '../clock.ts';
import { webhookSignature } from '../jobs/webhooks.ts';
import { sampleAnswer, sampleReply } from './developer-answers.ts';
import type { DeveloperData, DeveloperDetail } from './developer-data.ts';
import type { Outcome } from './ui/interactions.ts';

/** What the bot "sent" the developer, as its webhook announced it. */
export type InboxEntry = {
  eventId: number;
  applicationId: number;
  type: string;
  at: string;
  label: string;
  text?: string;
  /** The restricted roles a role review's event is about. */
  roles?: string[];
  /** The architecture review meeting an invite, a move or a cancellation is about, as the webhook carried it. */
  meeting?: { startsAt: string; durationMinutes?: number; status: string; movedFrom?: string };
};

/** Webhook event types the developer hears about; the others are the team's own business. */
const INBOX_LABELS: Record<string, string> = {
  'business_review.rejected': 'Denial',
  'security.rejected': 'Denial',
  'review.rejected': 'Denial',
  'information.requested': 'Information request',
  'questionnaire.sent': 'Security questionnaire',
  'review.clarification_required': 'Clarification questions',
  'review.scheduled': 'Meeting invite: architecture review',
  'review.rescheduled': 'Meeting moved: architecture review',
  'review.cancelled': 'Meeting cancelled: architecture review',
  'review.approved': 'Approved for restricted access',
  'role_review.started': 'Role review started: added roles',
  'role_review.roles_added': 'Roles added to the role review',
  'role_review.denied': 'Denial: added roles',
  'role_review.approved': 'Added roles approved',
  'role_review.withdrawn': 'Role review ended: added roles withdrawn',
};

const MAX_ENTRIES = 2000;
const MAX_BODY = 256 * 1024;
/** The relay signs with the bot's clock (the sandbox clock), so freshness is judged against it too. */
const TOLERANCE_S = 300;

/**
 * The developer's receiving end of the bot's outbound webhook: it checks the signature as any
 * receiver should, and keeps the events meant for the developer, per application.
 */
export function createInbox(deps: { secret: string; clock: Clock; onEntry?: () => void }) {
  let entries: InboxEntry[] = [];

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return answer(res, 413, 'too large');
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(req.headers['x-pii-review-timestamp'] ?? '');
    const signature = String(req.headers['x-pii-review-signature'] ?? '');
    const expected = webhookSignature(deps.secret, timestamp, body);
    const fresh = Math.abs(deps.clock.now().getTime() / 1000 - Number(timestamp)) <= TOLERANCE_S;
    if (!fresh || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      return answer(res, 401, 'bad signature');
    }
    const event = JSON.parse(body) as {
      id: number;
      type: string;
      applicationId: number;
      at: string;
      text?: string;
      meeting?: InboxEntry['meeting'];
      roles?: string[];
    };
    const label = INBOX_LABELS[event.type];
    if (label && !entries.some((e) => e.eventId === event.id)) {
      entries.push({
        eventId: event.id,
        applicationId: event.applicationId,
        type: event.type,
        at: event.at,
        label,
        ...(event.text ? { text: event.text } : {}),
        ...(event.meeting ? { meeting: event.meeting } : {}),
        ...(Array.isArray(event.roles) ? { roles: event.roles } : {}),
      });
      if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
      deps.onEntry?.();
    }
    answer(res, 200, 'ok');
  }

  return {
    route: {
      path: '/sandbox/webhook',
      method: 'POST',
      handler: (req, res) => {
        receive(req, res).catch(() => answer(res, 400, 'bad request'));
      },
    } satisfies CustomRoute,
    of: (applicationId: number) => entries.filter((e) => e.applicationId === applicationId),
    clear(): void {
      entries = [];
    },
  };
}
export type Inbox = ReturnType<typeof createInbox>;

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export type DeveloperDeps = {
  /** The bot's base URL (ends in "/"): every step goes through its real intake API. */
  apiBase: string;
  intakeToken: string;
  clock: Clock;
  data: DeveloperData;
};

type Sent = { status: number; text: string; ms: number };

/**
 * Acts as an application's developer, only through the bot's public intake API: the profile
 * (resubmitted whole, as intake expects), questionnaire answers, a reply, the go-live and a
 * restricted call.
 */
export function createDeveloper(deps: DeveloperDeps) {
  async function send(path: string, body: unknown): Promise<Sent> {
    const started = performance.now();
    const response = await fetch(`${deps.apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.intakeToken}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text(), ms: Math.round(performance.now() - started) };
  }

  async function detail(id: number): Promise<DeveloperDetail> {
    const found = await deps.data.detail(id);
    if (!found) throw new DeveloperError(404, `No application ${id}.`);
    return found;
  }

  const outcome = (what: string, sent: Sent, ok: string, refused: string): Outcome => {
    const good = sent.status >= 200 && sent.status < 300;
    let note = good ? ok : refused;
    if (good) {
      const parsed = JSON.parse(sent.text) as { outcome?: string; changedFields?: string[] };
      if (parsed.outcome === 'unchanged') note = 'Nothing changed: intake already had exactly this.';
      else if (parsed.changedFields) note = `${ok} Changed: ${parsed.changedFields.join(', ')}.`;
    }
    return { what, status: sent.status, ms: sent.ms, level: good ? 'ok' : 'error', note, body: sent.text.slice(0, 2000) };
  };

  /** The stored profile with changes, resubmitted: intake takes the whole profile every time. */
  async function resubmit(app: DeveloperDetail, extra: Record<string, unknown>): Promise<Sent> {
    return send('api/applications', { ...app.submission, ...extra, profileId: app.profileId });
  }

  return {
    /** What the panel shows for one application: the profile, the questionnaire prefilled, a reply prefilled. */
    async view(id: number) {
      const app = await detail(id);
      return {
        ...app,
        questionnaire: app.questionnaire && {
          ...app.questionnaire,
          questions: app.questionnaire.questions.map((q) => ({
            ...q,
            prefill: q.answer ?? sampleAnswer(q.id, app.submission),
          })),
        },
        reply: sampleReply(app.openQuestions),
      };
    },

    /** Edit and resubmit the profile: any field, roles included; intake's field errors come back as they are. */
    async resubmitProfile(id: number, profile: unknown): Promise<Outcome> {
      const app = await detail(id);
      if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
        throw new DeveloperError(400, 'The profile must be a JSON object.');
      }
      const sent = await send('api/applications', { ...(profile as Record<string, unknown>), profileId: app.profileId });
      return outcome('developer: resubmit profile', sent, `#${id}: profile resubmitted.`, 'Intake refused the profile.');
    },

    async answerQuestionnaire(id: number, answers: { questionId: string; answer: string }[]): Promise<Outcome> {
      const app = await detail(id);
      if (!app.questionnaire) throw new DeveloperError(409, `#${id} has not been sent a questionnaire yet.`);
      const sent = await resubmit(app, { questionnaireAnswers: answers.filter((a) => a.answer.trim() !== '') });
      return outcome('developer: answer questionnaire', sent, `#${id}: answers sent.`, 'Intake refused the answers.');
    },

    /** A reply to an information request or to clarification questions: an update of the security answers. */
    async reply(id: number, text: string): Promise<Outcome> {
      const app = await detail(id);
      if (text.trim() === '') throw new DeveloperError(400, 'Write the reply first.');
      const topic =
        app.openQuestions.length > 0 ? 'Reply to the architecture review questions' : 'Reply to the information request';
      const answers = [...(app.submission.securityAnswers ?? []), { topic, answer: text.trim() }];
      const sent = await resubmit(app, { securityAnswers: answers });
      return outcome('developer: reply', sent, `#${id}: reply sent.`, 'Intake refused the reply.');
    },

    async goLive(id: number): Promise<Outcome> {
      const app = await detail(id);
      const sent = await resubmit(app, { productionSince: deps.clock.now().toISOString() });
      return outcome('developer: report go-live', sent, `#${id}: go-live reported.`, 'Intake refused the go-live.');
    },

    async restrictedCall(id: number, operation: string): Promise<Outcome> {
      await detail(id);
      const sent = await send(`api/applications/${id}/restricted-calls`, {
        at: deps.clock.now().toISOString(),
        operation: operation.trim() || 'getOrderAddress',
      });
      return outcome(
        'developer: report restricted call',
        sent,
        `#${id}: restricted call reported.`,
        'The call report was refused.',
      );
    },
  };
}
export type Developer = ReturnType<typeof createDeveloper>;

export class DeveloperError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
