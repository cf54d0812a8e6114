import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/drivers/kubernetes/kube-object.js';

const dir = new URL('./fixtures/', import.meta.url);

function isKubeObject(value: unknown): value is KubeObject {
  if (value === null || typeof value !== 'object') return false;
  const obj = value as Record<string, unknown>;
  const meta = obj.metadata as Record<string, unknown> | undefined;
  return typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' && typeof meta?.name === 'string';
}

/** Every object of a fixture file (multi-document YAML), as the API server would return it. */
export function loadObjects(file: string): KubeObject[] {
  const text = readFileSync(new URL(file, dir), 'utf8');
  return parseAllDocuments(text).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${file} document ${index + 1}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (!isKubeObject(value)) throw new Error(`${file} document ${index + 1} is not a Kubernetes object`);
    return value;
  });
}

/** The first object of a fixture file. */
export function loadObject(file: string): KubeObject {
  const [first] = loadObjects(file);
  if (first === undefined) throw new Error(`${file} holds no object`);
  return first;
}
