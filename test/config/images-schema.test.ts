import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';

const parse = (apps: string) =>
  parseControlConfig({
    text: `apps:\n${apps}`,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: ['process', 'docker'],
  });

describe('wheelhouse.yaml: images policies', () => {
  it('builds policies with the registry read from the image name, and defaults', () => {
    const { config, issues } = parse(`  - name: web
    path: apps/web
    images:
      - image: 127.0.0.1:5000/shop/web
        policy: { semver: "^1.2.0" }
        interval: 1m
        credentials: { usernameEnv: REG_USER, passwordEnv: REG_PASS }
      - image: nginx
        policy: { regex: "^main-(\\\\d+)$", order: numerical }
      - image: registry.example.com/team/api
        registry: https://mirror.example.com/
        policy: { digest: stable }
        helmValues: { path: image.tag, file: charts/api/values.yaml }
`);
    expect(issues.map(formatIssue)).toEqual([]);
    expect(config?.apps[0]?.images).toEqual([
      {
        image: '127.0.0.1:5000/shop/web',
        registry: 'http://127.0.0.1:5000',
        repository: 'shop/web',
        rule: { kind: 'semver', range: '^1.2.0' },
        intervalMs: 60_000,
        credentials: { usernameEnv: 'REG_USER', passwordEnv: 'REG_PASS' },
      },
      {
        image: 'nginx',
        registry: 'https://registry-1.docker.io',
        repository: 'library/nginx',
        rule: { kind: 'regex', pattern: '^main-(\\d+)$', order: 'numerical' },
        intervalMs: 300_000,
      },
      {
        image: 'registry.example.com/team/api',
        registry: 'https://mirror.example.com',
        repository: 'team/api',
        rule: { kind: 'digest', tag: 'stable' },
        intervalMs: 300_000,
        helmValues: { path: 'image.tag', file: 'charts/api/values.yaml' },
      },
    ]);
  });

  it('locates each mistake by file:line and says how to fix it', () => {
    const { issues } = parse(`  - name: web
    path: apps/web
    images:
      - image: shop/web:1.0
        policy: { semver: "^1.2.0" }
      - image: shop/api
        policy: { semver: "not a range" }
      - image: shop/db
        policy: { semver: "^1", digest: latest }
      - image: shop/q
        policy: { regex: "([", order: numerical }
      - image: shop/r
        policy: { digest: latest, order: numerical }
        interval: 1s
      - image: shop/s
        policy: {}
        credentials: { usernameEnv: user, passwordEnv: REG_PASS }
`);
    const text = issues.map(formatIssue).join('\n');
    expect(text).toMatch(/wheelhouse\.yaml:5:\d+.*image.*without tag or digest/);
    expect(text).toMatch(/wheelhouse\.yaml:8:\d+.*not a semver range/);
    expect(text).toMatch(
      /wheelhouse\.yaml:10:\d+.*give one of semver, regex or digest, not semver and digest/,
    );
    expect(text).toMatch(/wheelhouse\.yaml:12:\d+.*not a valid regular expression/);
    expect(text).toMatch(/wheelhouse\.yaml:14:\d+.*order applies to a regex policy only/);
    expect(text).toMatch(/wheelhouse\.yaml:15:\d+.*too short: the minimum is 10s/);
    expect(text).toMatch(/wheelhouse\.yaml:17:\d+.*give one of semver/);
    expect(text).toMatch(/wheelhouse\.yaml:18:\d+.*name an environment variable/);
  });
});
