import type { AppSpec, SourceFile, ValidationIssue } from '../../../src/core/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { composeRenderer } from '../../../src/render/compose/index.js';
import { renderApp } from '../../../src/render/index.js';

/** The app the Compose renderer tests render: `shop` at apps/shop on a docker target. */
export const shopApp = (overrides: Partial<AppSpec> = {}): AppSpec => ({
  name: 'shop',
  path: 'apps/shop',
  target: 'box',
  environment: 'prod',
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
  ...overrides,
});

/** Renders one `apps/shop/compose.yaml` for a docker target. */
export function renderShopCompose(compose: string) {
  const files: SourceFile[] = [{ path: 'apps/shop/compose.yaml', content: Buffer.from(compose) }];
  return renderApp({
    app: shopApp(),
    driver: 'docker',
    files,
    kinds: createKindRegistry(),
    renderers: [composeRenderer],
  });
}

/** An issue as `line:column path: message`, for comparing located errors. */
export const issueAt = (issue: ValidationIssue) =>
  `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`;
