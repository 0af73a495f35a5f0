import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ENV_NAMES } from '../../src/config.ts';
import { type KillRig, startKillRig } from '../support/bot-process.ts';

/**
 * What can be checked of the container image and compose file on a machine that cannot build
 * images: the Dockerfile's steps replayed on a clean copy of the repository (its COPY lines,
 * its npm commands, its CMD answering /readyz, its HEALTHCHECK, SIGTERM reaching Node), and
 * compose's environment against src/config.ts. One `npm ci --omit=dev` from npm's cache: about
 * 30 s on a quiet machine, so it belongs in the normal suite.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Instruction = { op: string; args: string };
type Stage = { name: string; from: string; steps: Instruction[] };

/** Dockerfile instructions by stage: continuation lines joined, comments dropped, ARGs substituted. */
function parseDockerfile(text: string): { stages: Stage[]; args: Record<string, string> } {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    const argsText = rest.replace(/\$\{(\w+)\}/g, (_m, name: string) => args[name] ?? '');
    if (op.toUpperCase() === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = argsText.split('=');
      args[name] = value;
    } else if (op.toUpperCase() === 'FROM') {
      const [, from = '', name = String(stages.length)] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argsText) ?? [];
      stages.push({ name, from, steps: [] });
    } else {
      stages.at(-1)?.steps.push({ op: op.toUpperCase(), args: argsText });
    }
  }
  return { stages, args };
}

const jsonForm = (args: string): string[] => JSON.parse(args.replace(/^--\S+\s+/g, '')) as string[];

/** Flags (`--from=deps`, `--chown=…`) and the rest of a COPY line. */
function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; target: string } {
  const words = args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [key = '', value = ''] = (words.shift() as string).slice(2).split('=');
    flags[key] = value;
  }
  const target = words.pop() as string;
  return { flags, sources: words, target };
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const runtime = dockerfile.stages.at(-1) as Stage;
const workdirOf = (stage: Stage) => stage.steps.find((s) => s.op === 'WORKDIR')?.args ?? '/';

