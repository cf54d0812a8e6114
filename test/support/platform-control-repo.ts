import type { FileTree } from './git.js';
import { waitFor } from './wait-for.js';

/**
 * A control repo for chat platform end-to-end tests: two apps running a real Node HTTP server
 * (`web` in dev, `web-prod` in prod, where scale needs one approval), three people — Alice
 * deploys, Bob deploys and approves prod, Carol only reads — and the platform's chat section
 * and notification route, written by the caller.
 */
const SERVER = `import { createServer } from 'node:http';
const port = Number(process.env.PORT);
const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  res.writeHead(200).end(process.env.GREETING ?? '');
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export function processManifest(prefix: string, greeting: string): string {
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
  replicas: 1
  health:
    http: { url: "http://127.0.0.1:${prefix}\${WHEELHOUSE_REPLICA}/healthz" }
    periodSeconds: 1
  stopTimeoutSeconds: 5
`;
}

export interface PlatformPeople {
  alice: string;
  bob: string;
  carol: string;
}

export function platformControlRepo(input: {
  /** Ports `<prefix>0..9` of each app's replicas. */
  devPrefix: string;
  prodPrefix: string;
  /** Actor ids, e.g. `slack:UALICE`. */
  people: PlatformPeople;
  /** The `chat:` section's platform entry, as YAML lines under `chat:` (indented by 2). */
  chat: string;
  /** The notification route (platform and channel). */
  route: { platform: string; channel: string };
}): FileTree {
  const { people } = input;
  return {
    'wheelhouse.yaml': `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: web-prod
    path: apps/web-prod
    environment: prod
people:
  - { name: Alice, email: alice@example.com, ids: ["${people.alice}"] }
  - { name: Bob, email: bob@example.com, ids: ["${people.bob}"] }
  - { name: Carol, email: carol@example.com, ids: ["${people.carol}"] }
access:
  bindings:
    - { subjects: ["Alice"], role: deployer }
    - { subjects: ["Bob"], role: deployer }
    - { subjects: ["Bob"], role: approver, environments: [prod] }
  defaultRole: viewer
approvals:
  - { environments: [prod], commands: [sync, scale], required: 1, expiresAfter: 1h }
notifications:
  routes:
    - { platform: ${input.route.platform}, channel: "${input.route.channel}", apps: [web], events: [sync.succeeded] }
    - { platform: ${input.route.platform}, channel: "${input.route.channel}", events: [approval.requested] }
chat:
${input.chat}
`,
    'apps/web/web.yaml': processManifest(input.devPrefix, 'v1'),
    'apps/web-prod/web.yaml': processManifest(input.prodPrefix, 'prod-v1'),
    'services/web/server.mjs': SERVER,
  };
}

/** GET a URL; undefined when nothing answers (yet). */
export async function httpGet(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until the first replica of both apps answers with its first greeting. */
export async function bothAppsRunning(devPrefix: string, prodPrefix: string): Promise<void> {
  await waitFor(
    'both apps to run',
    async () =>
      (await httpGet(`http://127.0.0.1:${devPrefix}0/`)) === 'v1' &&
      (await httpGet(`http://127.0.0.1:${prodPrefix}0/`)) === 'prod-v1',
    { timeoutMs: 90_000 },
  );
}
