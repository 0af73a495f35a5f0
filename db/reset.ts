import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/** Empties every table (the sandbox's reset button and test isolation); never used on a real deployment. */
export async function resetDatabase(db: Db): Promise<void> {
  await db.execute(sql`truncate table outbox, events, applications restart identity cascade`);
}
