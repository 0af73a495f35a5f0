import type { Db } from '../../db/client.ts';
import type { ApplicationSummary, HistoryEntry } from '../../views/types.ts';
import { findApplications, getHistory, toSummary } from './queries.ts';

export type StatusLookup =
  | { kind: 'found'; application: ApplicationSummary; history: HistoryEntry[] }
  | { kind: 'none' }
  | { kind: 'many'; matches: ApplicationSummary[] };

/** `/pii status <number | profile id | organization>` */
export async function lookupStatus(deps: { db: Db }, query: string): Promise<StatusLookup> {
  const rows = await findApplications(deps.db, query);
  const [only] = rows;
  if (!only) return { kind: 'none' };
  if (rows.length > 1) return { kind: 'many', matches: rows.map(toSummary) };
  return { kind: 'found', application: toSummary(only), history: await getHistory(deps.db, only.id) };
}
