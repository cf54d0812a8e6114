import type { FileTree } from '../../support/git.js';

/** A base (Namespace + Deployment) and a prod overlay that renames it and sets 3 replicas. */
export const webOverlay = (image = 'web:1'): FileTree => ({
  'apps/web/base/kustomization.yaml': 'resources: [namespace.yaml, deployment.yaml]\n',
  'apps/web/base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n',
  'apps/web/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "${image}" }] }
`,
  'apps/web/overlays/prod/kustomization.yaml': `resources: [../../base]
namePrefix: prod-
patches:
  - patch: |
      - { op: replace, path: /spec/replicas, value: 3 }
    target: { kind: Deployment }
`,
});
