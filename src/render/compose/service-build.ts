import type { YamlPath } from '../yaml/index.js';
import { readLabels } from './labels.js';
import { joinPath } from './paths.js';
import type { Reader } from './reader.js';

const BUILD_KEYS = ['context', 'dockerfile', 'args', 'target', 'labels'] as const;

const BUILD_REFUSED: Readonly<Record<string, string>> = {
  dockerfile_inline:
    '"dockerfile_inline" is not supported — commit the Dockerfile beside the context and name it in dockerfile:',
  ssh: '"ssh" is not supported — the build runs on the target engine, which has no agent to forward',
  secrets:
    '"build.secrets" is not supported — pass what the build needs as args: read from the engine\'s environment',
};

/**
 * `build:` -> the Container spec's `build`: the context as a path in the repository (the engine
 * writes its tree id into the spec, so the image is rebuilt only when the context changes), and
 * the Dockerfile, args, target and labels the target engine's `/build` takes.
 */
export function readBuild(
  reader: Reader,
  path: YamlPath,
  value: unknown,
  composeDir: string,
): Record<string, unknown> | undefined {
  const written =
    typeof value === 'string'
      ? { context: value }
      : reader.map(path, value, 'a context path or a mapping with context:');
  if (!written) return undefined;
  reader.checkKeys(path, written, BUILD_KEYS, BUILD_REFUSED);
  const at = (key: string): YamlPath => (typeof value === 'string' ? path : [...path, key]);
  const relative = written.context === undefined ? '.' : reader.text(at('context'), written.context);
  if (relative === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(relative) || relative.startsWith('/') || relative.startsWith('~')) {
    reader.issue(
      at('context'),
      `build context ${JSON.stringify(relative)} is not a directory of this repository — Wheelhouse builds from the synced revision; write a path relative to the compose file`,
    );
    return undefined;
  }
  const context = joinPath(composeDir, relative);
  if (context === undefined) {
    reader.issue(
      at('context'),
      `build context ${JSON.stringify(relative)} climbs above the repository root — keep it inside the repository`,
    );
    return undefined;
  }
  const build: Record<string, unknown> = { context: context === '' ? '.' : context };
  if (written.dockerfile !== undefined) {
    const dockerfile = reader.text(
      at('dockerfile'),
      written.dockerfile,
      'a path inside the context, such as Dockerfile',
    );
    if (dockerfile !== undefined) build.dockerfile = dockerfile;
  }
  if (written.target !== undefined) {
    const target = reader.text(at('target'), written.target, 'a stage name of the Dockerfile');
    if (target !== undefined) build.target = target;
  }
  if (written.args !== undefined) build.args = readLabels(reader, at('args'), written.args);
  if (written.labels !== undefined) build.labels = readLabels(reader, at('labels'), written.labels);
  return build;
}
