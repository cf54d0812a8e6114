/** The realistic app of the engine tests: every file of `apps/shop` for a kubernetes target. */
export const SHOP_PASSWORD = 'hunter2-not-in-git';

export const config = (kubeconfig: string, extra = '') => `targets:
  prod: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: wheelhouse-test, namespace: shop }
apps:
  - name: shop
    path: apps/shop
    target: prod
    environment: prod
${extra}`;

export const namespace = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

export const configAndSecret = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  GREETING: hello
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
type: Opaque
secretEnv:
  PASSWORD: { fromEnv: SHOP_PASSWORD }
`;

export const deployment = (image = 'nginx:1.27', replicas = 3, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
          ports:
            - containerPort: 80
          envFrom:
            - configMapRef: { name: web-config }
${extra}`;

export const serviceAndIngress = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.test
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: web, port: { number: 80 } }
`;

export const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer, minimum: 1 }
`;

export const widget = (size = 3) => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: gizmo
spec:
  size: ${size}
`;

export function shopFiles(kubeconfig: string): Record<string, string> {
  return {
    'wheelhouse.yaml': config(kubeconfig),
    'apps/shop/namespace.yaml': namespace,
    'apps/shop/config.yaml': configAndSecret,
    'apps/shop/deployment.yaml': deployment(),
    'apps/shop/service.yaml': serviceAndIngress,
    'apps/shop/crd.yaml': crd,
    'apps/shop/widget.yaml': widget(),
  };
}
