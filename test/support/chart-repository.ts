import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeTree } from './git.js';

/**
 * A Helm chart repository on loopback: charts packaged by the real `helm package`, an index.yaml
 * from `helm repo index`, served by a plain HTTP server (what `helm template --repo` fetches).
 */
export async function startChartRepository(helm: string, dir: string, charts: Record<string, string>[]) {
  const server = createServer(async (req, res) => {
    const name = (req.url ?? '/').split('?')[0]?.replace(/^\/+/, '') ?? '';
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(dir, 'repo', name));
      res
        .writeHead(200, { 'content-type': name.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [index, files] of charts.entries()) {
    const source = join(dir, `chart-${index}`);
    await writeTree(source, files);
    await run(helm, ['package', source, '--destination', join(dir, 'repo')], dir);
  }
  await run(helm, ['repo', 'index', join(dir, 'repo'), '--url', url], dir);
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function run(binary: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: cwd, HELM_CACHE_HOME: join(cwd, '.helm-cache') };
    const child = spawn(binary, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${binary} ${args.join(' ')} failed: ${stderr}`)),
    );
  });
}
