import { readFile } from 'node:fs/promises';
import Docker from 'dockerode';
import { type ErrorDetails, errorMessage, WheelhouseError } from '../../core/index.js';
import type { DockerEndpoint } from './options.js';

/** A dockerode client for the endpoint; TLS files are read here (at start, never in the factory). */
export async function createClient(target: string, endpoint: DockerEndpoint): Promise<Docker> {
  if (endpoint.kind === 'unix') return new Docker({ socketPath: endpoint.socketPath });
  if (!endpoint.tls) return new Docker({ host: endpoint.host, port: endpoint.port, protocol: 'http' });
  const read = async (field: string, file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `docker target "${target}": cannot read tls.${field} "${file}" (${errorMessage(err)}); check the path in wheelhouse.yaml`,
        { cause: err, details: { path: `targets.${target}.tls.${field}`, file } },
      );
    }
  };
  const [ca, cert, key] = await Promise.all([
    read('caFile', endpoint.tls.caFile),
    read('certFile', endpoint.tls.certFile),
    read('keyFile', endpoint.tls.keyFile),
  ]);
  return new Docker({ host: endpoint.host, port: endpoint.port, protocol: 'https', ca, cert, key });
}

export interface EngineInfo {
  /** True when the API is served by Podman (healthchecks then need the driver's help). */
  podman: boolean;
  version: string;
}

export async function engineInfo(docker: Docker): Promise<EngineInfo> {
  // Podman answers its own ping; Docker does not know the path. (Podman's /version is slow: it
  // asks the package manager about its components.)
  try {
    await dialLibpod(docker, '/_ping');
    return { podman: true, version: 'podman' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const version = await docker.version();
  const podman = (version.Components ?? []).some((c) => /podman/i.test(c.Name));
  return { podman, version: version.Version ?? 'unknown' };
}

/** The HTTP status of a failed engine call, when there is one. */
export function statusOf(err: unknown): number | undefined {
  if (err !== null && typeof err === 'object' && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;

/** The engine's own explanation (its JSON `message`), else the client's error text. */
export function engineMessage(err: unknown): string {
  if (err !== null && typeof err === 'object' && 'json' in err) {
    const json = (err as { json: unknown }).json;
    if (json !== null && typeof json === 'object' && 'message' in json) {
      const message = (json as { message: unknown }).message;
      if (typeof message === 'string' && message) return message;
    }
  }
  return errorMessage(err).replace(/\s+/g, ' ').trim();
}

/** Wrap a failed engine call: what failed, where, and the engine's reason. */
export function engineError(
  what: string,
  err: unknown,
  details: ErrorDetails = {},
  hint?: string,
): WheelhouseError {
  if (err instanceof WheelhouseError) return err;
  const status = statusOf(err);
  const reason = engineMessage(err);
  const advice =
    hint ??
    (status === undefined
      ? 'check that the Docker/Podman API is reachable at the target host'
      : 'see the engine message above');
  return new WheelhouseError('DRIVER_FAILED', `${what}: ${reason}; ${advice}`, {
    cause: err,
    details: status === undefined ? details : { ...details, status },
  });
}

/** Call a Podman (libpod) endpoint that the Docker-compatible API does not have. */
export function dialLibpod(docker: Docker, path: string, method: 'GET' | 'POST' = 'GET'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/v4.0.0/libpod${path}`,
        method,
        statusCodes: { 200: true, 204: true, 404: 'no such container', 409: 'conflict', 500: 'server error' },
      },
      (err, data) => (err ? reject(err) : resolve(data)),
    );
  });
}
