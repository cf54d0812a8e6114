import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';
import { TEST_DRIVERS } from '../support/kinds.js';

const parse = (text: string) =>
  parseControlConfig({
    text,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: TEST_DRIVERS,
  });

describe('auth.oidc in wheelhouse.yaml', () => {
  it('fills the defaults: email names the person, groups carry groups', () => {
    const { config, issues } = parse(
      'auth:\n  oidc:\n    issuer: https://login.example.com/\n    clientId: wheelhouse\n',
    );
    expect(issues).toEqual([]);
    expect(config?.auth).toEqual({
      oidc: {
        issuer: 'https://login.example.com',
        clientId: 'wheelhouse',
        scopes: ['openid', 'email', 'profile', 'groups'],
        personClaim: 'email',
        groupsClaim: 'groups',
      },
    });
  });

  it('refuses a secret written in place of its variable name and an issuer that is not a URL, naming the field', () => {
    const { issues } = parse(
      'auth:\n  oidc:\n    issuer: login.example.com\n    clientId: wheelhouse\n    clientSecretEnv: s3cr3t-value\n',
    );
    const text = issues.map(formatIssue).join('\n');
    expect(text).toContain('auth.oidc.issuer');
    expect(text).toContain('must be an http(s) URL');
    expect(text).toContain('auth.oidc.clientSecretEnv');
    expect(text).not.toContain('s3cr3t-value');
  });

  it('validates every wheelhouse.yaml example in docs/authentication.md', async () => {
    const doc = await readFile(new URL('../../docs/authentication.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) expect(parse(block).issues.map(formatIssue), block).toEqual([]);
  });
});

describe('auth.github in wheelhouse.yaml', () => {
  it('fills in github.com and its API, and keeps the organisations', () => {
    const { config, issues } = parse(
      'auth:\n  github:\n    clientId: Iv1.abc\n    clientSecretEnv: WHEELHOUSE_GITHUB_SECRET\n    orgs: [acme]\n',
    );
    expect(issues).toEqual([]);
    expect(config?.auth).toEqual({
      github: {
        clientId: 'Iv1.abc',
        clientSecretEnv: 'WHEELHOUSE_GITHUB_SECRET',
        url: 'https://github.com',
        apiUrl: 'https://api.github.com',
        orgs: ['acme'],
      },
    });
  });

  it('refuses oidc and github together, and a github section without its secret variable, saying what to do', () => {
    const both = parse(
      'auth:\n  oidc:\n    issuer: https://login.example.com\n    clientId: w\n  github:\n    clientId: Iv1.abc\n    clientSecretEnv: GH_SECRET\n',
    );
    expect(both.issues.map(formatIssue).join('\n')).toMatch(
      /wheelhouse\.yaml:\d+:\d+.*auth: configure one way to sign in, oidc or github, not both/,
    );
    const noSecret = parse('auth:\n  github:\n    clientId: Iv1.abc\n');
    expect(noSecret.issues.map(formatIssue).join('\n')).toContain('auth.github.clientSecretEnv');
  });
});
