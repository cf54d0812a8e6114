import { describe, expect, it } from 'vitest';
import { WheelhouseError } from '../../../src/core/index.js';
import type { KubeObject } from '../../../src/drivers/kubernetes/kube-object.js';
import {
  applyIgnoreDifferences,
  type IgnoreRule,
  normalizeLive,
  parseJsonPointer,
  secretDataRedacted,
} from '../../../src/drivers/kubernetes/normalize.js';
import { loadObject } from './load-fixture.js';

const live = (): KubeObject => loadObject('normalize/deployment-live.yaml');

describe('normalizeLive', () => {
  it('drops status, server-set metadata and tool annotations, keeping what Git declares', () => {
    const normalized = normalizeLive(live());
    expect(normalized.status).toBeUndefined();
    expect(normalized.metadata).toEqual({
      name: 'web',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'wheelhouse' },
      annotations: { 'example.com/owner': 'team-shop' },
    });
    expect(normalized.spec).toEqual(live().spec);
  });

  it('drops label and annotation maps left empty', () => {
    const obj = live();
    obj.metadata.annotations = {
      'deployment.kubernetes.io/revision': '9',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    obj.metadata.labels = {};
    const meta = normalizeLive(obj).metadata;
    expect('annotations' in meta).toBe(false);
    expect('labels' in meta).toBe(false);
  });

  it('does not change its input', () => {
    const obj = live();
    const before = structuredClone(obj);
    normalizeLive(obj);
    expect(obj).toEqual(before);
  });
});

describe('applyIgnoreDifferences', () => {
  const replicas: IgnoreRule = { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] };

  it('removes the pointed fields of matching objects only', () => {
    expect(applyIgnoreDifferences(live(), [replicas]).spec?.replicas).toBeUndefined();
    const otherGroup = { ...replicas, group: '' };
    const otherName = { ...replicas, name: 'api' };
    const otherNamespace = { ...replicas, namespace: 'default' };
    for (const rule of [otherGroup, otherName, otherNamespace]) {
      expect(applyIgnoreDifferences(live(), [rule]).spec?.replicas).toBe(5);
    }
    const everySelector = { ...replicas, name: 'web', namespace: 'shop' };
    expect(applyIgnoreDifferences(live(), [everySelector]).spec?.replicas).toBeUndefined();
  });

  it('makes desired and live equal where only ignored fields differ', () => {
    const desired = normalizeLive(live());
    if (desired.spec === undefined) throw new Error('fixture has no spec');
    desired.spec.replicas = 2;
    const rules = [replicas];
    expect(applyIgnoreDifferences(desired, rules)).toEqual(
      applyIgnoreDifferences(normalizeLive(live()), rules),
    );
  });

  it('unescapes ~1 and ~0 and indexes arrays', () => {
    const rule: IgnoreRule = {
      jsonPointers: [
        '/spec/template/metadata/annotations/example.com~1a~1b',
        '/spec/template/metadata/annotations/example.com~1tilde~0x',
        '/spec/template/spec/containers/1',
        '/spec/template/spec/containers/0/imagePullPolicy',
      ],
    };
    const template = applyIgnoreDifferences(live(), [rule]).spec?.template as {
      metadata: { annotations: Record<string, string> };
      spec: { containers: Record<string, unknown>[] };
    };
    expect(template.metadata.annotations).toEqual({});
    expect(template.spec.containers).toEqual([{ name: 'web', image: 'registry.example.com/shop/web:1.8.0' }]);
  });

  it('treats a pointer to nothing as a no-op', () => {
    const rule: IgnoreRule = {
      jsonPointers: [
        '/spec/nothing/here',
        '/spec/template/spec/containers/7',
        '/spec/template/spec/containers/-',
        '/spec/template/spec/containers/01',
        '/spec/replicas/deeper',
        '/metadata/labels/absent',
      ],
    };
    expect(applyIgnoreDifferences(live(), [rule])).toEqual(live());
  });

  it('does not change its input', () => {
    const obj = live();
    applyIgnoreDifferences(obj, [replicas]);
    expect(obj.spec?.replicas).toBe(5);
  });

  it('refuses invalid pointers with a message that says how to write one', () => {
    const attempt = (pointer: string) => () => applyIgnoreDifferences(live(), [{ jsonPointers: [pointer] }]);
    expect(attempt('spec/replicas')).toThrow(/must start with "\/", e\.g\. \/spec\/replicas/);
    expect(attempt('')).toThrow(/whole object/);
    expect(attempt('/metadata/annotations/a~2b')).toThrow(/"~0"/);
    expect(attempt('/x~')).toThrow(WheelhouseError);
    expect(parseJsonPointer('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
  });
});

describe('secretDataRedacted', () => {
  const secret = (): KubeObject => loadObject('normalize/secret-live.yaml');

  it('replaces every value with a marker that never shows the value', () => {
    const redacted = secretDataRedacted(secret());
    const data = redacted.data as Record<string, string>;
    expect(Object.keys(data)).toEqual(['DB_PASSWORD', 'API_TOKEN']);
    for (const value of Object.values(data)) expect(value).toMatch(/^\*\*\* \(hmac [0-9a-f]{16}\)$/);
    const text = JSON.stringify(redacted);
    for (const clear of ['hunter2', 'aHVudGVy', 'sk-live', 'c2stbGl2']) expect(text).not.toContain(clear);
    expect(redacted.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toMatch(
      /^\*\*\* /,
    );
  });

  it('marks equal values alike, stringData and base64 data included, and different values apart', () => {
    const fromData = secretDataRedacted(secret()).data as Record<string, string>;
    const desired: KubeObject = {
      ...secret(),
      data: undefined,
      stringData: { DB_PASSWORD: 'hunter2-but-longer', API_TOKEN: 'sk-live-0000000000' },
    };
    const fromStringData = secretDataRedacted(desired).stringData as Record<string, string>;
    expect(fromStringData.DB_PASSWORD).toBe(fromData.DB_PASSWORD);
    expect(fromStringData.API_TOKEN).not.toBe(fromData.API_TOKEN);
  });

  it('derives markers from the key it is given', () => {
    const a = secretDataRedacted(secret(), Buffer.from('key-a')).data as Record<string, string>;
    const b = secretDataRedacted(secret(), Buffer.from('key-b')).data as Record<string, string>;
    expect(secretDataRedacted(secret(), Buffer.from('key-a')).data).toEqual(a);
    expect(a.DB_PASSWORD).not.toBe(b.DB_PASSWORD);
  });

  it('leaves other kinds and its input unchanged', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    };
    expect(secretDataRedacted(configMap)).toEqual(configMap);
    const notCore: KubeObject = { ...secret(), apiVersion: 'example.com/v1' };
    expect(secretDataRedacted(notCore)).toEqual(notCore);
    const input = secret();
    secretDataRedacted(input);
    expect(input).toEqual(secret());
  });
});
