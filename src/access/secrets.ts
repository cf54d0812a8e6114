import { parseAllDocuments } from 'yaml';
import { configSecretNames } from '../config/index.js';
import {
  type AppStatus,
  type ControlConfig,
  type Engine,
  errorMessage,
  type Logger,
  type RepoRef,
  type SourceFile,
  type SourceProvider,
} from '../core/index.js';
import { createRedactor, noRedaction, type Redactor } from '../util/index.js';

/** Env var names manifests take secrets from: `spec.secretEnv.<KEY>.fromEnv`. */
export function manifestSecretNames(files: readonly SourceFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    if (!/\.ya?ml$/i.test(file.path)) continue;
    let docs: ReturnType<typeof parseAllDocuments>;
    try {
      docs = parseAllDocuments(file.content.toString('utf8'));
    } catch {
      continue;
    }
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) {
      if (doc.errors.length > 0) continue;
      const value = doc.toJS({ maxAliasCount: 50 }) as { spec?: { secretEnv?: unknown } } | null;
      const secretEnv = value?.spec?.secretEnv;
      if (!secretEnv || typeof secretEnv !== 'object') continue;
      for (const ref of Object.values(secretEnv)) {
        const name = (ref as { fromEnv?: unknown } | null)?.fromEnv;
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return [...names];
}

export interface SecretRedaction {
  /** Masks secret values (from the env vars config and manifests name) and `secretPatterns` matches. */
  redact(text: string): string;
  /** The redaction in force now: take it once for a whole response rather than per string. */
  redactor(): Redactor;
  /** Re-read every app's manifests for secretEnv names (at start, after new commits). */
  scan(): Promise<void>;
  /** Keep scanning on `source.updated` and `sync.finished`. */
  watch(): () => void;
}

/**
 * Redaction for everything chat says, stores and logs: values of `secretEnv` (the env vars the
 * manifests read secrets from), of the secrets the config names, and `secretPatterns` matches.
 */
export function createSecretRedaction(deps: {
  config: () => ControlConfig | undefined;
  env: Readonly<Record<string, string | undefined>>;
  engine?: Pick<Engine, 'apps' | 'status' | 'events' | 'secretValues'>;
  source?: SourceProvider;
  repoOf?: (app: string) => RepoRef | undefined;
  log: Logger;
}): SecretRedaction {
  const manifestNames = new Map<string, string[]>();
  /** Bumped whenever manifestNames changes, so the names below are recomputed only then. */
  let manifestVersion = 0;
  let names: { config: ControlConfig | undefined; version: number; list: string[] } | undefined;
  let ofConfig: { config: ControlConfig; list: string[] } | undefined;
  let cachedKey = '';
  let redactor: Redactor = noRedaction;

  // Called for every string of every response: walking a config of 1,000 apps each time made
  // GET /api/v1/apps take seconds. The names change only with a new config or new manifests,
  // and the config is walked only when it is a new one (not when an app's manifests changed).
  const namesOfConfig = (config: ControlConfig): string[] => {
    if (ofConfig?.config !== config) ofConfig = { config, list: configSecretNames(config) };
    return ofConfig.list;
  };
  const secretNames = (config: ControlConfig | undefined): string[] => {
    if (names === undefined || names.config !== config || names.version !== manifestVersion) {
      const list = new Set([...(config ? namesOfConfig(config) : []), ...[...manifestNames.values()].flat()]);
      names = { config, version: manifestVersion, list: [...list] };
    }
    return names.list;
  };

  const current = (): Redactor => {
    const config = deps.config();
    const values = secretNames(config)
      .map((n) => deps.env[n])
      .filter((v): v is string => typeof v === 'string')
      .concat([...(deps.engine?.secretValues?.() ?? [])]);
    const patterns = config?.secretPatterns ?? [];
    const key = JSON.stringify([values, patterns]);
    if (key !== cachedKey) {
      cachedKey = key;
      redactor =
        values.length > 0 || patterns.length > 0 ? createRedactor({ values, patterns }) : noRedaction;
    }
    return redactor;
  };

  /** Where each app was scanned: the manifests at one revision never change, so a sync at it needs no rescan. */
  const scannedAt = new Map<string, string>();

  async function scanApp(app: string, revision: string | undefined, path: string): Promise<void> {
    const repo = deps.repoOf?.(app);
    if (!deps.source || !repo || !revision) return;
    const at = JSON.stringify([repo, revision, path]);
    if (scannedAt.get(app) === at) return;
    try {
      const found = manifestSecretNames(await deps.source.readFiles(repo, revision, path));
      scannedAt.set(app, at);
      const before = manifestNames.get(app);
      // Every sync rescans its app; most find the names they found before, which changes nothing.
      if (before?.length === found.length && before.every((name, i) => name === found[i])) return;
      manifestNames.set(app, found);
      manifestVersion++;
    } catch (err) {
      deps.log.debug({ app, err: errorMessage(err) }, 'could not read manifests for secret names');
    }
  }

  const redaction: SecretRedaction = {
    redact: (text) => current()(text),
    redactor: current,
    async scan() {
      for (const app of deps.engine?.apps() ?? []) {
        await scanApp(app.name, app.desiredRevision ?? app.revision, app.source.path);
      }
    },
    watch() {
      const events = deps.engine?.events;
      if (!events) return () => {};
      // One app's status, not every app's: a wave of 1,000 syncs cost 1,000 x 1,000 app statuses.
      const scanOne = (name: string) => {
        let app: AppStatus | undefined;
        try {
          app = deps.engine?.status(name);
        } catch {
          return; // removed meanwhile
        }
        if (app) void scanApp(app.name, app.desiredRevision ?? app.revision, app.source.path);
      };
      return events.subscribe((event) => {
        if (event.type === 'source.updated') for (const app of event.apps) scanOne(app);
        if (event.type === 'sync.started') scanOne(event.app);
      });
    },
  };
  return redaction;
}
