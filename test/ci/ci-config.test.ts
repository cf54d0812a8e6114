import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';
import { TEST_DRIVERS } from '../support/kinds.js';

function parse(text: string) {
  const { issues, config } = parseControlConfig({
    text,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: TEST_DRIVERS,
  });
  return { issues: issues.map(formatIssue), config };
}

describe('ci: in wheelhouse.yaml', () => {
  it('builds each server kind with its defaults', () => {
    const { issues, config } = parse(`ci:
  jenkins: { type: jenkins, url: "https://ci.example.com/jenkins/", user: bot, tokenEnv: JENKINS_TOKEN }
  gha: { type: github-actions, repo: acme/shop, tokenEnv: GH_TOKEN }
  gl: { type: gitlab, project: acme/shop, triggerTokenEnv: GL_TRIGGER }
`);
    expect(issues).toEqual([]);
    expect(config?.ci).toEqual({
      jenkins: {
        kind: 'jenkins',
        name: 'jenkins',
        url: 'https://ci.example.com/jenkins/',
        user: 'bot',
        tokenEnv: 'JENKINS_TOKEN',
      },
      gha: {
        kind: 'github-actions',
        name: 'gha',
        repo: 'acme/shop',
        apiUrl: 'https://api.github.com',
        tokenEnv: 'GH_TOKEN',
        ref: 'main',
      },
      gl: {
        kind: 'gitlab',
        name: 'gl',
        project: 'acme/shop',
        url: 'https://gitlab.com',
        triggerTokenEnv: 'GL_TRIGGER',
        ref: 'main',
      },
    });
  });

  it('names the file, line, field and fix of each mistake', () => {
    const { issues } = parse(`ci:
  jenkins: { type: jenkins, url: "https://bot:s3cret@ci.example.com/", user: bot, tokenEnv: "abc123token" }
  gha: { type: github-actions, repo: shop, tokenEnv: GH_TOKEN, token: x }
  other: { type: travis }
`);
    expect(issues).toEqual([
      expect.stringMatching(
        /^wheelhouse.yaml:2:\d+ ci.jenkins.url: url must be an http\(s\) URL without credentials/,
      ),
      expect.stringMatching(/^wheelhouse.yaml:2:\d+ ci.jenkins.tokenEnv: must name an environment variable/),
      expect.stringMatching(/^wheelhouse.yaml:3:\d+ ci.gha.repo: repo must be written owner\/name/),
      expect.stringMatching(
        /^wheelhouse.yaml:3:\d+ ci.gha.token: unknown key "token" — did you mean "tokenEnv"\?/,
      ),
      expect.stringMatching(
        /^wheelhouse.yaml:4:\d+ ci.other.type: type must be one of jenkins, github-actions, gitlab/,
      ),
    ]);
    // The secret written by mistake is not echoed back.
    expect(issues.join('\n')).not.toContain('s3cret');
  });
});
