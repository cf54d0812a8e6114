import { errorMessage } from '../core/index.js';
import { renderToolVersions, toolOptionsFromEnv } from '../render/index.js';
import { cliVersion } from './cli-version.js';
import { createApiClient } from './client/api-client.js';
import { resolveConnection, withClientOptions } from './client/connection.js';
import { createOutput, type Palette } from './client/output.js';
import type { RegisterCommand } from './commands.js';

/** What `GET /api/v1/version` answers. */
export interface VersionInfo {
  version: string;
  node: string;
  /** `kustomize: v5.8.1`, or `not usable (...)` with why. */
  tools: Record<string, string>;
}

export interface VersionReport {
  /** This machine: the CLI and the tools `wheelhouse validate` (and `up` here) render with. */
  client: VersionInfo;
  /** The server's own, when it answered. */
  server?: VersionInfo & { url: string };
  /** Why the server did not answer (the report is still printed, and the exit code is 0). */
  serverError?: string;
}

export const registerVersion: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('version')
      .description(
        'show the versions of this client and of the server: Wheelhouse, Node.js, and the kustomize and helm binaries renders use',
      )
      .addHelpText('after', '\nExamples:\n  wheelhouse version\n  wheelhouse version --json'),
  ).action(async (opts: { url?: string; data?: string; json?: boolean }) => {
    const report = await versionReport(opts);
    const out = createOutput();
    if (opts.json === true) return out.json(report);
    for (const line of versionLines(report, out.color)) out.line(line);
  });
};

/** The client's versions, and the server's when one answers at the resolved URL. */
export async function versionReport(opts: { url?: string; data?: string }): Promise<VersionReport> {
  const client: VersionInfo = {
    version: cliVersion(),
    node: process.versions.node,
    tools: await renderToolVersions(toolOptionsFromEnv(), process.cwd()),
  };
  try {
    const api = createApiClient(await resolveConnection(opts));
    return { client, server: { url: api.url, ...(await api.get<VersionInfo>('/api/v1/version')) } };
  } catch (err) {
    return { client, serverError: errorMessage(err) };
  }
}

export function versionLines(report: VersionReport, c: Palette): string[] {
  const block = (title: string, info: VersionInfo) => [
    `${c.bold(title)}  wheelhouse ${info.version}, Node.js ${info.node}`,
    ...Object.entries(info.tools).map(
      ([tool, version]) =>
        `  ${tool.padEnd(10)} ${version.startsWith('not usable') ? c.yellow(version) : version}`,
    ),
  ];
  return [
    ...block('client', report.client),
    ...(report.server
      ? block(`server ${report.server.url}`, report.server)
      : [`${c.bold('server')}  ${c.yellow(`not reached: ${report.serverError ?? 'unknown'}`)}`]),
  ];
}
