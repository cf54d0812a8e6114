import { helmRenderer } from './helm/index.js';
import { kustomizeRenderer } from './kustomize/index.js';
import type { ToolRenderer } from './tools/tool-renderer.js';

/**
 * One line per tool renderer; the first that claims an app renders it, and its output then goes
 * through the plain manifest renderer. Helm first: a `helm:` entry is explicit, kustomize is also
 * picked by a kustomization.yaml in the app's path.
 */
export const toolRenderers: readonly ToolRenderer[] = [helmRenderer, kustomizeRenderer];
