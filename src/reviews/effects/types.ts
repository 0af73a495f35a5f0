import type { Tx } from '../../../db/client.ts';
import type { ApplicationRow, applications } from '../../../db/schema.ts';
import type { DecisionDeps } from '../decide.ts';
import type { AddedRow, Effect } from '../record.ts';

/** What a decision's effects get to write with: the transaction, and who does it when. */
export type Write = { tx: Tx; deps: DecisionDeps; app: ApplicationRow; actorId: string; now: Date };

/** The event a decision appends, and what else it changes or sends. */
export type Details = {
  type: string;
  payload: Record<string, unknown>;
  applicationChanges?: Partial<typeof applications.$inferInsert>;
  effects?: Effect[];
  /** A row added with the application's update, in the same statement (its id goes in the payload). */
  row?: AddedRow;
};
