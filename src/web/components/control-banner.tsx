import type { ControlStatus } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { Icon } from './icon.js';

/**
 * Shown above every page while the newest wheelhouse.yaml is not in force: what is wrong (with
 * file:line:col), at which revision, and which configuration still runs. Re-read on `config.*`.
 */
export function ControlBanner() {
  const { data } = useFetch<ControlStatus>('/api/v1/control', (e) => e.type.startsWith('config.'));
  const problem = data?.problem;
  if (!data || !problem) return null;
  const [headline = '', ...details] = problem.message.split('\n');
  return (
    <div className="notice notice-error control-banner" role="alert" data-testid="control-banner">
      <Icon name="cross" />
      <div className="notice-body">
        <strong>{headline}</strong>
        {details.length > 0 ? <pre className="control-banner-issues">{details.join('\n')}</pre> : null}
      </div>
    </div>
  );
}
