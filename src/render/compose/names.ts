import { createHash } from 'node:crypto';
import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

/** Compose's own rule for service, volume and network names (compose-spec's patternProperties). */
const COMPOSE_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_LABEL = 63;

/**
 * A Wheelhouse resource name (a DNS label) for a valid Compose name: lowercase, `_` and `.` as
 * `-`, no leading or trailing `-`; a name that is still too long (or empty) ends in a short hash
 * of the Compose name so two long names stay apart. Pure and stable across revisions.
 */
export function resourceNameFor(composeName: string): string {
  const plain = composeName
    .toLowerCase()
    .replace(/[_.]/g, '-')
    .replace(/^-+|-+$/g, '');
  if (plain.length > 0 && plain.length <= MAX_LABEL) return plain;
  const hash = createHash('sha256').update(composeName).digest('hex').slice(0, 8);
  const head = plain.slice(0, MAX_LABEL - hash.length - 1).replace(/-+$/, '');
  return head.length > 0 ? `${head}-${hash}` : hash;
}

/**
 * The resource names of one kind of Compose object (services, networks or volumes), handed out
 * in file order. A name Compose itself refuses, or one whose resource name another entry already
 * has, is reported once where it is declared; `name()` then answers undefined and callers stay
 * silent about it, so one mistake is one message.
 */
export class NameTable {
  private readonly names = new Map<string, string | undefined>();
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly reader: Reader,
    private readonly what: 'service' | 'network' | 'volume',
  ) {}

  /** Registers the Compose key at `path`; the resource name, or undefined (reported) when unusable. */
  add(key: string, path: YamlPath): string | undefined {
    if (!COMPOSE_NAME.test(key)) {
      this.reader.issue(
        path,
        `${this.what} name "${key}" is not a valid Compose name — use only letters, digits, "_", "." and "-"`,
        'key',
      );
      this.names.set(key, undefined);
      return undefined;
    }
    const name = resourceNameFor(key);
    const owner = this.owners.get(name);
    if (owner !== undefined) {
      this.reader.issue(
        path,
        `${this.what} "${key}" and "${owner}" both become the resource name "${name}" (Wheelhouse lowercases names and writes "_" and "." as "-") — rename one of them`,
        'key',
      );
      this.names.set(key, undefined);
      return undefined;
    }
    this.owners.set(name, key);
    this.names.set(key, name);
    return name;
  }

  /** True when the key was declared, usable or not (an unusable one was already reported). */
  declared(key: string): boolean {
    return this.names.has(key);
  }

  name(key: string): string | undefined {
    return this.names.get(key);
  }
}
