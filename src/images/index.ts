// Image automation: a Docker Registry v2 client and the rules that pick an image's newest version.
export { formatImageRef, type ImageRef, parseImageRef } from './image-ref.js';
export {
  createImageWatch,
  describeRule,
  type ImageStatus,
  type ImageUpdate,
  type ImageWatch,
  type ImageWatchDeps,
} from './image-watch.js';
export {
  createRegistryClient,
  MANIFEST_TYPES,
  type RegistryClient,
  type RegistryClientOptions,
} from './registry-client.js';
export { type PushedImage, pushedImages, registryHookAuthorized } from './registry-events.js';
export { isNewer, newestTag } from './select-tag.js';
