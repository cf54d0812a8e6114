import { useEffect, useId, useRef, useState } from 'react';
import { api, describeError, seg } from '../../api/client.js';
import type { LogLine, ResourceStatus } from '../../api/types.js';
import { ScrollRegion } from '../../components/code-view.js';
import { ErrorNotice } from '../../components/notice.js';

const TAIL = 200;
const KEEP = 2000;
const LOG_KINDS = new Set(['Process', 'Job', 'Container', 'Service']);

/**
 * The tail of a process's log, and with Follow the new lines as they come; each line names its
 * replica and the time (UTC) it was written, stdout and stderr interleaved as the driver orders them.
 */
export function LogsSection({ app, resources }: { app: string; resources: readonly ResourceStatus[] }) {
  const candidates = resources.filter((r) => LOG_KINDS.has(r.kind));
  const [resource, setResource] = useState<string | undefined>(candidates[0]?.name);
  const [follow, setFollow] = useState(false);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [ended, setEnded] = useState<string | undefined>();
  const pre = useRef<HTMLElement>(null);
  const id = useId();

  useEffect(() => {
    if (!resource && candidates[0]) setResource(candidates[0].name);
  }, [resource, candidates]);

  useEffect(() => {
    if (!resource) return;
    setError(undefined);
    setEnded(undefined);
    const base = `/api/v1/apps/${seg(app)}/resources/${seg(resource)}/logs?tail=${TAIL}`;
    if (!follow) {
      let cancelled = false;
      api.get<{ lines: LogLine[] }>(base).then(
        (body) => {
          if (!cancelled) setLines(body.lines);
        },
        (err: unknown) => {
          if (!cancelled) setError(describeError(`read the log of ${resource}`, err));
        },
      );
      return () => {
        cancelled = true;
      };
    }
    setLines([]);
    const source = new EventSource(`${base}&follow=1`, { withCredentials: true });
    source.addEventListener('log', (message: MessageEvent<string>) => {
      const line = JSON.parse(message.data) as LogLine;
      setLines((all) => (all.length >= KEEP ? [...all.slice(-KEEP + 1), line] : [...all, line]));
    });
    source.addEventListener('end', () => {
      setEnded('The log ended.');
      source.close();
    });
    source.addEventListener('error', (message: Event) => {
      const data = (message as MessageEvent<string>).data;
      if (typeof data === 'string' && data) {
        try {
          setError(
            `Could not follow the log of ${resource}: ${(JSON.parse(data) as { message: string }).message}`,
          );
        } catch {
          setError(`Could not follow the log of ${resource}.`);
        }
        source.close();
      }
    });
    return () => source.close();
  }, [app, resource, follow]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when lines arrive, to keep the newest in view
  useEffect(() => {
    // Keep the newest line in view while following.
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [lines, follow]);

  return (
    <section aria-labelledby="logs-title" className="section">
      <h2 id="logs-title">Logs</h2>
      {candidates.length === 0 ? (
        <p className="empty">This app has no process or job whose log could be shown.</p>
      ) : (
        <>
          <div className="log-controls">
            <div className="field">
              <label htmlFor={`${id}-resource`}>Resource</label>
              <select
                id={`${id}-resource`}
                value={resource ?? ''}
                onChange={(e) => setResource(e.target.value)}
              >
                {candidates.map((r) => (
                  <option key={r.key} value={r.name}>
                    {r.kind} {r.name}
                  </option>
                ))}
              </select>
            </div>
            <label className="check">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
            </label>
          </div>
          {error ? <ErrorNotice>{error}</ErrorNotice> : null}
          <ScrollRegion className="code log" ref={pre} label={`Log of ${resource ?? 'the resource'}`}>
            <pre>
              <code>
                {lines.length === 0 ? <span className="hint">No log lines yet.</span> : null}
                {lines.map((line, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: log lines only grow at the end
                  <span key={i} className={`log-line log-${line.stream}`}>
                    <span className="log-meta">
                      {line.source}
                      {line.at ? (
                        <>
                          {' '}
                          <time dateTime={line.at} title={line.at}>
                            {line.at.slice(11, 23)}
                          </time>
                        </>
                      ) : null}{' '}
                    </span>
                    {line.stream === 'stderr' ? <span className="visually-hidden">stderr: </span> : null}
                    {line.text}
                    {'\n'}
                  </span>
                ))}
              </code>
            </pre>
          </ScrollRegion>
          {ended ? <p className="hint">{ended}</p> : null}
        </>
      )}
    </section>
  );
}
