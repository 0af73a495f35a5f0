import type { DbOrTx } from '../../db/client.ts';
import type { ApplicationSummary } from '../../views/types.ts';
import type { WorkflowState } from '../workflow/rules.ts';
import { getApplication, toSummary } from './queries.ts';
import { loadReviewRows, type ReviewRows, workflowStateFrom } from './workflow-state.ts';

export type ReviewContext = ReviewRows & { application: ApplicationSummary; state: WorkflowState };

/** What a reviewer's modal needs to show about an application. */
export async function loadReviewContext(db: DbOrTx, id: number): Promise<ReviewContext | undefined> {
  const app = await getApplication(db, id);
  if (!app) return undefined;
  const rows = await loadReviewRows(db, app);
  return { ...rows, application: toSummary(app), state: workflowStateFrom(app, rows) };
}
