import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { processedRequests } from '../../db/schema.ts';

/**
 * Takes the key of a Slack request with an effect (a modal's view id, a command's trigger id),
 * inside the transaction of that effect: true the first time, false for a replay or a retry,
 * on whichever instance it lands. A failed effect rolls its key back, so it can be sent again.
 */
export async function claimRequest(db: DbOrTx, key: string, now: Date, applicationId?: number): Promise<boolean> {
  const result = await db.execute(sql`
    insert into ${processedRequests} (key, application_id, at)
    values (${key}::text, ${applicationId ?? null}::integer, ${now.toISOString()}::timestamptz)
    on conflict do nothing
    returning key`);
  return rowsOf(result).length > 0;
}

/** Thrown inside a use case's transaction when its request was already handled: nothing was changed. */
export class AlreadyHandled extends Error {
  constructor(readonly key: string) {
    super('request already handled');
    this.name = 'AlreadyHandled';
  }
}
