// The kubernetes driver: converges any Kubernetes cluster to plain Kubernetes manifests (any kind,
// CRDs included) with server-side apply, an inventory per app for prune, and watches for drift.
export { createKubernetesDriver } from './driver.js';
export { kubernetesManifests } from './manifests.js';
export { type KubeOptions, parseKubeOptions } from './options.js';
