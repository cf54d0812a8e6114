import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretValuesRegExp } from '../../util/index.js';

const MARK = /\{\{wheelhouse-sealed:([0-9a-f]{32})\}\}/g;
const HAS_MARK = /\{\{wheelhouse-sealed:[0-9a-f]{32}\}\}/;

/**
 * Keeps values the engine knows to be secret (decrypted from SOPS files) out of the resource
 * records on disk. Each occurrence is written as `{{wheelhouse-sealed:<fingerprint>}}`, an
 * HMAC-SHA-256 of the value under a random key of this target (`seal.key`, mode 0600), and put
 * back once the engine knows the value again (after a restart: when it has decrypted the app).
 */
export class SealedValues {
  private key: Buffer | undefined;
  private seen = -1;
  /** Whether a text holds any known secret value (not global: `test` keeps no state). */
  private contains: RegExp | undefined;
  /** Every known secret value, for replacing. */
  private all: RegExp | undefined;
  private byFingerprint = new Map<string, string>();

  constructor(
    private readonly stateDir: string,
    private readonly known: () => ReadonlySet<string> = () => new Set(),
  ) {}

  /**
   * The record as JSON ending with a newline, every secret value in it replaced by its mark;
   * `indent` 0 makes it one line.
   */
  stringify(record: unknown, indent = 2): string {
    this.refresh();
    const { contains, all } = this;
    const replacer =
      contains && all
        ? (_key: string, value: unknown) =>
            typeof value === 'string' && contains.test(value)
              ? value.replace(all, (secret) => `{{wheelhouse-sealed:${this.fingerprint(secret)}}}`)
              : value
        : undefined;
    return `${JSON.stringify(record, replacer, indent)}\n`;
  }

  /** Whether anything in the record is still sealed. */
  isSealed(record: object): boolean {
    return HAS_MARK.test(JSON.stringify(record));
  }

  /**
   * Puts the values back, in place, where the engine knows them now; true when nothing is left
   * sealed (only then may the record be used to start a process or show a spec).
   */
  unseal(record: object): boolean {
    this.refresh();
    let left = false;
    const visit = (value: unknown): unknown => {
      if (typeof value === 'string') {
        if (!HAS_MARK.test(value)) return value;
        const out = value.replace(MARK, (mark, print: string) => this.byFingerprint.get(print) ?? mark);
        if (HAS_MARK.test(out)) left = true;
        return out;
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
      } else if (value !== null && typeof value === 'object') {
        const obj = value as Record<string, unknown>;
        for (const k of Object.keys(obj)) obj[k] = visit(obj[k]);
      }
      return value;
    };
    visit(record);
    return !left;
  }

  private refresh(): void {
    const values = this.known();
    if (values.size === this.seen) return;
    this.seen = values.size;
    this.all = secretValuesRegExp(values);
    this.contains = this.all ? new RegExp(this.all.source) : undefined;
    this.byFingerprint = new Map([...values].map((value) => [this.fingerprint(value), value]));
  }

  private fingerprint(value: string): string {
    return createHmac('sha256', this.sealKey()).update(value).digest('hex').slice(0, 32);
  }

  private sealKey(): Buffer {
    if (this.key) return this.key;
    const path = join(this.stateDir, 'seal.key');
    try {
      writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    this.key = readFileSync(path);
    return this.key;
  }
}
