import type { ImagePolicy, ImageRule } from '../core/index.js';
import { IMAGE_DEFAULTS } from './defaults.js';
import type { ImagePolicyInput } from './schema/images.js';

/**
 * Where an image repository lives: the registry named by its first segment when that reads as a
 * host (`registry.example.com/shop/web`, `127.0.0.1:5000/web`, `localhost/web`), else Docker Hub
 * (`nginx` is `library/nginx` there). Loopback registries are spoken to over plain HTTP.
 */
export function imageLocation(image: string): { registry: string; repository: string } {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const isHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!isHost || first === 'docker.io' || first === 'index.docker.io') {
    const path = isHost ? image.slice(slash + 1) : image;
    return { registry: IMAGE_DEFAULTS.dockerHub, repository: path.includes('/') ? path : `library/${path}` };
  }
  const hostname = first.replace(/:\d+$/, '');
  const plain = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  return { registry: `${plain ? 'http' : 'https'}://${first}`, repository: image.slice(slash + 1) };
}

export function buildImagePolicy(input: ImagePolicyInput): ImagePolicy {
  const location = imageLocation(input.image);
  const { policy } = input;
  const rule: ImageRule =
    policy.semver !== undefined
      ? { kind: 'semver', range: policy.semver }
      : policy.regex !== undefined
        ? { kind: 'regex', pattern: policy.regex, order: policy.order ?? 'alphabetical' }
        : { kind: 'digest', tag: policy.digest ?? 'latest' };
  return {
    image: input.image,
    registry: (input.registry ?? location.registry).replace(/\/$/, ''),
    repository: location.repository,
    rule,
    intervalMs: input.interval ?? IMAGE_DEFAULTS.intervalMs,
    ...(input.credentials ? { credentials: { ...input.credentials } } : {}),
    ...(input.helmValues
      ? {
          helmValues: {
            path: input.helmValues.path,
            ...(input.helmValues.file !== undefined ? { file: input.helmValues.file } : {}),
          },
        }
      : {}),
  };
}
