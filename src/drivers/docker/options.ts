import { z } from 'zod';
import { WheelhouseError } from '../../core/index.js';
import { formatFieldPath } from '../../util/index.js';

const registryAuth = z.strictObject({
  /** Names of environment variables holding the credentials, never the values. */
  usernameEnv: z.string().min(1),
  passwordEnv: z.string().min(1),
});

const optionsSchema = z.strictObject({
  /** `unix:///path/to/docker.sock` or `tcp://host:port`; default `$DOCKER_HOST`, else the Docker socket. */
  host: z.string().min(1).optional(),
  /** Client certificates for `tcp://` hosts (files on the engine's machine). */
  tls: z
    .strictObject({
      caFile: z.string().min(1),
      certFile: z.string().min(1),
      keyFile: z.string().min(1),
    })
    .optional(),
  /**
   * Who runs container healthchecks: `auto` lets Docker run them and runs them from the driver on
   * Podman (whose timers need systemd); `driver` always; `engine` never.
   */
  healthchecks: z.enum(['auto', 'driver', 'engine']).default('auto'),
  /** Upper bound for one apply to bring a container up healthy (the sync's own timeout also applies). */
  applyTimeoutSeconds: z.number().positive().default(300),
  /** Credentials per registry host for pulls, e.g. `ghcr.io`. */
  registries: z.record(z.string().min(1), registryAuth).default({}),
  /** Containers may run `privileged` (full access to the host) only when the target owner says so. */
  allowPrivileged: z.boolean().default(false),
});

export type DockerOptions = z.output<typeof optionsSchema>;

export type DockerEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls: DockerOptions['tls'] };

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** Validate a docker target's options; throws a message listing every problem. */
export function parseDockerOptions(
  target: string,
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): { options: DockerOptions; endpoint: DockerEndpoint } {
  const problems: string[] = [];
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${formatFieldPath(['targets', target, ...issue.path])}: ${issue.message}`);
    }
    throw optionsError(target, problems);
  }
  const options = parsed.data;
  const host = options.host ?? env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST;
  const endpoint = parseHost(host, options.tls);
  if (typeof endpoint === 'string') problems.push(`targets.${target}.host: ${endpoint}`);
  else if (endpoint.kind === 'unix' && options.tls) {
    problems.push(`targets.${target}.tls: TLS applies to tcp:// hosts only; remove tls or use a tcp:// host`);
  }
  if (problems.length > 0 || typeof endpoint === 'string') throw optionsError(target, problems);
  return { options, endpoint };
}

function parseHost(host: string, tls: DockerOptions['tls']): DockerEndpoint | string {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/'))
      return `"${host}" needs an absolute socket path, e.g. unix:///var/run/docker.sock`;
    return { kind: 'unix', socketPath };
  }
  if (host.startsWith('tcp://')) {
    let url: URL;
    try {
      url = new URL(`http://${host.slice('tcp://'.length)}`);
    } catch {
      return `"${host}" is not a valid tcp:// address; write tcp://HOST:PORT`;
    }
    if (url.pathname !== '/' || url.search || url.username) {
      return `"${host}" must be tcp://HOST:PORT with no path, query or credentials`;
    }
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port, tls };
  }
  return `"${host}" is not supported; use unix:///path/to/docker.sock or tcp://HOST:PORT (with tls for remote hosts)`;
}

function optionsError(target: string, problems: string[]): WheelhouseError {
  return new WheelhouseError(
    'CONFIG_INVALID',
    `docker target "${target}" in wheelhouse.yaml is invalid; fix these fields:\n  ${problems.join('\n  ')}`,
    { details: { path: `targets.${target}` } },
  );
}
