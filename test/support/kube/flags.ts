import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeDataFile } from './data-file.js';
import type { ControlPlanePki } from './pki.js';

/**
 * Command lines of the control plane's servers. Everything listens on 127.0.0.1 only: etcd's
 * client and peer URLs, kube-apiserver's secure port, kube-scheduler's health port;
 * kube-controller-manager serves nothing (--secure-port=0) and kwok runs no server (no
 * --server-address, no --node-port).
 */

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
/** The annotation kwok is told to manage Nodes by; test Nodes carry it. */
export const KWOK_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' };

const KWOK_STAGES = fileURLToPath(kubeDataFile('kwok-stages.yaml'));

export function etcdArgs(dir: string, ports: { client: number; peer: number }): string[] {
  const client = `http://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  return [
    '--name=wheelhouse-test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=wheelhouse-test=${peer}`,
    // A throwaway store on a shared disk: durability buys nothing and fsyncs cost seconds.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(
  dir: string,
  pki: ControlPlanePki,
  ports: { secure: number; etcd: number },
): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.secure}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.apiserver.cert}`,
    `--tls-private-key-file=${pki.apiserver.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    `--service-account-key-file=${pki.serviceAccount.publicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccount.privateKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    // The `kubernetes` Service's endpoints would point at 127.0.0.1, which Endpoints validation
    // rejects; nothing in a kwok cluster dials the API through that Service.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
}

export function controllerManagerArgs(pki: ControlPlanePki, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    '--leader-elect=false',
    // Each controller acts as its own service account, as in a real cluster (RBAC's bootstrap roles).
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccount.privateKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    '--cluster-name=wheelhouse-test',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--profiling=false',
  ];
}

export function schedulerArgs(dir: string, kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'scheduler-certs')}`,
    '--leader-elect=false',
    '--profiling=false',
  ];
}

export function kwokArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--config=${KWOK_STAGES}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    // Node heartbeats through Leases keep the Nodes Ready while kwok runs.
    '--node-lease-duration-seconds=40',
    '--node-ip=10.240.0.1',
    '--cidr=10.244.0.0/16',
  ];
}
