import type { Db } from '../../db/client.ts';
import type { ApplicationSummary, CardModel, HistoryEntry } from '../../views/types.ts';
import type { Policy } from '../config.ts';
import { unstorableText } from '../intake/application.ts';
import { cardModelFrom, loadCardModel } from './card-model.ts';
import { applicationNumber, findByProfileOrName, getHistory, MAX_NAME_MATCHES, toHistory, toSummary } from './queries.ts';
import { loadApplicationWithRows } from './workflow-state.ts';

export type StatusLookup =
  | { kind: 'found'; application: CardModel; history: HistoryEntry[] }
  | { kind: 'none' }
  | { kind: 'many'; matches: ApplicationSummary[]; more: boolean };

/** `/pii status <number | profile id | organization>` */
export async function lookupStatus(deps: { db: Db; policy: Policy }, query: string): Promise<StatusLookup> {
  if (unstorableText(query)) return { kind: 'none' };
  // By number (the usual question): the application, its card and its history in one query.
  const number = applicationNumber(query);
  const byNumber = number === undefined ? undefined : await loadApplicationWithRows(deps.db, number, { history: true });
  if (byNumber) {
    const application = cardModelFrom(byNumber.app, byNumber.rows, deps.policy);
    return { kind: 'found', application, history: toHistory(byNumber.history) };
  }
  const rows = await findByProfileOrName(deps.db, query);
  const [only] = rows;
  if (!only) return { kind: 'none' };
  if (rows.length > 1) {
    return { kind: 'many', matches: rows.slice(0, MAX_NAME_MATCHES).map(toSummary), more: rows.length > MAX_NAME_MATCHES };
  }
  const [application, history] = await Promise.all([loadCardModel(deps.db, only, deps.policy), getHistory(deps.db, only.id)]);
  return { kind: 'found', application, history };
}
