import type { Tx } from '../../db/client.ts';
import { events, outbox } from '../../db/schema.ts';

/** Slack effects a change can cause; the dispatcher knows how to deliver each. */
export type Effect =
  | { kind: 'card.sync'; applicationId: number }
  /** One line in the card's thread, rendered from the event when it is sent. */
  | { kind: 'thread.event'; applicationId: number; eventId: number }
  /** A file for the card's thread, built when it is sent (today: the questionnaire attachment). */
  | { kind: 'thread.file'; applicationId: number; file: 'questionnaire' }
  /** The architecture review's calendar invite (a REQUEST, or a CANCEL once cancelled). */
  | { kind: 'thread.file'; applicationId: number; file: 'invite'; meetingId: number };

export type NewEvent = {
  applicationId: number;
  type: string;
  actor: string;
  at: Date;
  /** Names, states and decisions only: never contact data or security answers (events outlive retention). */
  payload: Record<string, unknown>;
};

/** Queued inside the use case's transaction: delivered only if the change commits, and never lost after. */
export async function enqueueEffects(tx: Tx, at: Date, effects: readonly Effect[]): Promise<void> {
  if (effects.length === 0) return;
  await tx.insert(outbox).values(
    effects.map(({ kind, applicationId, ...payload }) => ({
      kind,
      applicationId,
      payload,
      createdAt: at,
      availableAt: at,
    })),
  );
}

/**
 * Appends the event of a change and queues what Slack must show of it: the card, always
 * refreshed, and, when `thread` is set, the event's line in the card's thread.
 */
export async function recordChange(tx: Tx, event: NewEvent, options: { thread: boolean }): Promise<number> {
  const [row] = await tx.insert(events).values(event).returning({ id: events.id });
  if (!row) throw new Error('event insert returned no row');
  await enqueueEffects(tx, event.at, [
    { kind: 'card.sync', applicationId: event.applicationId },
    ...(options.thread ? [{ kind: 'thread.event' as const, applicationId: event.applicationId, eventId: row.id }] : []),
  ]);
  return row.id;
}
