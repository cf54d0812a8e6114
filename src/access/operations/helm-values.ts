import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { type AppSpec, WheelhouseError } from '../../core/index.js';
import { parseDocuments, setYamlValue } from '../../writeback/index.js';
import { writeManifest } from './manifest-files.js';

/** Reads a repo-relative file (from the working copy, or a revision); undefined when absent. */
export type ReadText = (path: string) => Promise<string | undefined>;

export const readFromDir =
  (dir: string): ReadText =>
  (path) =>
    readFile(join(dir, path), 'utf8').catch(() => undefined);

/**
 * The values files a Helm app reads, the one that wins first: its `helm.valueFiles` from last to
 * first, then the chart's own `values.yaml` when the chart is in the repository.
 */
export function helmValueFiles(spec: AppSpec): string[] {
  const files = [...(spec.helm?.valueFiles ?? [])].reverse();
  if (!spec.helm?.repository) files.push(`${spec.path === '.' ? '' : `${spec.path}/`}values.yaml`);
  return files;
}

/** The first values file (in `helmValueFiles` order) that sets `key` at its top level. */
export async function valuesFileWith(
  spec: AppSpec,
  read: ReadText,
  key: string,
): Promise<{ path: string; text: string; value: unknown } | undefined> {
  for (const path of helmValueFiles(spec)) {
    const text = await read(path);
    if (text === undefined) continue;
    const [doc] = parseDocuments(text, path);
    const node = doc?.get(key, true);
    if (node === undefined) continue;
    return { path, text, value: doc?.toJS()?.[key] };
  }
  return undefined;
}

/** What a Helm app's refusal says about where its values come from. */
export function helmFilesText(spec: AppSpec): string {
  return helmValueFiles(spec).join(', ') || 'none declared';
}

/**
 * Sets `KEY=VALUE` in the `env` value of a Helm app: a map (`env: { KEY: value }`) or the
 * container-style list (`env: [{ name: KEY, value: ... }]`), in the first values file that has
 * `env`. Refuses, naming the files, when none does: what the chart reads is the chart's business.
 */
export async function editHelmEnv(
  dir: string,
  spec: AppSpec,
  vars: Record<string, string>,
): Promise<boolean> {
  const found = await valuesFileWith(spec, readFromDir(dir), 'env');
  if (!found) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `app ${spec.name} renders a Helm chart, and none of its values files (${helmFilesText(spec)}) sets env: which variables the chart passes is the chart's choice — add an env map (or the chart's own key) to a values file under helm.valueFiles in wheelhouse.yaml and commit`,
      { details: { app: spec.name } },
    );
  }
  let next = found.text;
  for (const [key, value] of Object.entries(vars)) {
    const [doc] = parseDocuments(next, found.path);
    const env = doc?.get('env', true);
    if (isSeq(env)) {
      const at = env.items.findIndex((item) => isMap(item) && item.get('name') === key);
      if (at >= 0) {
        next = setYamlValue(next, found.path, 0, ['env', at, 'value'], value);
      } else if (doc) {
        env.add(doc.createNode({ name: key, value }));
        next = doc.toString({ lineWidth: 0 });
      }
    } else {
      next = setYamlValue(next, found.path, 0, ['env', key], value);
    }
  }
  if (next === found.text) return false;
  await writeManifest(dir, found.path, next);
  return true;
}
