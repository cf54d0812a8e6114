// Issue 16: the kustomize and helm versions renders use were only in the `up` start-up log.
// `wheelhouse version` shows the client's and the server's (GET /api/v1/version).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo } from '../support/git.js';
import { kubeVersions } from '../support/kube/binaries.js';
import { freePort } from '../support/ports.js';
import { helmBinary, helmMissing, kustomizeBinary, kustomizeMissing } from '../support/render-tools.js';
import { tempDirs } from '../support/tmp.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();

interface Info {
  version: string;
  node: string;
  tools: Record<string, string>;
}
interface Report {
  client: Info;
  server?: Info & { url: string };
  serverError?: string;
}

describe.skipIf(kustomizeMissing !== undefined || helmMissing !== undefined)('wheelhouse version', () => {
  let server: UpServer | undefined;
  const tools = { WHEELHOUSE_KUSTOMIZE: kustomizeBinary, WHEELHOUSE_HELM: helmBinary };

  beforeAll(async () => {
    await ensureBuilt();
    const repo = await tmp('repo');
    await createRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - name: docs\n    path: apps/docs\n',
      'apps/docs/readme.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
    });
    server = await startUp(tmp, repo, ['--log-format', 'json'], tools);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("shows the server's kustomize and helm versions, and the client's, as JSON and as text", async () => {
    if (!server) throw new Error('wheelhouse up did not start');
    const json = await server.cli('version', '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.server?.url).toBe(server.url);
    expect(report.server?.tools.kustomize).toBe(kubeVersions.kustomize);
    expect(report.server?.tools.helm?.startsWith(kubeVersions.helm ?? '-')).toBe(true);
    expect(report.client.tools.kustomize).toBe(kubeVersions.kustomize);
    expect(report.server?.node).toBe(process.versions.node);

    const text = await server.cli('version');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`server ${server.url}  wheelhouse ${report.server?.version}`);
    expect(text.stdout).toMatch(new RegExp(`kustomize +${kubeVersions.kustomize}`));
  });

  it('says why a tool is not usable, and why the server was not reached, and still exits 0', async () => {
    const dir = await tmp('none');
    const url = `http://127.0.0.1:${await freePort()}`;
    const env = cliEnv({ WHEELHOUSE_HELM: `${dir}/helm`, WHEELHOUSE_TOKEN: 'x' });
    const out = await runCli(['version', '--json', '--url', url], env);
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as Report;
    expect(report.server).toBeUndefined();
    expect(report.serverError).toContain(`no server at ${url}`);
    expect(report.client.tools.helm).toBe(`not usable (${dir}/helm was not found)`);
  });
});
