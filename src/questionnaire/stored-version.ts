import { isDeepStrictEqual } from 'node:util';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { questionnaireVersions } from '../../db/schema.ts';
import { ConfigError } from '../config.ts';
import { type Questionnaire, withContactFlags } from './questionnaire.ts';

/**
 * A version is stored once, when first sent, and every application keeps the version it was
 * sent: a questionnaire file that reuses a stored version with other content would be sent
 * under that version while answers are checked, shown and attached against the stored one.
 * So the bot does not start with it. (The same content, or a stored shipped version that lacks
 * the contact flags added later, is the same questionnaire: see withContactFlags.)
 */
export async function refuseChangedQuestionnaire(db: Db, questionnaire: Questionnaire, file: string | undefined): Promise<void> {
  const [stored] = await db
    .select({ content: questionnaireVersions.content })
    .from(questionnaireVersions)
    .where(eq(questionnaireVersions.version, questionnaire.version));
  if (!stored || isDeepStrictEqual(withContactFlags(stored.content as Questionnaire), questionnaire)) return;
  const source = file === undefined ? 'the shipped questionnaire (QUESTIONNAIRE_FILE unset)' : `QUESTIONNAIRE_FILE ${file}`;
  throw new ConfigError([
    `${source} has version "${questionnaire.version}", which is already stored with other content (sent to applications as stored): give the changed file a new version, or restore the content of "${questionnaire.version}"`,
  ]);
}
