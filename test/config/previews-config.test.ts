import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';

/*
 * Issue 20, `previews:`: per forge the env var holding a token and its API root (hosted GitHub
 * and GitLab by default; Gitea has none), checked at load with file:line.
 */
const parse = (text: string) =>
  parseControlConfig({
    text,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: ['process'],
  });

describe('previews: in wheelhouse.yaml', () => {
  it('fills in the hosted API roots and keeps the dashboard address', () => {
    const { config, issues } = parse(`previews:
  dashboardUrl: https://wheelhouse.example.com/
  github: { tokenEnv: GH_PREVIEW_TOKEN }
  gitlab: { tokenEnv: GL_PREVIEW_TOKEN }
  gitea: { tokenEnv: GITEA_TOKEN, apiUrl: https://gitea.example.com/api/v1/ }
  bitbucket: { tokenEnv: BB_TOKEN }
`);
    expect(issues).toEqual([]);
    expect(config?.previews).toEqual({
      dashboardUrl: 'https://wheelhouse.example.com',
      forges: {
        github: { apiUrl: 'https://api.github.com', tokenEnv: 'GH_PREVIEW_TOKEN' },
        gitlab: { apiUrl: 'https://gitlab.com/api/v4', tokenEnv: 'GL_PREVIEW_TOKEN' },
        gitea: { apiUrl: 'https://gitea.example.com/api/v1', tokenEnv: 'GITEA_TOKEN' },
        bitbucket: { apiUrl: 'https://api.bitbucket.org/2.0', tokenEnv: 'BB_TOKEN' },
      },
    });
  });

  it('names the file, line and field of a token written in place of its env var, a missing Gitea address and an unknown forge', () => {
    const { issues } = parse(`apps: []
previews:
  github: { tokenEnv: ghp_abc123 }
  gitea: { tokenEnv: GITEA_TOKEN }
  gitbucket: { tokenEnv: X }
`);
    const lines = issues.map(formatIssue);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^wheelhouse\.yaml:3:\d+ previews\.github\.tokenEnv: must name an environment variable/,
        ),
        expect.stringMatching(
          /^wheelhouse\.yaml:4:\d+ previews\.gitea(\.apiUrl)?: .*apiUrl: https:\/\/gitea\.example\.com\/api\/v1/,
        ),
        expect.stringMatching(/^wheelhouse\.yaml:5:\d+ previews(\.gitbucket)?: .*gitbucket/),
      ]),
    );
    expect(lines.join('\n')).not.toContain('ghp_abc123');
  });
});
