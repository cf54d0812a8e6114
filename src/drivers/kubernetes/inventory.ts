import { WheelhouseError } from '../../core/index.js';
import { isNotFound, type KubeClient } from './client.js';
import type { KubeObject } from './kube-object.js';
import { FIELD_MANAGER, LABEL, MANAGED_BY, MANAGER } from './labels.js';
import type { FieldSet } from './managed-fields.js';

/** One object a sync applied for an app: where it is, and what was applied. */
export interface InventoryEntry {
  key: string;
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  /** The resource spec as applied (secret values are never in it: `secretEnv` holds references). */
  spec: Record<string, unknown>;
  /** `stableJson` of the applied view the API server answered the apply with. */
  view: string;
  /** The fields the apply owned (see `appliedView`). */
  fields?: FieldSet;
}

const INVENTORY_LABEL = 'wheelhouse/inventory-of';
const DATA_KEY = 'entries.json';

interface ConfigMapList {
  items?: KubeObject[];
}

/**
 * What each app applied on one target, one ConfigMap per app in the target's inventory namespace:
 * prune deletes exactly the entries that left Git, and a reinstalled Wheelhouse (a new data dir)
 * still knows what it created, because the record lives in the cluster beside the objects.
 */
export class InventoryStore {
  private namespaceReady = false;

  constructor(
    private readonly client: KubeClient,
    private readonly target: string,
    readonly namespace: string,
  ) {}

  private name(app: string): string {
    return `wheelhouse-${this.target}-${app}`.slice(0, 253);
  }

  async loadAll(): Promise<Map<string, Map<string, InventoryEntry>>> {
    const out = new Map<string, Map<string, InventoryEntry>>();
    let list: ConfigMapList;
    try {
      list = await this.client.request<ConfigMapList>({
        method: 'GET',
        path: `/api/v1/namespaces/${this.namespace}/configmaps`,
        query: { labelSelector: `${INVENTORY_LABEL}=${this.target}` },
      });
    } catch (err) {
      if (isNotFound(err)) return out;
      throw err;
    }
    for (const cm of list.items ?? []) {
      const app = cm.metadata.labels?.[LABEL.app];
      const data = (cm.data as Record<string, string> | undefined)?.[DATA_KEY];
      if (!app || !data) continue;
      const entries = JSON.parse(data) as InventoryEntry[];
      out.set(app, new Map(entries.map((e) => [e.key, e])));
    }
    return out;
  }

  async save(app: string, entries: ReadonlyMap<string, InventoryEntry>): Promise<void> {
    await this.ensureNamespace();
    const sorted = [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: this.name(app),
        namespace: this.namespace,
        labels: { [MANAGED_BY]: MANAGER, [INVENTORY_LABEL]: this.target, [LABEL.app]: app },
      },
      data: { [DATA_KEY]: JSON.stringify(sorted) },
    };
    try {
      await this.client.request({
        method: 'PATCH',
        path: `/api/v1/namespaces/${this.namespace}/configmaps/${this.name(app)}`,
        query: { fieldManager: FIELD_MANAGER, force: true },
        contentType: 'application/apply-patch+yaml',
        body,
      });
    } catch (err) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `could not record app ${app}'s inventory in ConfigMap ${this.namespace}/${this.name(app)}: ${err instanceof Error ? err.message : String(err)}; check that Wheelhouse may write ConfigMaps there`,
        { cause: err, details: { app } },
      );
    }
  }

  private async ensureNamespace(): Promise<void> {
    if (this.namespaceReady) return;
    await this.client.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${this.namespace}`,
      query: { fieldManager: FIELD_MANAGER },
      contentType: 'application/apply-patch+yaml',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } },
    });
    this.namespaceReady = true;
  }
}
