import { describe, expect, it } from 'vitest';
import { isWheelhouseError } from '../../src/core/index.js';
import {
  mirrorName,
  normalizeRepoUrl,
  parseRepoUrl,
  repoUrlProblem,
  sameRepo,
  sanitizeText,
  sanitizeUrl,
} from '../../src/source/git/index.js';

describe('normalizeRepoUrl', () => {
  it.each([
    ['https://GitHub.com/Team/Web.git', 'https://github.com/Team/Web'],
    ['https://github.com/team/web/', 'https://github.com/team/web'],
    ['https://github.com:443/team/web.git/', 'https://github.com/team/web'],
    ['https://user:token@github.com/team/web.git', 'https://github.com/team/web'],
    ['http://git.example.com:80/team/web', 'http://git.example.com/team/web'],
    ['http://git.example.com:8080/team/web', 'http://git.example.com:8080/team/web'],
    ['git@github.com:team/web.git', 'ssh://github.com/team/web'],
    ['ssh://git@github.com/team/web.git', 'ssh://github.com/team/web'],
    ['ssh://git@GITHUB.com:22/team/web', 'ssh://github.com/team/web'],
    ['ssh://git@github.com:2222/team/web', 'ssh://github.com:2222/team/web'],
    ['git://example.com:9418/web.git', 'git://example.com/web'],
    ['/srv/git/web.git/', 'file:///srv/git/web.git'],
    ['file:///srv/git/web.git', 'file:///srv/git/web.git'],
    ['https://example.com//team//web.git', 'https://example.com/team/web'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeRepoUrl(input)).toBe(expected);
  });

  it('resolves relative local paths against the working directory', () => {
    expect(normalizeRepoUrl('./repo')).toBe(`file://${process.cwd()}/repo`);
  });

  it('keys one mirror for every spelling of a URL', () => {
    expect(mirrorName('https://github.com/team/web.git')).toBe(mirrorName('https://GITHUB.com/team/web/'));
    expect(mirrorName('https://github.com/team/web')).not.toBe(mirrorName('https://github.com/team/api'));
  });

  it.each([
    '',
    'ftp://example.com/repo',
    '--upload-pack=touch /tmp/x',
    'https://example.com/',
    'https://exa mple.com/repo',
    'https://example.com/repo\nx',
  ])('refuses %j with a message that says what to use', (input) => {
    let caught: unknown;
    try {
      parseRepoUrl(input);
    } catch (err) {
      caught = err;
    }
    expect(isWheelhouseError(caught, 'BAD_REQUEST')).toBe(true);
    expect(String(caught)).toMatch(/https:\/\/host\/owner\/repo\.git/);
  });
});

describe('sameRepo', () => {
  it('matches transports of one repository, as webhook payloads carry them', () => {
    expect(sameRepo('https://github.com/o/r.git', 'git@github.com:o/r.git')).toBe(true);
    expect(sameRepo('ssh://git@github.com/o/r', 'https://github.com/o/r')).toBe(true);
    expect(sameRepo('https://github.com/o/r', 'https://github.com/o/other')).toBe(false);
    expect(sameRepo('https://gitlab.com/o/r', 'https://github.com/o/r')).toBe(false);
    expect(sameRepo('/srv/o/r', 'https://srv/o/r')).toBe(false);
  });
});

describe('parseRepoUrl', () => {
  it('moves credentials out of http URLs and keeps the fetch URL clean', () => {
    const parsed = parseRepoUrl('https://bot:s3cr%40t@git.example.com/team/web.git');
    expect(parsed.embedded).toEqual({ username: 'bot', password: 's3cr@t' });
    expect(parsed.fetchUrl).toBe('https://git.example.com/team/web.git');
  });

  it('keeps scp-style URLs scp-style for git, with the ssh user', () => {
    const parsed = parseRepoUrl('git@github.com:team/web.git');
    expect(parsed.fetchUrl).toBe('git@github.com:team/web.git');
    expect(parsed.sshUser).toBe('git');
    expect(parsed.scheme).toBe('ssh');
  });
});

describe('sanitize', () => {
  it('removes credentials from URLs', () => {
    expect(sanitizeUrl('https://user:pass@example.com/r.git')).toBe('https://example.com/r.git');
    expect(sanitizeUrl('https://ghp_token123@example.com/r.git')).toBe('https://example.com/r.git');
    expect(sanitizeUrl('ssh://git:pw@example.com/r.git')).toBe('ssh://git@example.com/r.git');
  });

  it('removes credentials from URLs inside free text', () => {
    const text = "fatal: unable to access 'https://bot:hunter2@example.com/r.git/': 403 and ssh://git:pw@h/x";
    const clean = sanitizeText(text);
    expect(clean).not.toContain('hunter2');
    expect(clean).not.toContain('pw@');
    expect(clean).toContain("'https://example.com/r.git/'");
    expect(clean).toContain('ssh://git@h/x');
  });
});

describe('repoUrlProblem (the one URL rule of validate, the config loader and fetches)', () => {
  it('refuses git remote helpers, whitespace and control characters (issue 12 item 3)', () => {
    expect(repoUrlProblem('ext::sh -c touch% /tmp/pwned')).toBe(
      'it contains whitespace or control characters',
    );
    expect(repoUrlProblem('ext::git-remote-evil')).toMatch(
      /^git remote helpers \("ext::"\) are not supported/,
    );
    expect(repoUrlProblem('fd::17/foo')).toMatch(/git remote helpers \("fd::"\)/);
    expect(repoUrlProblem('https://git.example.com/team/shop .git')).toBe(
      'it contains whitespace or control characters',
    );
    expect(repoUrlProblem('https://git.example.com/team/shop.git\u001b]0;x\u0007')).toBe(
      'it contains whitespace or control characters',
    );
    expect(repoUrlProblem('git@github.com:team/web.git')).toBeUndefined();
    expect(repoUrlProblem('https://git.example.com/team/web.git')).toBeUndefined();
    expect(() => parseRepoUrl('ext::git-remote-evil')).toThrow(/not usable: git remote helpers/);
  });
});
