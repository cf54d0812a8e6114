import { isMap, isSeq, YAMLMap } from 'yaml';
import { parseDocuments, setYamlValue } from './yaml-edit.js';

/**
 * Sets a workload's replica count in a kustomization through kustomize's own `replicas:` field
 * (`- name: web` / `count: 3`), so an overlay scales a Deployment its base declares without copying
 * it. An existing entry is edited in place; a new one is appended (that document is re-printed,
 * comments kept).
 */
export function setKustomizeReplicas(text: string, file: string, name: string, count: number): string {
  const [doc] = parseDocuments(text, file);
  if (!doc) return `replicas:\n  - name: ${name}\n    count: ${count}\n`;
  const replicas = doc.get('replicas', true);
  if (isSeq(replicas)) {
    const index = replicas.items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (index >= 0) return setYamlValue(text, file, 0, ['replicas', index, 'count'], count);
    const entry = new YAMLMap();
    entry.set('name', name);
    entry.set('count', count);
    replicas.add(entry);
  } else {
    doc.set('replicas', doc.createNode([{ name, count }]));
  }
  return doc.toString({ lineWidth: 0 });
}
