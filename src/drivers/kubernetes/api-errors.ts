import { type DesiredResource, WheelhouseError } from '../../core/index.js';
import { KubeApiError } from './client.js';

/**
 * An API server refusal of one resource as a sync failure that names the manifest file and the
 * server's own words (a schema error's field, a webhook's reason): what a person needs to fix it.
 */
export function refused(resource: DesiredResource, err: unknown, action = 'apply'): WheelhouseError {
  const where = resource.origin ? `${resource.origin.file}:${resource.origin.line}: ` : '';
  const what = `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.metadata.name}`;
  const details = {
    app: resource.app,
    resource: resource.key,
    ...(resource.origin
      ? { file: resource.origin.file, line: resource.origin.line, column: resource.origin.column }
      : {}),
  };
  if (err instanceof KubeApiError) {
    const invalid = err.status === 400 || err.status === 422;
    return new WheelhouseError(
      invalid ? 'MANIFEST_INVALID' : err.status === 403 ? 'FORBIDDEN' : 'DRIVER_FAILED',
      `${where}the API server refused to ${action} ${what} (${err.status} ${err.reason}): ${err.message}${invalid ? ' — fix the manifest and commit' : ''}`,
      { cause: err, details },
    );
  }
  if (err instanceof WheelhouseError) return err;
  return new WheelhouseError(
    'DRIVER_FAILED',
    `${where}could not ${action} ${what}: ${err instanceof Error ? err.message : String(err)}`,
    { cause: err, details },
  );
}
