import { readFileSync } from 'node:fs';

/** The statements of a migration file in db/migrations, as drizzle's migrator splits them. */
export function migrationStatements(file: string): string[] {
  return readFileSync(new URL(`../../db/migrations/${file}`, import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);
}