let scratch: string | undefined;
let rig: KillRig | undefined;
let bot: ChildProcess | undefined;
afterAll(async () => {
  if (bot?.exitCode === null) bot.kill('SIGKILL');
  await rig?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Dockerfile', () => {
  it('is multi-stage, runs as a non-root user, checks /readyz with Node and starts Node itself (exec form)', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.steps.filter((s) => s.op === 'USER').at(-1)?.args).toBe('node');
    const healthcheck = runtime.steps.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toContain('/readyz');
    expect(jsonForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, ''))[0]).toBe('node');
    const cmd = jsonForm(runtime.steps.find((s) => s.op === 'CMD')?.args ?? '');
    // No npm or tsx CLI as PID 1: they would stand between SIGTERM and the bot's handler.
    expect(cmd[0]).toBe('node');
    // The final stage installs nothing: its dependencies are the production ones, copied.
    const installs = runtime.steps.filter((s) => s.op === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(s.args));
    expect(installs).toEqual([]);
    const deps = runtime.steps.filter((s) => s.op === 'COPY' && copyArgs(s.args).flags.from);
    for (const copy of deps) {
      const stage = dockerfile.stages.find((s) => s.name === copyArgs(copy.args).flags.from) as Stage;
      const npmCi = stage.steps.filter((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args));
      expect(npmCi.every((s) => s.args.includes('--omit=dev'))).toBe(true);
    }
    // Nothing secret is set in the image.
    const env = runtime.steps.filter((s) => s.op === 'ENV' || s.op === 'ARG').map((s) => s.args);
    expect(env.filter((e) => /TOKEN|SECRET|PASSWORD|DATABASE_URL/.test(e))).toEqual([]);
  });

  it('.dockerignore keeps secrets, data and local installs out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.env', '.git', 'node_modules', '.data']) expect(ignored).toContain(entry);
  });

  it('builds and starts on a clean copy of the repository: the COPY lines, npm steps and CMD, answering /readyz, stopped by SIGTERM', async () => {
    // Slack (the emulator), the test's database and the bot's environment, which holds PATH and HOME.
    rig = await startKillRig();
    const machine = { PATH: rig.env.PATH ?? '', HOME: rig.env.HOME ?? '' };
    scratch = mkdtempSync(join(tmpdir(), 'pii-review-image-'));
    const context = join(scratch, 'context');
    // The build context: the files git tracks (what a clean checkout holds), nothing installed.
    for (const file of execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean)) {
      if (!existsSync(join(ROOT, file))) continue;
      mkdirSync(dirname(join(context, file)), { recursive: true });
      cpSync(join(ROOT, file), join(context, file));
    }
    const stageDir = (name: string) => join(scratch as string, `stage-${name}`);
    /** A path inside a stage's filesystem, with its WORKDIR as the stage folder. */
    const inStage = (stage: Stage, path: string) =>
      join(stageDir(stage.name), path.startsWith('/') ? path.slice(workdirOf(stage).length) : path);
    const env: Record<string, string> = {};
    const ran: string[] = [];
    for (const stage of dockerfile.stages) {
      mkdirSync(stageDir(stage.name), { recursive: true });
      for (const step of stage.steps) {
        if (step.op === 'COPY') {
          const { flags, sources, target } = copyArgs(step.args);
          const source = flags.from ? dockerfile.stages.find((s) => s.name === flags.from) : undefined;
          for (const file of sources) {
            const from = source ? inStage(source, file) : join(context, file);
            expect(existsSync(from), `COPY ${file}: not in ${flags.from ?? 'the build context'}`).toBe(true);
            const to = target.endsWith('/') && !source ? join(inStage(stage, target), file) : inStage(stage, target);
            cpSync(from, to, { recursive: true });
          }
        } else if (step.op === 'ENV' && stage === runtime) {
          const [key = '', value = ''] = step.args.split('=');
          env[key] = value;
        } else if (step.op === 'RUN') {
          for (const command of step.args.split('&&').map((c) => c.trim())) {
            // npm steps and folders are replayed; chown needs the image's user, which this machine may lack.
            if (command.startsWith('chown ')) continue;
            expect(command, 'a RUN step this test does not know how to replay').toMatch(/^(npm|mkdir) /);
            execFileSync('sh', ['-c', command], {
              cwd: stageDir(stage.name),
              // npm's cache on this machine: the same packages as the registry's, without downloading them again.
              env: { ...machine, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
              stdio: 'ignore',
            });
            ran.push(command);
          }
        }
      }
    }
    expect(ran.some((c) => c.startsWith('npm ci'))).toBe(true);
    const image = stageDir(runtime.name);
    expect(existsSync(join(image, 'node_modules/tsx'))).toBe(true);
    expect(existsSync(join(image, 'node_modules/vitest')), 'dev dependencies in the image').toBe(false);

    // The CMD, as the container runs it: the bot over HTTP against the emulator, on the test's database.
    const [command, ...args] = jsonForm(runtime.steps.find((s) => s.op === 'CMD')?.args ?? '');
    const output: string[] = [];
    bot = spawn(command as string, args, { cwd: image, env: { ...rig.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    bot.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    bot.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => bot?.once('exit', (code) => resolve(code)));
    const readyz = `http://127.0.0.1:${rig.env.PORT}/readyz`;
    let status = 0;
    for (let i = 0; i < 600 && status !== 200 && bot.exitCode === null; i += 1) {
      status = await fetch(readyz).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status, output.join('').slice(-2000)).toBe(200);

    // The HEALTHCHECK command, from the image's folder with its PORT.
    const healthcheck = runtime.steps.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    const [check, ...checkArgs] = jsonForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, ''));
    execFileSync(check as string, checkArgs, { cwd: image, env: { ...machine, PORT: rig.env.PORT ?? '' } });

    // SIGTERM to the process the CMD started (PID 1 in the container): a clean stop.
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('"msg":"stopped"');
  }, 240_000);
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      {
        image?: string;
        build?: unknown;
        environment?: Record<string, unknown>;
        env_file?: (string | { path: string; required?: boolean })[];
        healthcheck?: unknown;
        depends_on?: Record<string, { condition: string }>;
        deploy?: { replicas?: number };
      }
    >;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);
  const ours = services.filter(([, s]) => s.build !== undefined || s.image === 'pii-review');

  it('gives the bot only variables that src/config.ts reads', () => {
    expect(ours.length).toBeGreaterThan(0);
    for (const [name, service] of ours) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !ENV_NAMES.includes(key));
      expect(unknown, `service ${name}`).toEqual([]);
    }
  });

  it('passes the bot the whole .env (optional), so every variable .env.example offers reaches it', () => {
    const names = [...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1] as string);
    expect(names.filter((name) => !ENV_NAMES.includes(name))).toEqual([]);
    const [, bot] = ours.find(([, s]) => (s.deploy?.replicas ?? 1) >= 2) ?? [];
    // Without it, only the variables `environment` lists would reach the bot: RETENTION_DAYS & co. dropped.
    expect(bot?.env_file).toContainEqual({ path: '.env', required: false });
  });

  it('runs PostgreSQL 16 with a healthcheck and a named volume, migrations once, two bot replicas on it', () => {
    const [, db] = services.find(([, s]) => String(s.image).startsWith('postgres:16')) ?? [];
    expect(db?.healthcheck).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain('pgdata');
    const [, bot] = ours.find(([, s]) => (s.deploy?.replicas ?? 1) >= 2) ?? [];
    expect(bot?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.+@db:5432\//);
    expect(bot?.depends_on?.db?.condition).toBe('service_healthy');
    expect(bot?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });

  it('README and .env.example name every variable src/config.ts reads', () => {
    const readme = read('README.md');
    const example = read('.env.example');
    expect(ENV_NAMES.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    expect(ENV_NAMES.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });
});
