// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files write ${VAR} literally; these strings are compose text, not templates
import { describe, expect, it } from 'vitest';
import type { AppSpec, SourceFile, ValidationIssue } from '../../../src/core/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { COMPOSE_FILE_NAMES, composeRenderer } from '../../../src/render/compose/index.js';
import { plainManifestRenderer, renderApp } from '../../../src/render/index.js';

const app = (overrides: Partial<AppSpec> = {}): AppSpec => ({
  name: 'shop',
  path: 'apps/shop',
  target: 'box',
  environment: 'prod',
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
  ...overrides,
});

const files = (tree: Record<string, string>): SourceFile[] =>
  Object.entries(tree).map(([path, text]) => ({ path, content: Buffer.from(text) }));

/** Render one compose file (plus neighbours) the way the engine does, with the docker kinds. */
function render(compose: string, others: Record<string, string> = {}) {
  return renderApp({
    app: app(),
    driver: 'docker',
    files: files({ 'apps/shop/compose.yaml': compose, ...others }),
    kinds: createKindRegistry(),
    renderers: [composeRenderer, plainManifestRenderer],
  });
}

/** Render only through the compose renderer (raw resources, before the kinds fill defaults). */
function raw(compose: string, others: Record<string, string> = {}) {
  const all = files({ 'apps/shop/compose.yaml': compose, ...others });
  const [file] = all;
  if (!file) throw new Error('no file');
  return composeRenderer.render(file, { files: all, app: 'shop' });
}

const where = (issue: ValidationIssue) => `${issue.file}:${issue.line}:${issue.column} ${issue.path}`;

