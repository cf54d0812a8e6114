import { describe, expect, it } from 'vitest';
import { parseControlConfig, SYNC_DEFAULTS } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';

const controlRepo = { url: 'https://git.example.com/team/control.git', ref: 'main' };
const drivers = ['process', 'docker'];
const parse = (text: string | Buffer) =>
  parseControlConfig({ text, file: 'wheelhouse.yaml', controlRepo, drivers });
const messages = (text: string) => parse(text).issues.map(formatIssue);

describe('parseControlConfig: a valid file', () => {
  it('fills every default from one place for a minimal app', () => {
    const { config, issues } = parse('apps:\n  - name: web\n    path: ./apps/web/\n');
    expect(issues).toEqual([]);
    expect(config?.targets).toEqual({ local: { name: 'local', driver: 'process', options: {} } });
    expect(config?.apps).toEqual([
      {
        name: 'web',
        path: 'apps/web',
        target: 'local',
        environment: 'default',
        intervalMs: 30_000,
        sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
        source: { repo: controlRepo.url, ref: 'main', protected: false },
        sourceIsControlRepo: true,
      },
    ]);
    expect(config?.apps[0]?.sync).toEqual(SYNC_DEFAULTS);
    expect(config?.access.defaultRole).toBe('viewer');
    expect(config?.access.roles.viewer).toEqual(['read']);
    expect(config?.access.roles.admin).toContain('admin');
  });

  it('accepts an empty file as a repo with no apps', () => {
    for (const text of ['', '# nothing yet\n', 'apps:\n', '---\n---\n']) {
      const { config, issues } = parse(text);
      expect(issues).toEqual([]);
      expect(config?.apps).toEqual([]);
      expect(Object.keys(config?.targets ?? {})).toEqual(['local']);
    }
  });

  it('tolerates stray document markers around the one document', () => {
    const { config, issues } = parse('---\n# config\n---\napps:\n  - { name: web, path: apps/web }\n---\n');
    expect(issues).toEqual([]);
    expect(config?.apps.map((a) => a.name)).toEqual(['web']);
  });

  it('reads every section', () => {
    const text = `
targets:
  local: { driver: process, root: /srv/files }
  box: { driver: docker, host: "unix:///run/podman.sock" }
apps:
  - name: web
    path: apps/web
    target: box
    environment: prod
    interval: 1m30s
    sync: { auto: false, prune: false, selfHeal: false, allowEmpty: true, timeout: 10m, retries: 0 }
    source:
      repo: https://git.example.com/team/web.git
      ref: ">=1.2 <2"
      auth: { usernameEnv: GIT_USER, passwordEnv: GIT_TOKEN }
      protected: true
  - name: docs
    path: docs
    source: { ref: release }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice", "slack:U123"] }
access:
  roles: { deployer: [read, sync, lock, write, write], release: [read, sync] }
  bindings:
    - { subjects: ["web:alice", Alice], role: deployer, apps: ["*"], environments: [dev, staging] }
    - { subjects: ["slack:U999"], role: release }
  defaultRole: none
approvals:
  - { environments: [prod], commands: [sync, rollback], required: 2, expiresAfter: 2h }
notifications:
  routes:
    - { platform: web, channel: ops }
    - { platform: slack, channel: C123, apps: [web], events: ["*"] }
webhooks:
  github: { secretEnv: GH_HOOK_SECRET }
chat:
  slack: { botTokenEnv: SLACK_BOT_TOKEN, signingSecretEnv: SLACK_SIGNING_SECRET }
secretPatterns: ["hunter[0-9]+"]
`;
    const { config, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(config?.targets.box).toEqual({
      name: 'box',
      driver: 'docker',
      options: { host: 'unix:///run/podman.sock' },
    });
    expect(config?.targets.local).toEqual({
      name: 'local',
      driver: 'process',
      options: { root: '/srv/files' },
    });
    const [web, docs] = config?.apps ?? [];
    expect(web).toMatchObject({
      target: 'box',
      environment: 'prod',
      intervalMs: 90_000,
      sync: { auto: false, prune: false, selfHeal: false, allowEmpty: true, timeoutMs: 600_000, retries: 0 },
      source: {
        repo: 'https://git.example.com/team/web.git',
        ref: '>=1.2 <2',
        auth: { usernameEnv: 'GIT_USER', passwordEnv: 'GIT_TOKEN' },
        protected: true,
      },
      sourceIsControlRepo: false,
    });
    // The control repo at another ref is another source.
    expect(docs?.source).toEqual({ repo: controlRepo.url, ref: 'release', protected: false });
    expect(docs?.sourceIsControlRepo).toBe(false);
    expect(config?.people).toEqual([
      { name: 'Alice', email: 'alice@example.com', ids: ['web:alice', 'slack:U123'] },
    ]);
    expect(config?.access.roles.deployer).toEqual(['read', 'sync', 'lock', 'write']);
    expect(config?.access.roles.release).toEqual(['read', 'sync']);
    expect(config?.access.bindings[1]).toEqual({
      subjects: ['slack:U999'],
      role: 'release',
      apps: ['*'],
      environments: ['*'],
    });
    expect(config?.access.defaultRole).toBe('none');
    expect(config?.approvals).toEqual([
      {
        environments: ['prod'],
        apps: ['*'],
        commands: ['sync', 'rollback'],
        required: 2,
        expiresAfterMs: 7_200_000,
      },
    ]);
    expect(config?.notifications.routes[0]?.events).toContain('sync.failed');
    expect(config?.notifications.routes[1]).toEqual({
      platform: 'slack',
      channel: 'C123',
      apps: ['web'],
      environments: ['*'],
      events: ['*'],
    });
    expect(config?.webhooks).toEqual({ github: { secretEnv: 'GH_HOOK_SECRET' } });
    expect(config?.chat.slack).toEqual({
      botTokenEnv: 'SLACK_BOT_TOKEN',
      signingSecretEnv: 'SLACK_SIGNING_SECRET',
    });
    expect(config?.secretPatterns).toEqual(['hunter[0-9]+']);
  });
});

describe('parseControlConfig: errors name file, line:column, field and fix', () => {
  it('reports a typo in a key with a suggestion', () => {
    expect(messages('aps:\n  - name: web\n    path: apps/web\n')).toEqual([
      'wheelhouse.yaml:1:1 aps: unknown key "aps" — did you mean "apps"?',
    ]);
    expect(messages('apps:\n  - name: web\n    path: apps/web\n    sync: { selfheal: true }\n')).toEqual([
      'wheelhouse.yaml:4:13 apps[0].sync.selfheal: unknown key "selfheal" — did you mean "selfHeal"?',
    ]);
    expect(messages('colour: blue\n')[0]).toContain('allowed here: targets, apps, people');
  });

  it('reports a YAML syntax error with its position', () => {
    const issues = parse('apps:\n  - name: web\n    path: apps/web: x\n').issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      line: 3,
      column: 11,
      path: '',
      message: expect.stringMatching(/^YAML syntax error/),
    });
  });

  it('reports duplicate app names at the second one, naming the first', () => {
    expect(
      messages('apps:\n  - { name: web, path: a }\n  - { name: api, path: b }\n  - { name: web, path: c }\n'),
    ).toEqual([
      'wheelhouse.yaml:4:13 apps[2].name: duplicate app name "web" (also apps[0] at line 2) — app names must be unique',
    ]);
  });

  it('reports missing required fields with what to add', () => {
    expect(messages('apps:\n  - name: web\n')).toEqual([
      "wheelhouse.yaml:2:5 apps[0].path: is required — add `path: apps/web` (the directory of the app's manifests in its source repo)",
    ]);
    expect(messages('targets:\n  box: { host: x }\n')).toEqual([
      'wheelhouse.yaml:2:8 targets.box.driver: is required — add `driver: process` (or another registered driver)',
    ]);
  });

  it('reports wrong types without echoing text values', () => {
    expect(
      messages('apps:\n  - name: web\n    path: apps/web\n    sync: { prune: "yes", retries: many }\n'),
    ).toEqual([
      'wheelhouse.yaml:4:20 apps[0].sync.prune: must be true or false, not text',
      'wheelhouse.yaml:4:36 apps[0].sync.retries: must be a number, not text',
    ]);
    expect(messages('apps: {web: {path: x}}\n')).toEqual([
      'wheelhouse.yaml:1:7 apps: must be a list (lines starting with "- "), not a mapping',
    ]);
  });

  it('reports bad durations with the accepted forms', () => {
    const found = messages(
      'apps:\n  - { name: a, path: a, interval: 30 }\n  - { name: b, path: b, interval: soon }\n  - { name: c, path: c, interval: 10ms }\n',
    );
    expect(found).toEqual([
      'wheelhouse.yaml:2:35 apps[0].interval: a duration needs a unit: write 30s (seconds) or 30m (minutes)',
      'wheelhouse.yaml:3:35 apps[1].interval: "soon" is not a duration — write a number with a unit, e.g. 30s, 5m, 1h or 1h30m (units: ms, s, m, h, d)',
      'wheelhouse.yaml:4:35 apps[2].interval: 10ms is too short: the minimum is 1s',
    ]);
  });

  it('reports an unknown target and an unregistered driver with suggestions', () => {
    expect(
      messages(
        'targets:\n  box: { driver: dokcer }\napps:\n  - { name: web, path: a, target: bx }\n  - { name: api, path: b, target: far-away }\n',
      ),
    ).toEqual([
      'wheelhouse.yaml:2:18 targets.box.driver: unknown driver "dokcer" — did you mean "docker"?',
      'wheelhouse.yaml:4:35 apps[0].target: unknown target "bx" — did you mean "box"?',
      'wheelhouse.yaml:5:35 apps[1].target: unknown target "far-away" — declare it under targets: or use one of: local, box',
    ]);
    expect(messages('targets:\n  local: { driver: docker }\n')[0]).toContain(
      'the target "local" is built in with driver process',
    );
  });

  it('checks names, paths and references across sections', () => {
    const found = messages(`
apps:
  - { name: Web_App, path: /srv/web }
  - { name: api, path: ../outside }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
  - { name: Bob, email: not-an-email, ids: ["web:alice", "bob"] }
access:
  roles: { admin: [read], ops: [read, deploy] }
  bindings:
    - { subjects: [Alcie], role: opz, apps: [apj] }
  defaultRole: nobody
notifications:
  routes: [{ platform: slack, channel: ops, events: [sync.fail] }]
`);
    expect(found).toEqual([
      expect.stringMatching(/^wheelhouse.yaml:3:13 apps\[0\].name: "Web_App" is not a valid app name/),
      'wheelhouse.yaml:3:28 apps[0].path: "/srv/web" is absolute — write a path relative to the repo root, e.g. apps/web',
      'wheelhouse.yaml:4:24 apps[1].path: "../outside" leaves the repository with ".." — write a path relative to the repo root, e.g. apps/web',
      'wheelhouse.yaml:7:25 people[1].email: must be an email address (used as the author of commits made for this person)',
      'wheelhouse.yaml:7:45 people[1].ids[0]: the identity "web:alice" is already listed for people[0] — list it once',
      'wheelhouse.yaml:7:58 people[1].ids[1]: must be a chat identity written platform:id, e.g. "slack:U123" or "web:alice"',
      'wheelhouse.yaml:9:12 access.roles.admin: the role "admin" is built in (every permission) — use another name',
      'wheelhouse.yaml:9:39 access.roles.ops[1]: "deploy" is not allowed — use one of: read, sync, lock, write, approve, build, admin',
      'wheelhouse.yaml:11:20 access.bindings[0].subjects[0]: "Alcie" is neither a chat identity (platform:id, e.g. "slack:U123") nor a person\'s name from people — did you mean "Alice"?',
      'wheelhouse.yaml:11:34 access.bindings[0].role: unknown role "opz" — did you mean "ops"?',
      'wheelhouse.yaml:11:46 access.bindings[0].apps[0]: no app is named "apj" — did you mean "api"?',
      'wheelhouse.yaml:12:16 access.defaultRole: unknown role "nobody" — define it under access.roles or use one of: none, viewer, deployer, approver, admin, ops',
      'wheelhouse.yaml:14:24 notifications.routes[0].platform: routes to slack need a chat.slack section — add it (see docs/configuration.md) or route to web',
      'wheelhouse.yaml:14:54 notifications.routes[0].events[0]: "sync.fail" is not allowed — did you mean "sync.failed"?',
    ]);
  });

  it('names environment variables for secrets and never echoes a secret', () => {
    const secret = 'ghp_R3allyS3cretT0ken';
    const { issues } = parse(`
apps:
  - name: web
    path: apps/web
    source:
      repo: https://deploy:${secret}@git.example.com/team/web.git
      ref: main
      auth: { passwordEnv: ${secret}, token: ${secret} }
webhooks:
  github: { secretEnv: ${secret} }
chat:
  irc: { password: ${secret} }
`);
    expect(issues.map((i) => i.path)).toEqual([
      'apps[0].source.repo',
      'apps[0].source.auth.passwordEnv',
      'apps[0].source.auth.token',
      'webhooks.github.secretEnv',
      'chat.irc.password',
    ]);
    for (const issue of issues) expect(issue.message).not.toContain(secret);
    expect(issues[1]?.message).toContain('must name an environment variable');
    expect(issues[2]?.message).toContain('unknown key "token"');
    expect(issues[4]?.message).toContain('put it in an environment variable');
  });

  it('refuses sources that would reach git as options or carry credentials', () => {
    const found = messages(`apps:
  - { name: a, path: a, source: { repo: "-oProxyCommand=x", ref: "--upload-pack=x" } }
  - { name: b, path: b, source: { repo: "https://tok@git.example.com/x.git", ref: main } }
  - { name: c, path: c, source: { repo: "ftp://git.example.com/x", ref: main } }
  - { name: d, path: d, source: { repo: "git@git.example.com:x/y.git", ref: main, auth: { sshKeyFile: /k, sshKeyFileEnv: KEY } } }
  - { name: e, path: e, source: { repo: "ssh://git@git.example.com/x/y.git", ref: v1.2.0 } }
webhooks: { github: {} }
approvals: [{ required: 1.5 }]
`);
    expect(found).toEqual([
      expect.stringContaining("apps[0].source.repo: is not a usable repo URL: it starts with '-'"),
      expect.stringContaining('apps[0].source.ref: is not a valid ref'),
      expect.stringContaining('apps[1].source.repo: the URL carries a user name, password or token'),
      expect.stringContaining(
        "apps[2].source.repo: is not a usable repo URL: the scheme 'ftp' is not supported",
      ),
      expect.stringContaining(
        'apps[3].source.auth.sshKeyFileEnv: give either sshKeyFile or sshKeyFileEnv, not both',
      ),
      expect.stringContaining('webhooks.github.secretEnv: is required — add `secretEnv: GH_HOOK_SECRET`'),
      expect.stringContaining('approvals[0].required: must be a whole number, not the number 1.5'),
    ]);
  });

  it('reports all errors of a file, not only the first, in file order', () => {
    const found = parse(`aps: []
apps:
  - name: web
    path: apps/web
    interval: fast
  - name: web
    target: nowhere
secretPatterns: ["(unclosed"]
`).issues;
    expect(found.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      '1:1 aps',
      '5:15 apps[0].interval',
      '6:5 apps[1].path',
      '6:11 apps[1].name',
      '7:13 apps[1].target',
      '8:18 secretPatterns[0]',
    ]);
  });

  it('never throws and refuses hostile files: too big, alias bomb, deep nesting, bad bytes, several documents', () => {
    const big = parse(`apps: []\n# ${'x'.repeat(16 * 1024 * 1024)}\n`);
    expect(big.config).toBeUndefined();
    expect(big.issues[0]?.message).toContain('over the 16 MiB limit');

    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `b${i}: &b${i} [${Array(10)
          .fill(i === 1 ? '*a' : `*b${i - 1}`)
          .join(', ')}]`,
      );
    expect(parse(bomb.join('\n')).issues[0]?.message).toContain('alias bomb');

    expect(parse(`apps: ${'['.repeat(1000)}${']'.repeat(1000)}`).issues[0]?.message).toContain(
      'deeper than 64 levels',
    );
    expect(parse(Buffer.from([0x61, 0x70, 0x70, 0x73, 0x3a, 0x20, 0xfe, 0x0a])).issues[0]).toMatchObject({
      line: 1,
      column: 7,
      message: expect.stringContaining('not valid UTF-8'),
    });
    expect(parse('apps: []\n---\napps: []\n').issues[0]?.message).toContain('takes exactly one');
    expect(parse('- just\n- a list\n').issues[0]?.message).toBe(
      'must be a mapping (key: value lines), not a list',
    );
  });

  it("takes 10,000 apps with an environment, a sync policy and an interval each (over one manifest's limits)", () => {
    const apps = Array.from(
      { length: 10_000 },
      (_, i) =>
        `  - name: app-${String(i).padStart(5, '0')}\n    path: apps/app-${i}\n    environment: env-${i % 20}\n    interval: 5m\n    sync: { auto: false, prune: true, selfHeal: false }\n`,
    );
    const text = `apps:\n${apps.join('')}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024); // a manifest's size limit
    const parsed = parse(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.config?.apps).toHaveLength(10_000);
    expect(parsed.config?.apps[9_999]).toMatchObject({ name: 'app-09999', environment: 'env-19' });
  });
});
