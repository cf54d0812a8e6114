import type { ValidationIssue } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import { didYouMean, formatFieldPath } from '../util/index.js';
import { isMapping } from './schema/fields.js';

/**
 * `dependsOn:` across apps: every name must be another app of the file, and the dependencies must
 * not form a cycle (a cycle would leave every app on it waiting for ever). Runs on the raw
 * document, like the other cross-field checks; each issue is located at the entry that causes it.
 */
export function dependencyIssues(
  raw: unknown,
  file: string,
  doc: YamlDocument | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report = (path: (string | number)[], message: string) => {
    const p = doc?.locate(path) ?? { line: 1, column: 1 };
    issues.push({ file, line: p.line, column: p.column, path: formatFieldPath(path), message });
  };
  if (!isMapping(raw) || !Array.isArray(raw.apps)) return issues;
  const entries = raw.apps.flatMap((app, index) =>
    isMapping(app) && typeof app.name === 'string' ? [{ app, index, name: app.name }] : [],
  );
  const names = new Set(entries.map((e) => e.name));
  /** Edges between known apps, with where each is written. */
  const edges = new Map<string, { to: string; path: (string | number)[] }[]>();

  for (const { app, index, name } of entries) {
    if (!Array.isArray(app.dependsOn)) continue;
    const out = edges.get(name) ?? [];
    edges.set(name, out);
    app.dependsOn.forEach((dep, k) => {
      if (typeof dep !== 'string') return;
      const path = ['apps', index, 'dependsOn', k];
      if (dep === name)
        report(path, `app ${name} cannot depend on itself — remove "${dep}" from its dependsOn`);
      else if (!names.has(dep))
        report(
          path,
          `no app is named "${dep}"${didYouMean(dep, names) || ` — dependsOn lists other apps of this file (${[...names].join(', ')})`}`,
        );
      else out.push({ to: dep, path });
    });
  }

  // Each cycle once, reported at the dependency that closes it (in file order of the apps).
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (name: string): void => {
    onPath.push(name);
    for (const edge of edges.get(name) ?? []) {
      const at = onPath.indexOf(edge.to);
      if (at >= 0) {
        const cycle = [...onPath.slice(at), edge.to].join(' -> ');
        report(
          edge.path,
          `dependsOn forms a cycle: ${cycle} — these apps would wait for each other for ever; remove one of these dependencies`,
        );
      } else if (!done.has(edge.to)) visit(edge.to);
    }
    onPath.pop();
    done.add(name);
  };
  for (const { name } of entries) if (!done.has(name)) visit(name);
  return issues;
}
