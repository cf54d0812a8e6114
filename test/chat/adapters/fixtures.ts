import type { FileTree } from '../../support/git.js';

/** A tiny HTTP service the process driver runs (one per replica, on `PORT`). */
export const SERVER = `import { createServer } from 'node:http';
const port = Number(process.env.PORT);
const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  res.writeHead(200).end(process.env.GREETING ?? '');
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export function manifest(prefix: string, greeting: string): string {
  return `apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "server.mjs"]
  cwd: services/web
  env:
    PORT: "${prefix}\${WHEELHOUSE_REPLICA}"
    GREETING: "${greeting}"
  replicas: 1   # how many
  health:
    http: { url: "http://127.0.0.1:${prefix}\${WHEELHOUSE_REPLICA}/healthz" }
    periodSeconds: 1
  stopTimeoutSeconds: 5
`;
}

/**
 * A control repo for a platform's end-to-end test: `web` (dev) and `web-prod` (prod, scale
 * needs one approval), Alice deploys everywhere, Bob approves in prod, notifications go to the
 * platform's `alerts` channel, and `chat` is the platform's section.
 */
export function controlRepo(input: {
  dev: string;
  prod: string;
  platform: string;
  alice: string;
  bob: string;
  alerts: string;
  chat: string;
}): FileTree {
  return {
    'wheelhouse.yaml': `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: web-prod
    path: apps/web-prod
    environment: prod
people:
  - { name: Alice, email: alice@example.com, ids: ["${input.platform}:${input.alice}"] }
  - { name: Bob, email: bob@example.com, ids: ["${input.platform}:${input.bob}"] }
access:
  bindings:
    - { subjects: ["Alice"], role: deployer }
    - { subjects: ["Bob"], role: approver, environments: [prod] }
  defaultRole: viewer
approvals:
  - { environments: [prod], commands: [sync, scale], required: 1, expiresAfter: 1h }
notifications:
  routes:
    - { platform: ${input.platform}, channel: "${input.alerts}", apps: [web], events: [sync.succeeded, sync.failed] }
    - { platform: ${input.platform}, channel: "${input.alerts}", events: [approval.requested] }
chat:
  ${input.platform}:
${input.chat
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`,
    'apps/web/web.yaml': manifest(input.dev, 'v1'),
    'apps/web-prod/web.yaml': manifest(input.prod, 'prod-v1'),
    'services/web/server.mjs': SERVER,
  };
}

export async function get(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}
