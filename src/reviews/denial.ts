import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { developerMessages } from '../../db/schema.ts';

/**
 * The denial text recorded with an event (same application, same instant), whatever the stage
 * that denied. It is the general template wording, no applicant data, so the thread may show it.
 */
export async function denialSentWith(db: DbOrTx, event: { applicationId: number; at: Date }): Promise<string | undefined> {
  const [row] = await db
    .select({ body: developerMessages.body })
    .from(developerMessages)
    .where(
      and(
        eq(developerMessages.applicationId, event.applicationId),
        eq(developerMessages.kind, 'denial'),
        eq(developerMessages.sentAt, event.at),
      ),
    )
    .limit(1);
  return row?.body;
}
