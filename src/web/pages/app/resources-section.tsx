import type { ResourceStatus } from '../../api/types.js';
import { HealthBadge, SyncBadge } from '../../components/badge.js';

/** Each resource with its sync status, health and the message that explains it. */
export function ResourcesSection({ resources }: { resources: readonly ResourceStatus[] }) {
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
              {resources.map((r) => (
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
