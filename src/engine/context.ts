import type {
  Cluster,
  EventBus,
  KindRegistry,
  Logger,
  SignatureTrust,
  SourceProvider,
  Store,
  VerifySpec,
} from '../core/index.js';
import type { Redactor } from '../util/index.js';
import type { RenderCache } from './render-cache.js';
import type { Semaphore } from './semaphore.js';
import type { YamlWorkers } from './yaml-workers.js';

/** What the engine's parts share. Built once by `createEngine`. */
export interface EngineContext {
  store: Store;
  source: SourceProvider;
  kinds: KindRegistry;
  events: EventBus;
  renders: RenderCache;
  /** Parses manifests off the engine's thread. */
  yaml: YamlWorkers;
  semaphore: Semaphore;
  log: Logger;
  /** Aborted when the engine stops: running operations wind down. */
  shutdown: AbortSignal;
  now(): Date;
  /** Several replicas on one database: which apps this one owns, and the fence at apply. */
  cluster?: Cluster;
  /** Names of the servers declared under `ci:` in the configuration in force (a CIJob names one). */
  ciServers(): string[];
  /** Masks configured secret patterns in messages that reach history, events and chat. */
  redact(): Redactor;
  /** Remember clear values decrypted from SOPS files: masked from then on. */
  addSecrets(values: readonly string[]): void;
  /** The public keys a `source.verify:` names (read from the control repo in force, or disk). */
  trustOf(
    verify: VerifySpec,
    setting?: (field: 'gpgKeys' | 'allowedSigners') => string,
  ): Promise<SignatureTrust>;
}
