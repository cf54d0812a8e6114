import type { DesiredResource, ValidationIssue } from '../core/index.js';

/** One render: the resources, and what the render tool left out or changed (helm hooks). */
export interface CachedRender {
  resources: DesiredResource[];
  warnings: ValidationIssue[];
}

/**
 * Renders cached by (app, target, tree id): an app whose path tree did not change is never
 * re-rendered. Bounded LRU so a long-running engine does not grow without limit.
 */
export interface RenderCache {
  get(app: string, target: string, digest: string): CachedRender | undefined;
  set(app: string, target: string, digest: string, render: CachedRender): void;
  /** How many renders ran (bench: "how many apps were re-rendered"). */
  readonly renders: number;
  countRender(): void;
}

export function createRenderCache(capacity = 5000): RenderCache {
  const entries = new Map<string, CachedRender>();
  let renders = 0;
  const keyOf = (app: string, target: string, digest: string) => `${app}\u0000${target}\u0000${digest}`;
  return {
    get(app, target, digest) {
      const key = keyOf(app, target, digest);
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(app, target, digest, render) {
      const key = keyOf(app, target, digest);
      entries.delete(key);
      entries.set(key, render);
      while (entries.size > capacity) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    get renders() {
      return renders;
    },
    countRender() {
      renders++;
    },
  };
}
