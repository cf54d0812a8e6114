import { describe, expect, it } from 'vitest';
import { WheelhouseError } from '../../src/core/index.js';
import { classifyGitFailure, gitEnv, runGit } from '../../src/source/git/index.js';

async function caught(promise: Promise<unknown>): Promise<WheelhouseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WheelhouseError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('runGit', () => {
  it('returns stdout and passes input', async () => {
    const result = await runGit(['hash-object', '--stdin'], { input: 'hello\n' });
    expect(result.stdout.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('fails with a sanitized message that names what failed', async () => {
    const err = await caught(
      runGit(['ls-remote', '--end-of-options', 'http://bot:Pa55word-xyz@127.0.0.1:1/team/web.git'], {
        what: 'listing refs of http://127.0.0.1:1/team/web.git',
        repo: 'http://127.0.0.1:1/team/web.git',
        secrets: ['Pa55word-xyz'],
        timeoutMs: 30_000,
      }),
    );
    expect(err.code).toBe('GIT_FAILED');
    expect(err.message).toMatch(/^listing refs of http:\/\/127\.0\.0\.1:1\/team\/web\.git failed/);
    expect(err.message).not.toContain('Pa55word-xyz');
    expect(err.details.repo).toBe('http://127.0.0.1:1/team/web.git');
  });

  it('stops git when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await caught(runGit(['version'], { signal: controller.signal }));
    expect(err.message).toMatch(/cancelled/);
  });

  it('classifies refusals of credentials and host keys as GIT_AUTH', () => {
    expect(classifyGitFailure("fatal: Authentication failed for 'https://h/r.git/'")).toBe('GIT_AUTH');
    expect(classifyGitFailure('git@h: Permission denied (publickey).')).toBe('GIT_AUTH');
    expect(classifyGitFailure('Host key verification failed.')).toBe('GIT_AUTH');
    expect(classifyGitFailure("fatal: unable to access 'https://h/': Could not resolve host: h")).toBe(
      'GIT_FAILED',
    );
  });

  it('strips variables that would point git elsewhere and disables prompts', () => {
    const env = gitEnv(
      { PATH: '/bin', GIT_DIR: '/elsewhere', GIT_CONFIG_KEY_0: 'x', HOME: '/root' },
      { EXTRA: '1' },
    );
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/root',
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      EXTRA: '1',
    });
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_CONFIG_KEY_0).toBeUndefined();
  });
});

describe('runGit without git', () => {
  it('says git was not found and how to install it, without printing PATH (issue 12 item 18: errors printed the whole PATH)', async () => {
    const path = '/nonexistent-wheelhouse-bin:/also-not-here';
    const err = await caught(
      runGit(['version'], { baseEnv: { PATH: path }, what: 'reading the git version' }),
    );
    expect(err.code).toBe('GIT_FAILED');
    expect(err.message).toMatch(
      /^reading the git version could not start git: the git program was not found — install git/,
    );
    expect(err.message).not.toContain('nonexistent-wheelhouse-bin');
  });
});
