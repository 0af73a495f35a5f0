import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { questionnaireVersions } from '../../db/schema.ts';
import { ConfigError } from '../../src/config.ts';
import { type Questionnaire, shippedQuestionnaire } from '../../src/questionnaire/questionnaire.ts';
import { refuseChangedQuestionnaire } from '../../src/questionnaire/stored-version.ts';
import { machineEnv } from '../support/bot-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/ports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AT = new Date('2026-03-02T09:00:00Z');

const sent: Questionnaire = {
  version: '2026.7',
  title: 'Security questions',
  maxAnswerChars: 500,
  questions: [
    { id: 'Q1', area: 'incident_response', text: 'Who answers an incident?' },
    { id: 'Q2', area: 'incident_response', text: 'How fast?' },
  ],
};
/** The same version, one question reworded: what an admin editing the file in place produces. */
const edited: Questionnaire = {
  ...sent,
  questions: [
    sent.questions[0] as Questionnaire['questions'][number],
    { id: 'Q2', area: 'incident_response', text: 'Within how many hours?' },
  ],
};

describe('a QUESTIONNAIRE_FILE whose version is already stored', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  beforeEach(() => database.reset());
  afterAll(() => database?.close());

  it('with other content is refused, naming the file and the version', async () => {
    await database.db.insert(questionnaireVersions).values({ version: sent.version, content: sent, createdAt: AT });
    const refusal = refuseChangedQuestionnaire(database.db, edited, '/etc/pii/questions.json');
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(
      /QUESTIONNAIRE_FILE \/etc\/pii\/questions\.json has version "2026\.7", which is already stored/,
    );
  });

  it('with the same content, or not stored yet, is accepted', async () => {
    await expect(refuseChangedQuestionnaire(database.db, sent, '/q.json')).resolves.toBeUndefined();
    await database.db.insert(questionnaireVersions).values({ version: sent.version, content: sent, createdAt: AT });
    await expect(refuseChangedQuestionnaire(database.db, structuredClone(sent), '/q.json')).resolves.toBeUndefined();
  });

  it('the shipped version stored before questions could be flagged is the shipped questionnaire', async () => {
    const shipped = shippedQuestionnaire();
    const unflagged = { ...shipped, questions: shipped.questions.map(({ contact: _, ...q }) => q) };
    await database.db.insert(questionnaireVersions).values({ version: shipped.version, content: unflagged, createdAt: AT });
    await expect(refuseChangedQuestionnaire(database.db, shipped, undefined)).resolves.toBeUndefined();
  });
});

describe('the bot started with such a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pii-review-questionnaire-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not start, and says which file and version', { timeout: 90_000 }, async () => {
    const dataDir = join(dir, 'pglite');
    const stored = await openDatabase({ kind: 'pglite', dataDir });
    await stored.migrate();
    await stored.db.insert(questionnaireVersions).values({ version: sent.version, content: sent, createdAt: AT });
    await stored.close();
    const file = join(dir, 'questions.json');
    writeFileSync(file, JSON.stringify(edited));

    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: ROOT,
      env: {
        ...machineEnv(),
        PGLITE_DIR: dataDir,
        QUESTIONNAIRE_FILE: file,
        PORT: String(await freePort()),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => {
      const giveUp = setTimeout(() => {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, 60_000);
      child.once('exit', (exitCode) => {
        clearTimeout(giveUp);
        resolve(exitCode);
      });
    });
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('pii-review cannot start.');
    expect(stderr).toContain(`QUESTIONNAIRE_FILE ${file} has version "2026.7"`);
  });
});
