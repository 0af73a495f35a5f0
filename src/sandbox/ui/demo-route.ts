import { DemoError, type DemoResult } from '../demo.ts';
import { type Outcome, UiError } from './interactions.ts';

let loading: Promise<Outcome> | undefined;

/**
 * "Load demo data": one load at a time (a second click while it runs gets the same answer);
 * once loaded it is refused, not repeated, until Reset sandbox empties the workspace.
 */
export function demoRoute(deps: { loadDemo?: () => Promise<DemoResult> }): Promise<Outcome> {
  const load = deps.loadDemo;
  if (!load) throw new UiError(404, 'This sandbox was started without demo data.');
  loading ??= run(load).finally(() => {
    loading = undefined;
  });
  return loading;
}

async function run(load: () => Promise<DemoResult>): Promise<Outcome> {
  const started = performance.now();
  try {
    const result = await load();
    const ms = Math.round(performance.now() - started);
    if (result.outcome === 'already_loaded') {
      return {
        what: 'load demo data',
        ms,
        level: 'warn',
        note: `Demo data is already loaded (${result.count} applications). Reset sandbox to start again.`,
      };
    }
    return {
      what: 'load demo data',
      ms,
      level: 'ok',
      note: `${result.applications.length} applications loaded; their cards and threads are being posted (about one a second, as Slack allows). Open pii-review under Apps to see what waits on you.`,
      body: result.applications.map((a) => `#${a.id} ${a.organization}: ${a.shows}`).join('\n'),
    };
  } catch (error) {
    if (error instanceof DemoError) throw new UiError(409, error.message);
    throw error;
  }
}
