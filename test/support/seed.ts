import type { Db } from '../../db/client.ts';
import { applications } from '../../db/schema.ts';
import { applicationBody } from './fixtures.ts';

type Insert = typeof applications.$inferInsert;
let seq = 0;

/**
 * Applications straight into the table (fast, for read models at any state); the submission
 * holds contact data, as real ones do. Every row is a new application received `now`.
 */
export function seedApplications(db: Db, now: Date, rows: Partial<Insert>[]) {
  return db
    .insert(applications)
    .values(
      rows.map((row) => {
        seq += 1;
        return {
          profileId: `seed-${seq}`,
          organizationName: `Org ${seq}`,
          submission: applicationBody(),
          contentHash: 'seed',
          stage: 'business',
          status: 'new',
          submittedAt: now,
          receivedAt: now,
          updatedAt: now,
          statusSince: now,
          ...row,
        };
      }),
    )
    .returning();
}
