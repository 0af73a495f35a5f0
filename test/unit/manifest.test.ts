import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestBotScopes, readManifestScopes, scopesFor } from '../../src/sandbox/emulator/rules.ts';
import { USAGE } from '../../views/help.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const manifest = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sandbox' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every Web API method the bot calls: `<client>.<family>.<method>(`, `apiCall('…')`, and what `filesUploadV2` calls. */
function calledMethods(): Set<string> {
  const methods = new Set<string>();
  for (const file of [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'db'))]) {
    // Chains are often broken over lines (`client.chat\n  .postEphemeral(`).
    const code = readFileSync(file, 'utf8').replace(/\s*\n\s*\./g, '.');
    for (const m of code.matchAll(
      /\b(?:client|slack)\.(chat|conversations|users|views|files|auth|reactions|pins|team|bots|usergroups)\.(\w+)\s*\(/g,
    )) {
      methods.add(`${m[1]}.${m[2]}`);
    }
    for (const m of code.matchAll(/apiCall\(\s*['"]([\w.]+)['"]/g)) methods.add(m[1] ?? '');
    if (/\bfilesUploadV2\s*\(/.test(code)) {
      methods.add('files.getUploadURLExternal');
      methods.add('files.completeUploadExternal');
    }
  }
  // Bolt calls auth.test at start when the bot's ids are not given.
  methods.add('auth.test');
  return methods;
}

describe('manifest.yml', () => {
  const scopes = readManifestScopes();
  const methods = calledMethods();

  it('reads the bot scopes of the manifest', () => {
    expect(manifestBotScopes(manifest)).toEqual(scopes);
    expect(scopes).toContain('chat:write');
    expect(
      manifestBotScopes('oauth_config:\n  scopes:\n    user:\n      - a\n    bot:\n      - b\n      - "c"\nother:\n  - d\n'),
    ).toEqual(['b', 'c']);
  });

  it('finds the methods the bot calls', () => {
    for (const m of ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.publish', 'users.info']) {
      expect(methods).toContain(m);
    }
  });

  it('grants a scope for every Web API method the code calls (per Slack’s method reference)', () => {
    const uncovered = new Set<string>();
    for (const method of methods) {
      // The review channel may be private or public: both must work.
      for (const kind of ['private', 'public'] as const) {
        const needed = scopesFor(method, kind);
        if (needed === undefined) uncovered.add(`${method}: unknown to the emulator; add its scope from Slack's docs`);
        else if (needed.length > 0 && !needed.some((s) => scopes.includes(s)))
          uncovered.add(`${method} needs ${needed.join(' or ')}`);
      }
    }
    expect([...uncovered]).toEqual([]);
  });

  it('requests no scope the code does not use', () => {
    const used = new Set<string>(['commands']);
    for (const method of methods) {
      for (const kind of ['private', 'public'] as const) for (const s of scopesFor(method, kind) ?? []) used.add(s);
    }
    // users.info returns profile.email only with users:read.email (calendar invites use it).
    const readsEmail = sources(join(ROOT, 'src')).some((f) => /profile\?*\.email/.test(readFileSync(f, 'utf8')));
    if (readsEmail) used.add('users:read.email');
    expect(scopes.filter((s) => !used.has(s))).toEqual([]);
    // chat:write.public posts only to public channels; the review channel is private, and the bot is invited.
    expect(scopes).not.toContain('chat:write.public');
  });

  it('names every subcommand in the usage hint', () => {
    const hint = /usage_hint:\s*"([^"]*)"/.exec(manifest)?.[1] ?? '';
    for (const [args] of USAGE) expect(hint).toContain(args.split(' ')[0]);
    expect(hint).toContain('template denial');
  });
});
