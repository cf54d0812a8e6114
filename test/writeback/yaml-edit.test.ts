import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findAppIndex, findResource } from '../../src/writeback/manifests.js';
import { formatScalar, plainSafe, setYamlValue } from '../../src/writeback/yaml-edit.js';

const manifest = `# The web service
apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node",   "server.js"]   # argv, never a shell
  env: { PORT: "8080", GREETING: 'hi' }
  replicas: 1  # scale me
---
# a file
kind: File
metadata:
  name: motd
spec: {path: motd.txt, content: hello}
`;

describe('YAML edits keep comments and formatting', () => {
  it('replaces an existing value in place and leaves every other byte', () => {
    const out = setYamlValue(manifest, 'web.yaml', 0, ['spec', 'replicas'], 3);
    expect(out).toBe(manifest.replace('replicas: 1  # scale me', 'replicas: 3  # scale me'));
  });

  it('keeps the quoting style of the old value', () => {
    const out = setYamlValue(manifest, 'web.yaml', 0, ['spec', 'env', 'GREETING'], "it's");
    expect(out).toContain(`GREETING: 'it''s' }`);
    const port = setYamlValue(manifest, 'web.yaml', 0, ['spec', 'env', 'PORT'], '9090');
    expect(port).toContain('PORT: "9090"');
  });

  it('adds a key to a flow map without touching the rest', () => {
    const out = setYamlValue(manifest, 'web.yaml', 0, ['spec', 'env', 'LOG_LEVEL'], 'debug');
    expect(out).toBe(manifest.replace(`GREETING: 'hi' }`, `GREETING: 'hi', LOG_LEVEL: debug }`));
    expect(parse(out.split('---')[0] ?? '').spec.env.LOG_LEVEL).toBe('debug');
  });

  it('adds keys (and missing parents) to a block map at the siblings’ indentation', () => {
    const control =
      'apps:\n  - name: web   # the site\n    path: apps/web\n  - name: api\n    path: apps/api\n';
    const out = setYamlValue(control, 'wheelhouse.yaml', 0, ['apps', 0, 'sync', 'auto'], false);
    expect(out).toBe(
      'apps:\n  - name: web   # the site\n    path: apps/web\n    sync:\n      auto: false\n  - name: api\n    path: apps/api\n',
    );
    expect(parse(out).apps[0].sync.auto).toBe(false);
  });

  it('quotes strings that would read back as something else', () => {
    for (const value of ['8080', 'yes', 'on', 'a: b', '#x', ' padded', '', 'true', '1e3', 'null']) {
      expect(plainSafe(value)).toBe(false);
      expect(parse(`v: ${formatScalar(value)}`).v).toBe(value);
    }
    expect(formatScalar('debug')).toBe('debug');
    const out = setYamlValue('spec:\n  env:\n    A: x\n', 'f', 0, ['spec', 'env', 'B'], '0644');
    expect(parse(out).spec.env.B).toBe('0644');
  });

  it('edits the right document of a multi-document file', () => {
    const out = setYamlValue(manifest, 'web.yaml', 1, ['spec', 'content'], 'bye');
    expect(out).toBe(manifest.replace('content: hello', 'content: bye'));
  });

  it('refuses a file that does not parse, naming it', () => {
    expect(() => setYamlValue('a: [1,\n', 'apps/web/bad.yaml', 0, ['a'], 1)).toThrow(
      /apps\/web\/bad\.yaml.*does not parse/,
    );
  });
});

describe('finding what to edit', () => {
  const files = [
    { path: 'apps/web/web.yaml', text: manifest },
    { path: 'apps/web/.hidden/x.yaml', text: 'kind: Process\nmetadata: {name: web}\n' },
    { path: 'apps/web/README.md', text: '# not yaml' },
  ];

  it('finds a resource by kind and name, ignoring dotfiles', () => {
    expect(findResource(files, 'Process', 'web', 'web')).toMatchObject({
      path: 'apps/web/web.yaml',
      docIndex: 0,
    });
    expect(findResource(files, 'File', 'motd', 'web').docIndex).toBe(1);
  });

  it('finds a Kubernetes workload among several scalable kinds, keeping the file as written', () => {
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api # the API\nspec:\n  replicas: 3\n';
    const kube = [{ path: 'apps/shop/api.yaml', text: deployment }];
    const found = findResource(kube, ['Process', 'Deployment', 'StatefulSet'], 'api', 'shop');
    expect(found).toMatchObject({ path: 'apps/shop/api.yaml', docIndex: 0 });
    expect(setYamlValue(deployment, found.path, found.docIndex, ['spec', 'replicas'], 5)).toBe(
      deployment.replace('replicas: 3', 'replicas: 5'),
    );
    expect(() => findResource(kube, ['Process', 'Deployment', 'StatefulSet'], 'web', 'shop')).toThrow(
      /declares no Process or Deployment or StatefulSet named web; it has api/,
    );
  });

  it('says what exists when the name is wrong', () => {
    expect(() => findResource(files, 'Process', 'wbe', 'web')).toThrow(
      /declares no Process named wbe; it has web/,
    );
  });

  it('finds an app in wheelhouse.yaml', () => {
    expect(findAppIndex('apps:\n  - name: a\n  - name: b\n', 'wheelhouse.yaml', 'b')).toBe(1);
    expect(() => findAppIndex('apps: []\n', 'wheelhouse.yaml', 'b')).toThrow(/no app named b/);
  });
});
