import { isNotFound, type KubeClient } from './client.js';
import { apiGroup } from './kube-object.js';

/** Where a kind lives in the API: its resource (plural) and whether it is namespaced. */
export interface Mapping {
  apiVersion: string;
  group: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

interface ResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * The REST mapper: apiVersion + kind -> resource and scope, from the API server's discovery
 * documents, one per group version, cached. A miss reads that group version again, so a CRD
 * created a moment ago is found; a group version the server does not serve maps to nothing.
 */
export class Discovery {
  private readonly lists = new Map<string, Map<string, Mapping>>();

  constructor(private readonly client: KubeClient) {}

  async resolve(apiVersion: string, kind: string): Promise<Mapping | undefined> {
    const hit = this.lists.get(apiVersion)?.get(kind);
    if (hit) return hit;
    await this.refresh(apiVersion);
    return this.lists.get(apiVersion)?.get(kind);
  }

  /** Forget a group version (its CRD changed): the next resolve reads it again. */
  forget(apiVersion: string): void {
    this.lists.delete(apiVersion);
  }

  private async refresh(apiVersion: string): Promise<void> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: ResourceList;
    try {
      list = await this.client.request<ResourceList>({ method: 'GET', path });
    } catch (err) {
      if (isNotFound(err)) {
        this.lists.delete(apiVersion);
        return;
      }
      throw err;
    }
    const byKind = new Map<string, Mapping>();
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources (status, scale, log)
      byKind.set(r.kind, {
        apiVersion,
        group: apiGroup(apiVersion),
        kind: r.kind,
        resource: r.name,
        namespaced: r.namespaced,
      });
    }
    this.lists.set(apiVersion, byKind);
  }
}

/** The collection path of a mapping (in a namespace for namespaced kinds, unless listing all). */
export function collectionPath(mapping: Mapping, namespace?: string): string {
  const base = mapping.apiVersion.includes('/')
    ? `/apis/${mapping.apiVersion}`
    : `/api/${mapping.apiVersion}`;
  const ns = mapping.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${mapping.resource}`;
}

export function objectPath(mapping: Mapping, namespace: string, name: string): string {
  return `${collectionPath(mapping, namespace)}/${encodeURIComponent(name)}`;
}
