import { composeRenderer } from './compose/index.js';
import { plainManifestRenderer } from './manifest/plain-renderer.js';
import type { Renderer } from './renderer.js';

/**
 * One line per renderer, tried in this order; the first that claims a file renders it. Formats
 * with specific file names (compose files) go before the plain manifests, which claim any YAML.
 */
export const renderers: readonly Renderer[] = [composeRenderer, plainManifestRenderer];
