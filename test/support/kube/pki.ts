import { execFile } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of a PEM certificate and its private key. */
export interface CertPair {
  cert: string;
  key: string;
}

/** Everything the control plane authenticates with, as files under one directory. */
export interface ControlPlanePki {
  ca: CertPair;
  /** kube-apiserver's serving certificate (127.0.0.1, localhost and the in-cluster names). */
  apiserver: CertPair;
  /** Clients: admin is in system:masters; the others carry the identities RBAC's bootstrap roles expect. */
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  /** Service-account token signing key (private) and verification key (public). */
  serviceAccount: { privateKey: string; publicKey: string };
}

/** The first address of the service range (the `kubernetes` Service's ClusterIP). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

// A minimal openssl config so that leaf certificates get only the extensions asked for (the
// system default adds CA:TRUE to anything `req -x509` makes).
const OPENSSL_CONFIG = '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n';

/**
 * Generates a throwaway CA and the certificates a control plane needs, valid for two days. Keys
 * are P-256, made with Node's crypto; openssl (3.x) signs the certificates, which Node cannot do.
 */
export async function createPki(dir: string): Promise<ControlPlanePki> {
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, OPENSSL_CONFIG);
  const ca = await caPair(dir, config);
  const leaf = (name: string, subject: string, extensions: string[]) =>
    leafPair(dir, config, ca, name, subject, extensions);
  const client = ['extendedKeyUsage=clientAuth'];
  const inCluster = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
  const [apiserver, admin, controllerManager, scheduler, serviceAccount] = await Promise.all([
    leaf('apiserver', '/CN=kube-apiserver', [
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${['IP:127.0.0.1', `IP:${KUBERNETES_SERVICE_IP}`, 'DNS:localhost', ...inCluster.map((n) => `DNS:${n}`)].join(',')}`,
    ]),
    leaf('admin', '/O=system:masters/CN=wheelhouse-test-admin', client),
    leaf('controller-manager', '/CN=system:kube-controller-manager', client),
    leaf('scheduler', '/CN=system:kube-scheduler', client),
    keyFiles(dir, 'service-account'),
  ]);
  return { ca, apiserver, admin, controllerManager, scheduler, serviceAccount };
}

async function caPair(dir: string, config: string): Promise<CertPair> {
  const { privateKey: key } = await keyFiles(dir, 'ca');
  const cert = join(dir, 'ca.crt');
  await openssl([
    'req',
    '-config',
    config,
    '-x509',
    '-new',
    '-key',
    key,
    '-subj',
    '/CN=wheelhouse-test-ca',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out',
    cert,
  ]);
  return { cert, key };
}

async function leafPair(
  dir: string,
  config: string,
  ca: CertPair,
  name: string,
  subject: string,
  extensions: string[],
): Promise<CertPair> {
  const { privateKey: key } = await keyFiles(dir, name);
  const cert = join(dir, `${name}.crt`);
  const all = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', ...extensions];
  await openssl([
    'req',
    '-config',
    config,
    '-new',
    '-x509',
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-key',
    key,
    '-subj',
    subject,
    '-days',
    '2',
    ...all.flatMap((extension) => ['-addext', extension]),
    '-out',
    cert,
  ]);
  return { cert, key };
}

/** A P-256 key pair as PEM files `<name>.key` (PKCS#8) and `<name>.pub` (SPKI). */
async function keyFiles(dir: string, name: string): Promise<{ privateKey: string; publicKey: string }> {
  const pair = await promisify(generateKeyPair)('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = join(dir, `${name}.key`);
  const publicKey = join(dir, `${name}.pub`);
  await writeFile(privateKey, pair.privateKey, { mode: 0o600 });
  await writeFile(publicKey, pair.publicKey);
  return { privateKey, publicKey };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(err)}`, { cause: err });
  }
}
