import type { ApplicationRow } from '../../db/schema.ts';
import type { ReviewRows } from './workflow-state.ts';

/**
 * An application and its review rows as this instance last read them, with the row version
 * (`xmin`) they were read at.
 */
export type ReadState = { app: ApplicationRow; rows: ReviewRows; rowVersion: string };

/** How many applications an instance remembers: a few hundred modals open at once is a busy team. */
export const READ_CACHE_LIMIT = 2_000;

/**
 * What this instance read when it opened a decision's modal, so the decision submitted from it
 * need not read again: the one-statement decision writes only while the application's row is
 * still that version, and every change to an application or its review rows rewrites that row
 * (src/reviews/decide.ts). A state changed meanwhile, here or on another instance, fails that
 * write and is read afresh; a decision that would be refused or answered as a conflict is read
 * afresh before it is answered, so nothing is ever told from a state the database no longer
 * holds. Bounded: the oldest entry goes first.
 */
export function createReadCache(limit = READ_CACHE_LIMIT) {
  const states = new Map<number, ReadState>();
  return {
    get(applicationId: number): ReadState | undefined {
      return states.get(applicationId);
    },
    remember(state: ReadState): void {
      states.delete(state.app.id);
      states.set(state.app.id, state);
      for (const oldest of states.keys()) {
        if (states.size <= limit) break;
        states.delete(oldest);
      }
    },
    forget(applicationId: number): void {
      states.delete(applicationId);
    },
    get size(): number {
      return states.size;
    },
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;
