import { type LiveResource, WheelhouseError } from '../../core/index.js';
import { isNotFound } from './client.js';
import { objectPath } from './discovery.js';
import { ANNOTATION } from './labels.js';
import { liveObject } from './observe.js';
import { type Runtime, saveInventory } from './runtime.js';

/**
 * Prune one resource: delete its object (foreground: what it owns goes first) only when the live
 * object still carries this resource's key, so an object someone else now owns under the same
 * name is never deleted; then drop it from the app's inventory.
 */
export async function removeResource(rt: Runtime, resource: LiveResource): Promise<void> {
  const entries = rt.entries.get(resource.app);
  const entry = entries?.get(resource.key);
  if (!entries || !entry) return;
  const obj = liveObject(rt, entry);
  if (obj && obj.metadata.annotations?.[ANNOTATION.key] === resource.key) {
    const mapping = await rt.discovery.resolve(entry.apiVersion, entry.kind);
    if (mapping) {
      try {
        await rt.client.request({
          method: 'DELETE',
          path: objectPath(mapping, entry.namespace, entry.name),
          body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
        });
      } catch (err) {
        if (!isNotFound(err)) {
          throw new WheelhouseError(
            'DRIVER_FAILED',
            `could not delete ${entry.kind} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name}: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err, details: { app: resource.app, resource: resource.key } },
          );
        }
      }
    }
  }
  entries.delete(resource.key);
  await saveInventory(rt, resource.app);
}