describe('compose renderer', () => {
  it('claims compose file names only', () => {
    for (const name of COMPOSE_FILE_NAMES) expect(composeRenderer.claims(`apps/shop/${name}`)).toBe(true);
    expect(composeRenderer.claims('compose.yaml')).toBe(true);
    expect(composeRenderer.claims('apps/shop/deploy.yaml')).toBe(false);
    // Read with the compose file it overrides, never as a plain manifest.
    expect(composeRenderer.claims('apps/shop/compose.override.yaml')).toBe(true);
  });

  it('turns every supported key into Container, Network and Volume resources', () => {
    const { resources, issues } = render(
      `version: "3.9"
name: shop
x-common: &common
  restart: unless-stopped
services:
  web:
    <<: *common
    image: registry.example.com/shop/web:1.4.2
    command: ["serve", "--port", "8080"]
    entrypoint: /usr/bin/tini -- "/app/start.sh"
    environment:
      MODE: production
      WORKERS: 4
      DEBUG: false
    env_file: web.env
    ports:
      - "8080:8080"
      - target: 9090
        published: 19090
        host_ip: 0.0.0.0
        protocol: tcp
    volumes:
      - uploads:/srv/uploads
      - /etc/ssl/certs:/etc/ssl/certs:ro
      - type: tmpfs
        target: /tmp
        tmpfs: { size: 64m }
    networks:
      front:
      back:
        aliases: [shop-web]
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 10s
      timeout: 2s
      retries: 5
      start_period: 1m30s
    labels:
      team: shop
    deploy:
      replicas: 1
      resources:
        limits: { cpus: "0.5", memory: 256M }
    user: "1000:1000"
    working_dir: /srv
    pull_policy: always
    stop_signal: SIGINT
    stop_grace_period: 1500ms
  db:
    image: postgres:16
    environment:
      - POSTGRES_DB=shop
      - POSTGRES_PASSWORD=\${DB_PASSWORD}
    volumes: [pgdata:/var/lib/postgresql/data]
    networks: [back]
    restart: on-failure:3
    mem_limit: 1g
    cpus: 2
    healthcheck:
      test: pg_isready -U postgres
  tools:
    image: busybox
    network_mode: host
    scale: 0
  worker:
    image: busybox
    networks: [back]
    deploy: { replicas: 3 }
networks:
  front: {}
  back:
    driver: bridge
    internal: true
    enable_ipv6: false
    driver_opts: { com.docker.network.bridge.name: shopback }
    labels: [tier=data]
volumes:
  uploads:
  pgdata:
    driver: local
    driver_opts: { type: none }
    labels: { backup: nightly }
`,
      {
        'apps/shop/web.env':
          '# web settings\nexport LOG_LEVEL=info\nGREETING="hello\\nworld"\nRAW=\'$not #expanded\'\nSESSION_SECRET\n',
      },
    );
    expect(issues).toEqual([]);
    expect(resources.map((r) => `${r.key} wave=${r.wave}`)).toEqual([
      'box/Container/shop/db wave=0',
      'box/Container/shop/tools wave=0',
      'box/Container/shop/web wave=1',
      'box/Container/shop/worker wave=0',
      'box/Network/shop/back wave=0',
      'box/Network/shop/front wave=0',
      'box/Volume/shop/pgdata wave=0',
      'box/Volume/shop/uploads wave=0',
    ]);
    const byName = Object.fromEntries(resources.map((r) => [`${r.kind}/${r.metadata.name}`, r]));
    expect(byName['Container/web']?.spec).toEqual({
      image: 'registry.example.com/shop/web:1.4.2',
      command: ['serve', '--port', '8080'],
      entrypoint: ['/usr/bin/tini', '--', '/app/start.sh'],
      env: {
        MODE: 'production',
        WORKERS: '4',
        DEBUG: 'false',
        LOG_LEVEL: 'info',
        GREETING: 'hello\nworld',
        RAW: '$not #expanded',
      },
      secretEnv: { SESSION_SECRET: { fromEnv: 'SESSION_SECRET' } },
      ports: [
        { containerPort: 8080, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' },
        { containerPort: 9090, hostPort: 19090, hostIp: '0.0.0.0', protocol: 'tcp' },
      ],
      volumes: [
        { type: 'volume', source: 'uploads', target: '/srv/uploads', readOnly: false, external: false },
        { type: 'bind', source: '/etc/ssl/certs', target: '/etc/ssl/certs', readOnly: true },
        { type: 'tmpfs', target: '/tmp', size: 64 * 1024 * 1024 },
      ],
      networks: [
        { name: 'front', aliases: [], external: false },
        { name: 'back', aliases: ['shop-web'], external: false },
      ],
      networkMode: 'bridge',
      labels: { team: 'shop' },
      restart: 'unless-stopped',
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'],
        intervalSeconds: 10,
        timeoutSeconds: 2,
        retries: 5,
        startPeriodSeconds: 90,
      },
      replicas: 1,
      cpus: 0.5,
      memory: 256 * 1024 * 1024,
      user: '1000:1000',
      workingDir: '/srv',
      pullPolicy: 'Always',
      stopSignal: 'SIGINT',
      stopTimeoutSeconds: 2,
    });
    expect(byName['Container/web']?.metadata.annotations).toEqual({ 'wheelhouse/wave': '1' });
    expect(byName['Container/db']?.spec).toMatchObject({
      env: { POSTGRES_DB: 'shop' },
      secretEnv: { POSTGRES_PASSWORD: { fromEnv: 'DB_PASSWORD' } },
      volumes: [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }],
      networks: [{ name: 'back', aliases: [], external: false }],
      restart: 'on-failure',
      restartMaxRetries: 3,
      memory: 1024 ** 3,
      cpus: 2,
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U postgres'] },
    });
    expect(byName['Container/tools']?.spec).toMatchObject({
      networkMode: 'host',
      networks: [],
      replicas: 0,
      restart: 'no',
    });
    expect(byName['Network/back']?.spec).toEqual({
      driver: 'bridge',
      internal: true,
      ipv6: false,
      options: { 'com.docker.network.bridge.name': 'shopback' },
      labels: { tier: 'data' },
    });
    expect(byName['Volume/pgdata']?.spec).toEqual({
      driver: 'local',
      options: { type: 'none' },
      labels: { backup: 'nightly' },
    });
    expect(byName['Container/web']?.origin).toEqual({ file: 'apps/shop/compose.yaml', line: 6, column: 3 });
    expect(byName['Network/back']?.origin).toEqual({ file: 'apps/shop/compose.yaml', line: 74, column: 3 });
  });

  it('reports every unsupported key by name with file:line:column, with a suggestion for typos', () => {
    const result = raw(`services:
  web:
    image: nginx
    enviroment:
      A: "1"
    pid: host
    deploy:
      replicas: 2
      placement: { constraints: [node.role==manager] }
    healthcheck:
      test: ["CMD", "true"]
      start_interval: 1s
    ports:
      - target: 80
        mode: ingress
secrets:
  token: { external: true }
`);
    expect(result.issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      "apps/shop/compose.yaml:17:12 secrets.token.external: external secrets are Swarm objects — use file: (in the repository) or environment: (from Wheelhouse's environment)",
      'apps/shop/compose.yaml:4:5 services.web.enviroment: "enviroment" is not supported in services.web of a compose file for Wheelhouse — remove it — did you mean "environment"?',
      'apps/shop/compose.yaml:6:5 services.web.pid: "pid" is not supported in services.web of a compose file for Wheelhouse — remove it',
      'apps/shop/compose.yaml:15:9 services.web.ports[0].mode: "mode" is not supported in services.web.ports[0] of a compose file for Wheelhouse — remove it',
      'apps/shop/compose.yaml:9:7 services.web.deploy.placement: "placement" is not supported in services.web.deploy of a compose file for Wheelhouse — remove it',
    ]);
  });

  it('reads build: as a directory of the repository; a context outside it is reported where it is written', () => {
    const ok = raw(`services:
  api:
    build:
      context: ../api
      dockerfile: Containerfile
      target: final
      args: [VERSION=1.2]
      labels: { team: shop }
    pull_policy: build
  short:
    build: .
`);
    expect(ok.issues).toEqual([]);
    const specs = ok.documents.filter((d) => d.resource.kind === 'Container').map((d) => d.resource.spec);
    expect(specs.map((s) => s.build)).toEqual([
      {
        context: 'apps/api',
        dockerfile: 'Containerfile',
        target: 'final',
        args: { VERSION: '1.2' },
        labels: { team: 'shop' },
      },
      { context: 'apps/shop' },
    ]);
    const bad = raw(`services:
  api:
    build: https://example.com/repo.git
  up:
    build: { context: ../../.., ssh: [default] }
`);
    expect(bad.issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      'apps/shop/compose.yaml:3:12 services.api.build: build context "https://example.com/repo.git" is not a directory of this repository — Wheelhouse builds from the synced revision; write a path relative to the compose file',
      'apps/shop/compose.yaml:5:33 services.up.build.ssh: "ssh" is not supported — the build runs on the target engine, which has no agent to forward',
      'apps/shop/compose.yaml:5:23 services.up.build.context: build context "../../.." climbs above the repository root — keep it inside the repository',
    ]);
  });

  it('reads env_file entries in order under environment, with their own positions for problems', () => {
    const ok = raw(
      `services:
  app:
    image: app
    env_file:
      - common.env
      - path: ./local.env
        required: false
      - ../shared/site.env
    environment:
      B: from-compose
`,
      {
        'apps/shop/common.env': 'A=common\nB=common\nC="quoted # not a comment"\nD=value # comment\n',
        'apps/shared/site.env': 'A=site\n',
      },
    );
    expect(ok.issues).toEqual([]);
    expect(ok.documents[0]?.resource.spec.env).toEqual({
      A: 'site',
      B: 'from-compose',
      C: 'quoted # not a comment',
      D: 'value',
    });

    const bad = raw(
      `services:
  app:
    image: app
    env_file: [missing.env, broken.env]
`,
      { 'apps/shop/broken.env': 'GOOD=1\nnot valid line\nQ="never closed\n' },
    );
    expect(bad.issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      'apps/shop/compose.yaml:4:16 services.app.env_file[0]: env file "missing.env" is not in the app\'s files (looked for apps/shop/missing.env) — add it to the repository, fix the path, or mark it required: false',
      'apps/shop/broken.env:2:1 : "not valid line" is not a variable name — write KEY=VALUE',
      'apps/shop/broken.env:3:1 : the double-quoted value is never closed (multi-line values are not supported)',
    ]);
  });

  it('orders services by depends_on with waves, and reports unknown services and cycles', () => {
    const ordered = render(`services:
  web:
    image: web
    depends_on: [api, cache]
  api:
    image: api
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
  migrate:
    image: migrate
    depends_on: { db: { condition: service_healthy } }
  db:
    image: postgres
    healthcheck: { test: pg_isready }
  cache:
    image: redis
`);
    expect(ordered.issues).toEqual([]);
    const annotations = Object.fromEntries(
      ordered.resources.map((r) => [r.metadata.name, r.metadata.annotations]),
    );
    expect(annotations.migrate).toEqual({ 'wheelhouse/wave': '1', 'wheelhouse/ready': 'completed' });
    expect(annotations.db).toBeUndefined();
    expect(
      Object.fromEntries(
        ordered.resources.filter((r) => r.kind === 'Container').map((r) => [r.metadata.name, r.wave]),
      ),
    ).toEqual({
      api: 2,
      cache: 0,
      db: 0,
      migrate: 1,
      web: 3,
    });

    const broken = raw(`services:
  a:
    image: a
    depends_on: [b, ghost]
  b:
    image: b
    depends_on:
      a: { condition: service_started }
  c:
    image: c
    depends_on:
      c: { condition: service_ready }
  d:
    image: d
    depends_on:
      b: { condition: service_healthy }
`);
    expect(broken.issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      'apps/shop/compose.yaml:12:23 services.c.depends_on.c.condition: must be one of service_started, service_healthy, service_completed_successfully',
      'apps/shop/compose.yaml:8:7 services.b.depends_on.a: depends_on forms a cycle: a -> b -> a — remove one of these dependencies',
      'apps/shop/compose.yaml:4:21 services.a.depends_on[1]: depends on "ghost", which is not a service in this file',
      'apps/shop/compose.yaml:16:23 services.d.depends_on.b.condition: waits for "b" to be healthy, but b has no healthcheck — add one to b or use condition: service_started',
    ]);
  });

  it('interpolates from .env, turns whole ${VAR} environment values into secrets, and reports unset variables', () => {
    const result = raw(
      `services:
  app:
    image: registry/app:\${TAG}
    ports: ["\${PORT:-8080}:80"]
    environment:
      URL: http://\${HOST}:\${PORT:-8080}/
      PRICE: $$5
      API_KEY: \${API_KEY}
      FROM_DOTENV: \${TAG}
      PASSTHROUGH:
    labels:
      owner: \${OWNER:?set OWNER in .env}
      missing: \${NOPE}
`,
      { 'apps/shop/.env': 'TAG=2.1\nHOST=example.test\n' },
    );
    const spec = result.documents[0]?.resource.spec;
    expect(spec?.image).toBe('registry/app:2.1');
    expect(spec?.ports).toEqual([{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }]);
    expect(spec?.env).toEqual({ URL: 'http://example.test:8080/', PRICE: '$5', FROM_DOTENV: '2.1' });
    expect(spec?.secretEnv).toEqual({
      API_KEY: { fromEnv: 'API_KEY' },
      PASSTHROUGH: { fromEnv: 'PASSTHROUGH' },
    });
    expect(result.issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      'apps/shop/compose.yaml:12:14 services.app.labels.owner: variable OWNER is required: set OWNER in .env',
      expect.stringMatching(
        /^apps\/shop\/compose.yaml:13:16 services.app.labels.missing: variable NOPE is not set — define it in the .env file/,
      ),
    ]);
  });

  it('parses port and volume forms, reads ~ as home and ./ as a path of the repository, and refuses one above its root and undeclared volumes', () => {
    const result = raw(`services:
  app:
    image: app
    ports:
      - 3000
      - "3000-3001:4000-4001"
      - "127.0.0.1::5000"
      - "[::1]:6000:6000/udp"
      - "1:2:3:4"
    volumes:
      - /data
      - cache:/cache:ro
      - ./config:/etc/app
      - undeclared:/x
      - ../../../up:/up
      - type: bind
        source: ~/secrets
        target: /secrets
volumes:
  cache:
    external: true
    name: shared-cache
`);
    const spec = result.documents[0]?.resource.spec;
    expect(spec?.ports).toEqual([
      { containerPort: 3000, protocol: 'tcp' },
      { containerPort: 4000, hostPort: 3000, protocol: 'tcp' },
      { containerPort: 4001, hostPort: 3001, protocol: 'tcp' },
      { containerPort: 5000, hostIp: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 6000, hostPort: 6000, hostIp: '::1', protocol: 'udp' },
    ]);
    expect(spec?.volumes).toEqual([
      { type: 'volume', target: '/data', readOnly: false },
      { type: 'volume', source: 'shared-cache', target: '/cache', readOnly: true, external: true },
      // ./ is a path of the repository, relative to the compose file (copied and mounted by the driver).
      { type: 'repo', source: 'apps/shop/config', target: '/etc/app', readOnly: false },
      // ~ is the engine user's home, as in Compose.
      { type: 'bind', source: '~/secrets', target: '/secrets', readOnly: false },
    ]);
    expect(result.issues.map((i) => [where(i), i.message])).toEqual([
      [
        'apps/shop/compose.yaml:9:9 services.app.ports[4]',
        expect.stringMatching(/^"1:2:3:4" is not a port mapping — write CONTAINER, HOST:CONTAINER/),
      ],
      [
        'apps/shop/compose.yaml:14:9 services.app.volumes[3]',
        'volume "undeclared" is not declared — add it under the top-level volumes: key',
      ],
      [
        'apps/shop/compose.yaml:15:9 services.app.volumes[4]',
        '"../../../up" climbs above the repository root — mount a file or directory inside the repository',
      ],
    ]);
    expect(result.documents.map((d) => d.resource.kind)).toEqual(['Container', 'Network']);
  });

  it('joins services to the default network unless told otherwise; external networks keep their names', () => {
    const result = render(`services:
  a:
    image: a
  b:
    image: b
    networks: [edge]
networks:
  edge:
    external: true
    name: proxy_edge
`);
    expect(result.issues).toEqual([]);
    const spec = (name: string) => result.resources.find((r) => r.metadata.name === name)?.spec;
    expect(spec('a')?.networks).toEqual([{ name: 'default', aliases: [], external: false }]);
    expect(spec('b')?.networks).toEqual([{ name: 'proxy_edge', aliases: [], external: true }]);
    expect(result.resources.filter((r) => r.kind === 'Network').map((r) => r.metadata.name)).toEqual([
      'default',
    ]);

    const noDefault = render(`services:
  a:
    image: a
    network_mode: host
`);
    expect(noDefault.resources.map((r) => r.kind)).toEqual(['Container']);
  });

  it('reports names Compose refuses, missing images and bad shapes', () => {
    const result = raw(`name: other
services:
  "my service":
    image: x
  worker:
    command: run
  web:
    image: [not, a, string]
    restart: sometimes
    network_mode: service:db
    healthcheck:
      interval: soon
networks:
  bad/net: {}
`);
    expect(result.issues.map((i) => [where(i), i.message])).toEqual([
      [
        'apps/shop/compose.yaml:1:7 name',
        'the project name is the app\'s name ("shop") — remove name: or set it to shop',
      ],
      [
        'apps/shop/compose.yaml:14:3 networks["bad/net"]',
        'network name "bad/net" is not a valid Compose name — use only letters, digits, "_", "." and "-"',
      ],
      [
        'apps/shop/compose.yaml:3:3 services["my service"]',
        'service name "my service" is not a valid Compose name — use only letters, digits, "_", "." and "-"',
      ],
      [
        'apps/shop/compose.yaml:5:3 services.worker',
        'service "worker" has no image — set image: to the image to run',
      ],
      [
        'apps/shop/compose.yaml:8:12 services.web.image',
        'must be an image reference such as nginx:1.27, not a list',
      ],
      [
        'apps/shop/compose.yaml:10:19 services.web.network_mode',
        'network_mode "service:db" is not supported — use host, none or bridge, or networks:',
      ],
      [
        'apps/shop/compose.yaml:9:14 services.web.restart',
        'must be "no", always, unless-stopped, on-failure or on-failure:N',
      ],
      [
        'apps/shop/compose.yaml:12:7 services.web.healthcheck.test',
        'needs a test: a command line, or a list starting with CMD or CMD-SHELL',
      ],
    ]);
  });

  it('points a spec problem found by the Container kind at the compose line it came from', () => {
    const { issues } = render(`services:
  app:
    image: app
    working_dir: relative/dir
    labels:
      wheelhouse.app: stolen
`);
    expect(issues.map((i) => `${where(i)}: ${i.message}`)).toEqual([
      'apps/shop/compose.yaml:4:18 spec.workingDir: must be an absolute path (starting with "/")',
      'apps/shop/compose.yaml:6:7 spec.labels: label keys starting with "wheelhouse." are reserved for ownership labels; rename them',
    ]);
  });

  it('passes YAML problems through and refuses an empty file', () => {
    const syntax = raw('services:\n  a:\n    image: [oops\n');
    expect(syntax.documents).toEqual([]);
    expect(syntax.issues[0]).toMatchObject({
      file: 'apps/shop/compose.yaml',
      line: expect.any(Number),
      path: '',
    });
    expect(raw('').issues.map((i) => i.message)).toEqual(['is empty — a compose file needs services:']);
    expect(raw('networks: {}\n').issues.map((i) => i.message)).toEqual([
      'has no services: — declare at least one service',
    ]);
    expect(raw('services:\n  a:\n    image: a\n---\nservices: {}\n').issues[0]?.message).toMatch(
      /takes exactly one/,
    );
  });
});

describe('docs/docker-driver.md', () => {
  it('its Compose example renders without issues', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/docker-driver.md', import.meta.url), 'utf8');
    const start = doc.indexOf('`apps/shop/compose.yaml`:');
    const block = /```yaml\n([\s\S]*?)```/.exec(doc.slice(start))?.[1];
    expect(block).toContain('services:');
    const { resources, issues } = render(block ?? '');
    expect(issues).toEqual([]);
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}@${r.wave}`)).toEqual([
      'Container/db@0',
      'Container/web@1',
      'Network/default@0',
      'Volume/pgdata@0',
    ]);
  });
});

describe('wave annotation', () => {
  it('is the one renderApp reads', async () => {
    const { WAVE_ANNOTATION } = await import('../../../src/render/index.js');
    const out = raw('services:\n  a:\n    image: a\n    depends_on: [b]\n  b:\n    image: b\n');
    expect(Object.keys(out.documents[0]?.resource.metadata.annotations ?? {})).toEqual([WAVE_ANNOTATION]);
  });
});
