import type { events } from '../../db/schema.ts';

type Event = Pick<typeof events.$inferSelect, 'id' | 'type' | 'actor' | 'at' | 'payload'>;
type Snapshot = { stage?: string; status?: string; cycle?: number };

/** A rejection names the stage it ended, whatever the stage is now (closed, or reopened since). */
function rejectionOf(event: Event): { rejectedAtStage?: string } {
  const p = (event.payload ?? {}) as { before?: { stage?: string; status?: string }; after?: { status?: string } };
  if (p.after?.status !== 'rejected' || p.before?.status === 'rejected' || !p.before?.stage) return {};
  return { rejectedAtStage: p.before.stage };
}

/**
 * An access change (suspended, reinstated, revoked, at risk, active again) as the developer side
 * needs it: from, to and the reason code. Never the team's note.
 */
function accessChangeOf(event: Event): { access?: { from?: string; to: string; reason?: string } } {
  const p = (event.payload ?? {}) as {
    from?: unknown;
    to?: unknown;
    reason?: unknown;
    access?: { from?: unknown; to?: unknown };
  };
  const change = event.type.startsWith('access.') ? p : p.access;
  if (!change || typeof change.to !== 'string') return {};
  const reason = event.type.startsWith('access.') && typeof p.reason === 'string' ? { reason: p.reason } : {};
  return { access: { ...(typeof change.from === 'string' ? { from: change.from } : {}), to: change.to, ...reason } };
}

/** The Stage 3 meeting's events, and the state each leaves the meeting in. */
const MEETING_EVENTS: Record<string, 'scheduled' | 'cancelled'> = {
  'review.scheduled': 'scheduled',
  'review.rescheduled': 'scheduled',
  'review.cancelled': 'cancelled',
};

/**
 * The architecture review meeting an event scheduled, moved or cancelled: its time, duration and
 * state, as the card shows them (and `movedFrom`, a rescheduled meeting's earlier time). Never
 * the agenda, the architect or a cancellation's reason.
 */
function meetingOf(event: Event): {
  meeting?: { startsAt: string; durationMinutes?: number; status: 'scheduled' | 'cancelled'; movedFrom?: string };
} {
  const status = MEETING_EVENTS[event.type];
  const p = (event.payload ?? {}) as { startsAt?: unknown; durationMinutes?: unknown; from?: unknown };
  if (!status || typeof p.startsAt !== 'string') return {};
  return {
    meeting: {
      startsAt: p.startsAt,
      ...(typeof p.durationMinutes === 'number' ? { durationMinutes: p.durationMinutes } : {}),
      status,
      ...(event.type === 'review.rescheduled' && typeof p.from === 'string' ? { movedFrom: p.from } : {}),
    },
  };
}

/**
 * The restricted roles a role review started with, added, approved, denied or withdrew, and
 * those dropped from the submission (`roles.removed`): names only, as the card shows them.
 */
function rolesOf(event: Event): { roles?: string[] } {
  if (!event.type.startsWith('role_review.') && event.type !== 'roles.removed') return {};
  const roles = (event.payload as { roles?: unknown } | null)?.roles;
  return Array.isArray(roles) ? { roles: roles.filter((r): r is string => typeof r === 'string') } : {};
}

/**
 * An event as the developer side may read it (webhooks, `GET /api/applications/:id`): its type,
 * who and when, the state it left the application in, the stage a rejection ended, an access
 * change's codes, the meeting a Stage 3 scheduling event is about and the roles of a role review. Never its payload: that holds the team's notes (a criterion's verdict note, an
 * access note, a denial's internal reason, a withdrawal's reason), which stay in Slack.
 * `fallback` is the state to tell for events recorded before they carried their own.
 */
export function eventOutline(event: Event, fallback?: Snapshot) {
  const payload = (event.payload ?? {}) as { state?: Snapshot; after?: Snapshot };
  const state = payload.state ?? payload.after ?? fallback;
  return {
    id: event.id,
    type: event.type,
    stage: state?.stage,
    status: state?.status,
    // Events recorded before the snapshot carried it tell no cycle: a later one may have opened since.
    ...(typeof state?.cycle === 'number' ? { cycle: state.cycle } : {}),
    actor: event.actor,
    at: event.at.toISOString(),
    ...rejectionOf(event),
    ...accessChangeOf(event),
    ...meetingOf(event),
    ...rolesOf(event),
  };
}
