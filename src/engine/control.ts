import { parseControlConfig, type TargetOptionsCheck } from '../config/index.js';
import type { ControlConfig, RepoRef, SourceProvider, ValidationIssue } from '../core/index.js';
import { parseYaml } from '../render/yaml/index.js';
import { shortSha } from '../util/index.js';

export const CONTROL_FILE = 'wheelhouse.yaml';

export type ControlLoad =
  | { ok: true; revision: string; config: ControlConfig; text: string; unchanged?: boolean }
  | { ok: false; revision: string; issues: ValidationIssue[] };

/**
 * Read and validate `wheelhouse.yaml` at one revision of the control repo. When the file is
 * byte for byte the one `inForce` was parsed from (a commit that changed only apps), that config
 * is reused (`unchanged`): a monorepo with thousands of apps does not parse it again per commit.
 */
export async function loadControlConfig(
  source: SourceProvider,
  control: RepoRef & { ref: string },
  revision: string,
  drivers: readonly string[],
  checkTargetOptions: TargetOptionsCheck | undefined,
  inForce?: { text: string; config: ControlConfig },
): Promise<ControlLoad> {
  const content = await source.readFile(control, revision, CONTROL_FILE);
  const text = content?.toString('utf8');
  if (inForce && text === inForce.text)
    return { ok: true, revision, config: inForce.config, text, unchanged: true };
  if (!content) {
    return {
      ok: false,
      revision,
      issues: [
        {
          file: CONTROL_FILE,
          line: 1,
          column: 1,
          path: '',
          message: `no ${CONTROL_FILE} at the root of the control repo at ${shortSha(revision)}; add one (see docs/configuration.md) and commit it`,
        },
      ],
    };
  }
  const { config, issues } = parseControlConfig({
    text: content,
    file: CONTROL_FILE,
    controlRepo: { url: control.url, ref: control.ref },
    drivers,
    ...(checkTargetOptions ? { checkTargetOptions } : {}),
  });
  // Problems of single apps leave the file in force: those apps carry their problem.
  if (!config) return { ok: false, revision, issues };
  return { ok: true, revision, config, text: text ?? '' };
}

/** Where `targets.<name>` is in wheelhouse.yaml (its key; for the built-in `local`, `targets:`). */
export function locateTarget(text: string, target: string): { line: number; column: number } | undefined {
  const document = parseYaml({ text, file: CONTROL_FILE, multiDocument: false }).documents.find(
    (d) => !d.empty,
  );
  return document?.locate(['targets', target], 'key');
}
