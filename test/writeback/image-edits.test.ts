import { describe, expect, it } from 'vitest';
import { setImageReferences } from '../../src/writeback/index.js';

describe('write-back: image references', () => {
  it('rewrites every image: of the repository in manifests and Compose files, keeping comments and others', () => {
    const text = `# the shop
apiVersion: wheelhouse/v1
kind: Container
metadata: { name: web }
spec:
  image: 127.0.0.1:5000/shop/web:1.0.0 # pinned by the bot
---
services:
  web:
    image: "127.0.0.1:5000/shop/web:1.0.0"
  db:
    image: 127.0.0.1:5000/shop/web-db:1.0.0
  side:
    containers:
      - image: 127.0.0.1:5000/shop/web@sha256:aaa
`;
    const { text: out, changed } = setImageReferences(
      text,
      'apps/web/app.yaml',
      '127.0.0.1:5000/shop/web',
      () => '127.0.0.1:5000/shop/web:1.2.0',
    );
    expect(changed).toEqual([
      { from: '127.0.0.1:5000/shop/web:1.0.0', to: '127.0.0.1:5000/shop/web:1.2.0' },
      { from: '127.0.0.1:5000/shop/web:1.0.0', to: '127.0.0.1:5000/shop/web:1.2.0' },
      { from: '127.0.0.1:5000/shop/web@sha256:aaa', to: '127.0.0.1:5000/shop/web:1.2.0' },
    ]);
    expect(out).toContain('  image: 127.0.0.1:5000/shop/web:1.2.0 # pinned by the bot');
    expect(out).toContain('    image: "127.0.0.1:5000/shop/web:1.2.0"');
    expect(out).toContain('image: 127.0.0.1:5000/shop/web-db:1.0.0');
    expect(out.startsWith('# the shop\n')).toBe(true);
  });

  it('leaves a file without the image alone', () => {
    const text = 'spec:\n  image: nginx:1\n';
    expect(setImageReferences(text, 'a.yaml', 'shop/web', () => 'x')).toEqual({ text, changed: [] });
  });
});
