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

/**
 * An event as the developer side may read it (webhooks, `GET /api/applications/:id`): its type,
 * who and when, the state it left the application in, the stage a rejection ended and an access
 * change's codes. Never its payload: that holds the team's notes (a criterion's verdict note, an
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
  };
}
