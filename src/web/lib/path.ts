import { childPath, pathSegments as parsePath } from '../../diff/paths.js';

/**
 * Field paths as the API reports them (built by the diff's `childPath`): `spec.env.PORT`,
 * `spec.command[1]`, `spec.labels["app.kubernetes.io/name"]`. A path that is not in that form is
 * one segment.
 */
export function pathSegments(path: string): (string | number)[] {
  const segments = parsePath(path);
  const rebuilt = segments.reduce<string>((built, key) => childPath(built, key), '');
  return segments.length > 0 && rebuilt === path ? segments : [path];
}
