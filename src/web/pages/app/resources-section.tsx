import { nodeMessage } from '../../../util/node-facts.js';
import type { ResourceNode, ResourceStatus } from '../../api/types.js';
import { HealthBadge, SyncBadge } from '../../components/badge.js';

/** Each resource with its sync status, health and the message that explains it. */
export function ResourcesSection({ resources }: { resources: readonly ResourceStatus[] }) {
  // Uptimes count to the time of this render; live events re-render the page as replicas change.
  const now = Date.now();
  return (
    <section aria-labelledby="resources-title" className="section">
      <h2 id="resources-title">Resources</h2>
      {resources.length === 0 ? (
        <p className="empty">No resources: the app's path renders to nothing yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Sync</th>
                <th scope="col">Health</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => [
                <tr key={r.key}>
                  <td data-label="Kind">{r.kind}</td>
                  <th scope="row" data-label="Name">
                    {r.name}
                  </th>
                  <td data-label="Sync">
                    <SyncBadge status={r.syncStatus} />
                  </td>
                  <td data-label="Health">
                    <HealthBadge status={r.health.status} />
                  </td>
                  <td data-label="Message" className="message">
                    {r.message ?? r.health.message ?? ''}
                  </td>
                </tr>,
                ...treeRows(r.key, r.children ?? [], 1, now),
              ])}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * What a resource owns (a Process's replicas, a Job's runs, a Deployment's ReplicaSets and Pods),
 * as indented rows under it, with their facts (pid, uptime, restarts, last exit, probe).
 */
function treeRows(
  parent: string,
  nodes: readonly ResourceNode[],
  depth: number,
  now: number,
): React.ReactElement[] {
  return nodes.flatMap((n) => {
    const key = `${parent}>${n.kind}/${n.name}`;
    return [
      <tr key={key} className="child-row">
        <td data-label="Kind" style={{ paddingLeft: `${depth * 1.25}rem` }}>
          └ {n.kind}
        </td>
        <th scope="row" data-label="Name">
          {n.name}
        </th>
        <td data-label="Sync" />
        <td data-label="Health">
          <HealthBadge status={n.health.status} />
        </td>
        <td data-label="Message" className="message">
          {nodeMessage(n, now)}
        </td>
      </tr>,
      ...treeRows(key, n.children ?? [], depth + 1, now),
    ];
  });
}
