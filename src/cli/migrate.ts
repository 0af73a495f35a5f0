import { openDatabase } from '../../db/client.ts';
import { DataDirectoryLocked } from '../../db/dir-lock.ts';
import { ConfigError, loadConfig } from '../config.ts';

/** `npm run db:migrate`: applies the committed migrations to the configured database, then exits. */
try {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    console.log(`migrations applied (${config.database.kind})`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof DataDirectoryLocked ? error.message : error);
  process.exit(1);
}
