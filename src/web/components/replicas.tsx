import type { LiveEvent, Replicas } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { RelativeTime } from './time.js';

const refreshReplicas = (event: LiveEvent) => event.type === 'sync.finished';

/**
 * The replicas sharing a PostgreSQL store, with the apps each holds (docs/high-availability.md).
 * A Wheelhouse that runs alone lists none: then nothing is shown.
 */
export function ReplicaList() {
  const { data, error } = useFetch<Replicas>('/api/v1/replicas', refreshReplicas);
  if (!data || error || data.replicas.length === 0) return null;
  return (
    <section className="replicas" aria-labelledby="replicas-heading">
      <h2 id="replicas-heading">Replicas</h2>
      <div className="table-wrap">
        <table className="table replicas-table">
          <thead>
            <tr>
              <th scope="col">Replica</th>
              <th scope="col">Address</th>
              <th scope="col">Version</th>
              <th scope="col">State</th>
              <th scope="col">Heartbeat</th>
              <th scope="col">Apps</th>
            </tr>
          </thead>
          <tbody>
            {data.replicas.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.id}
                  {r.id === data.self ? ' (this one)' : ''}
                </th>
                <td>{r.address || '—'}</td>
                <td>{r.version}</td>
                <td>{r.live ? 'live' : 'silent'}</td>
                <td>
                  <RelativeTime iso={r.heartbeatAt} />
                </td>
                <td>{r.apps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
