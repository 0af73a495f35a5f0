import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, audits, events, remediationItems } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { migrationStatements } from '../support/migrations.ts';

/**
 * Migration 0019's data statements, run again on rows as earlier versions left them (the
 * schema is the migrated one: the statements are what is under test, on either database).
 */
const DATA_STATEMENTS = migrationStatements('0019_access_reinstated_at.sql').filter((s) => /^(--[^\n]*\n)*UPDATE/i.test(s));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const at = (iso: string) => new Date(iso);
async function application(profileId: string, fields: Partial<typeof applications.$inferInsert>) {
  const [row] = await database.db
    .insert(applications)
    .values({
      profileId,
      organizationName: profileId,
      submission: {},
      contentHash: profileId,
      stage: 'approved',
      status: 'approved',
      submittedAt: at('2026-01-01T00:00:00Z'),
      receivedAt: at('2026-01-01T00:00:00Z'),
      updatedAt: at('2026-01-01T00:00:00Z'),
      statusSince: at('2026-01-01T00:00:00Z'),
      approvedAt: at('2026-01-10T00:00:00Z'),
      ...fields,
    })
    .returning({ id: applications.id });
  if (!row) throw new Error('no row');
  return row.id;
}

describe('migration 0019 on rows of earlier versions', () => {
  it('fills the reinstatement from the events, and settles audits a revocation left in flight', async () => {
    expect(DATA_STATEMENTS).toHaveLength(4);
    const reinstated = await application('reinstated', { accessStatus: 'active' });
    await database.db.insert(events).values([
      { applicationId: reinstated, type: 'access.reinstated', actor: 'U1', at: at('2026-02-01T00:00:00Z'), payload: {} },
      { applicationId: reinstated, type: 'access.reinstated', actor: 'U1', at: at('2026-03-01T00:00:00Z'), payload: {} },
    ]);
    const revoked = await application('revoked', { accessStatus: 'revoked', auditStatus: 'remediation' });
    const live = await application('live', { accessStatus: 'active', auditStatus: 'scheduled' });
    const [inRemediation, scheduled, kept] = await database.db
      .insert(audits)
      .values([
        {
          applicationId: revoked,
          auditor: 'PwC',
          scheduledFor: at('2026-02-01T00:00:00Z'),
          status: 'remediation',
          scheduledBy: 'U1',
        },
        {
          applicationId: revoked,
          auditor: 'PwC',
          scheduledFor: at('2026-06-01T00:00:00Z'),
          status: 'scheduled',
          scheduledBy: 'U1',
        },
        {
          applicationId: live,
          auditor: 'Amazon',
          scheduledFor: at('2026-06-01T00:00:00Z'),
          status: 'scheduled',
          scheduledBy: 'U1',
        },
      ])
      .returning({ id: audits.id });
    await database.db.insert(remediationItems).values([
      { auditId: inRemediation?.id ?? 0, text: 'Rotate keys', dueOn: at('2026-03-01T00:00:00Z') },
      {
        auditId: inRemediation?.id ?? 0,
        text: 'Done before',
        dueOn: at('2026-03-01T00:00:00Z'),
        closedAt: at('2026-02-20T00:00:00Z'),
        closedBy: 'U2',
      },
    ]);

    await database.db.transaction(async (tx) => {
      for (const statement of DATA_STATEMENTS) await tx.execute(sql.raw(statement));
    });

    const app = async (id: number) => (await database.db.select().from(applications).where(eq(applications.id, id)))[0];
    expect((await app(reinstated))?.accessReinstatedAt).toEqual(at('2026-03-01T00:00:00Z'));
    expect((await app(revoked))?.auditStatus).toBe('cancelled');
    expect((await app(live))?.auditStatus).toBe('scheduled');
    const statuses = Object.fromEntries(
      (await database.db.select({ id: audits.id, status: audits.status }).from(audits)).map((a) => [a.id, a.status]),
    );
    expect(statuses).toEqual({
      [inRemediation?.id ?? 0]: 'cancelled',
      [scheduled?.id ?? 0]: 'cancelled',
      [kept?.id ?? 0]: 'scheduled',
    });
    const items = await database.db.select().from(remediationItems).orderBy(remediationItems.id);
    expect(items.map((i) => i.closedBy)).toEqual(['system', 'U2']);
    // Closed with its audit's cancellation, at the same instant: the submission view says "cancelled".
    const [cancelledAudit] = await database.db
      .select()
      .from(audits)
      .where(eq(audits.id, inRemediation?.id ?? 0));
    expect(items[0]?.closedAt).toEqual(cancelledAudit?.outcomeAt);
  });
});
