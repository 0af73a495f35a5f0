import { desc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { templates } from '../../db/schema.ts';
import type { Clock } from '../clock.ts';
import { AlreadyHandled, claimRequest } from './processed.ts';

export type TemplateName = 'denial';

/** The general denial: names no specific reason and says the decision is final (DOMAIN.md). */
const DEFAULTS: Record<TemplateName, string> = {
  denial: [
    'Thank you for your interest in the restricted roles of the Selling Partner API.',
    '',
    'We have reviewed your application and it does not meet our criteria for access to restricted data at this time. ' +
      'Our review considers, among other things, the launch readiness of your application, services offered that can be seen on a public website, and the geographies you support.',
    '',
    'This decision is final.',
  ].join('\n'),
};

export type Template = { name: TemplateName; version: number; body: string };

/** The current text of a template; version 1 is the built-in default until an admin edits it. */
export async function currentTemplate(db: DbOrTx, name: TemplateName): Promise<Template> {
  const [row] = await db.select().from(templates).where(eq(templates.name, name)).orderBy(desc(templates.version)).limit(1);
  return row ? { name, version: row.version, body: row.body } : { name, version: 1, body: DEFAULTS[name] };
}

/** An admin's edit: a new version; the old ones stay, so every sent text can name its version. */
export async function saveTemplate(
  deps: { db: Db; clock: Clock },
  name: TemplateName,
  body: string,
  adminId: string,
  /** The Slack request that asked for it: a replay of it saves nothing (AlreadyHandled). */
  requestKey?: string,
): Promise<Template> {
  return deps.db.transaction(async (tx) => {
    if (requestKey && !(await claimRequest(tx, requestKey, deps.clock.now()))) throw new AlreadyHandled(requestKey);
    const current = await currentTemplate(tx, name);
    const version = current.version + 1;
    await tx.insert(templates).values({ name, version, body, createdBy: adminId, createdAt: deps.clock.now() });
    return { name, version, body };
  });
}
