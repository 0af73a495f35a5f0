import type { BenchDatabase } from './database.ts';

export type CapturedQuery = { op: string; sql: string; params: unknown[] };
export type Plan = {
  op: string;
  sql: string;
  /** One line per scan node: "Index Scan using … on …", "Bitmap Index Scan on …", "Seq Scan on … (N rows read)". */
  scans: string[];
  /** Sequential scans that read more than LARGE_SCAN rows: candidates for an index. */
  largeSeqScans: { table: string; rowsRead: number }[];
  executionMs: number;
};

const LARGE_SCAN = 5_000;

type Node = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: Node[];
};

function walk(node: Node, plan: Plan): void {
  const rel = node['Relation Name'] ?? '?';
  const loops = node['Actual Loops'] ?? 1;
  switch (node['Node Type']) {
    case 'Seq Scan': {
      const rowsRead = ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * loops;
      plan.scans.push(`Seq Scan on ${rel} (${rowsRead} rows read)`);
      if (rowsRead > LARGE_SCAN) plan.largeSeqScans.push({ table: rel, rowsRead });
      break;
    }
    case 'Index Scan':
    case 'Index Only Scan':
      plan.scans.push(`${node['Node Type']} using ${node['Index Name']} on ${rel}`);
      break;
    case 'Bitmap Index Scan':
      plan.scans.push(`Bitmap Index Scan on ${node['Index Name']}`);
      break;
  }
  for (const child of node.Plans ?? []) walk(child, plan);
}

export const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** EXPLAIN (ANALYZE, FORMAT JSON) of every distinct read the operations sent, with their own parameters. */
export async function explainAll(database: BenchDatabase, captured: readonly CapturedQuery[]): Promise<Plan[]> {
  const seen = new Set<string>();
  const plans: Plan[] = [];
  for (const query of captured) {
    const key = `${query.op}|${query.sql}`;
    if (seen.has(key) || !/^\s*(select|with)\b/i.test(query.sql)) continue;
    seen.add(key);
    const [row] = await database.raw<{ 'QUERY PLAN': unknown }>(`explain (analyze, format json) ${query.sql}`, query.params);
    const raw = row?.['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Node; 'Execution Time': number }[];
    const top = parsed[0];
    if (!top) continue;
    const plan: Plan = {
      op: query.op,
      sql: oneLine(query.sql),
      scans: [],
      largeSeqScans: [],
      executionMs: top['Execution Time'],
    };
    walk(top.Plan, plan);
    plans.push(plan);
  }
  return plans;
}
