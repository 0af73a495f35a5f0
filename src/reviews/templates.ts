import { desc, eq } from 'drizzle-orm';
import { type Db, type DbOrTx, isUniqueViolation } from '../../db/client.ts';
import { templates } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import { AlreadyHandled, claimRequest } from './processed.ts';

export type TemplateName = 'denial';

/**
 * The general denial: names no specific reason, and does not close the door: a developer may
 * address the reason and resubmit the profile, which starts a new review (DOMAIN.md).
 */
const DEFAULTS: Record<TemplateName, string> = {
  denial: [
    'Thank you for your interest in the restricted roles of the Selling Partner API.',
    '',
    'We have reviewed your application and it does not meet our criteria for access to restricted data at this time. ' +
      'Our review considers, among other things, the launch readiness of your application, services offered that can be seen on a public website, and the geographies you support.',
    '',
    'You may address the reasons for this decision and resubmit your profile; a resubmitted profile is reviewed again.',
  ].join('\n'),
};

/** `by` and `at`: who saved it and when; null for the built-in default. */
export type Template = { name: TemplateName; version: number; body: string; by: string | null; at: Date | null };

/** The current text of a template; version 1 is the built-in default until an admin edits it. */
export async function currentTemplate(db: DbOrTx, name: TemplateName): Promise<Template> {
  const [row] = await db.select().from(templates).where(eq(templates.name, name)).orderBy(desc(templates.version)).limit(1);
  return row
    ? { name, version: row.version, body: row.body, by: row.createdBy, at: row.createdAt }
    : { name, version: 1, body: DEFAULTS[name], by: null, at: null };
}

export type SaveTemplateResult =
  | { kind: 'saved'; template: Template }
  /** Another version was saved after the one the admin edited: nothing was saved. */
  | { kind: 'stale'; current: Template };

/** Thrown inside the save's transaction so that it rolls back, the request key with it. */
class Stale extends Error {
  constructor(readonly current: Template) {
    super('template changed meanwhile');
  }
}

/**
 * An admin's edit: a new version, made only from the version they edited (`seenVersion`), so
 * that two admins editing at once do not silently overwrite each other; the old versions
 * stay, so every sent text can name its version. Two saves of the same version at the same
 * instant meet on the primary key: the second is stale too.
 */
export async function saveTemplate(
  deps: { db: Db; clock: Clock },
  name: TemplateName,
  body: string,
  adminId: string,
  args: {
    seenVersion: number;
    /** The Slack request that asked for it: a replay of it saves nothing (AlreadyHandled). */
    requestKey?: string;
  },
): Promise<SaveTemplateResult> {
  try {
    return await deps.db.transaction(async (tx) => {
      if (args.requestKey && !(await claimRequest(tx, args.requestKey, deps.clock.now()))) {
        throw new AlreadyHandled(args.requestKey);
      }
      const current = await currentTemplate(tx, name);
      if (current.version !== args.seenVersion) throw new Stale(current);
      const at = deps.clock.now();
      const version = current.version + 1;
      await tx.insert(templates).values({ name, version, body, createdBy: adminId, createdAt: at });
      return { kind: 'saved' as const, template: { name, version, body, by: adminId, at } };
    });
  } catch (error) {
    if (error instanceof Stale) return { kind: 'stale', current: error.current };
    if (isUniqueViolation(error, 'templates_name_version_pk')) {
      return { kind: 'stale', current: await currentTemplate(deps.db, name) };
    }
    throw error;
  }
}
