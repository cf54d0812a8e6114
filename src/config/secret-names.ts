import type { ControlConfig } from '../core/index.js';

/** Keys whose string value names an environment variable holding a secret (`passwordEnv`, `secretEnv`). */
const SECRET_REF_KEY = /^(secretEnv|passwordEnv|tokenEnv|[A-Za-z]+(Secret|Token|Password)Env)$/;

/** Names of the env vars a configuration says hold secrets (anywhere in it). */
export function configSecretNames(config: ControlConfig): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (typeof child === 'string' && SECRET_REF_KEY.test(key)) names.add(child);
        else visit(child);
      }
    }
  };
  visit(config);
  return [...names];
}
