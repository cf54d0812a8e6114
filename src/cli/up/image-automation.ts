import type { Actions } from '../../access/index.js';
import { currentImage, IMAGE_BOT } from '../../access/index.js';
import type {
  ControlConfig,
  Engine,
  ImagePolicy,
  Logger,
  RepoRef,
  SourceProvider,
} from '../../core/index.js';
import { createImageWatch, createRegistryClient, type ImageWatch } from '../../images/index.js';

export interface ImageAutomationDeps {
  engine: Engine;
  source: SourceProvider;
  actions: Actions;
  controlRepo: RepoRef;
  /** The ref followed in the control repo. */
  controlRef: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/**
 * Image automation wired to the engine: the current reference is read from the head of the app's
 * source branch, and a newer version is asked for as the `image-update` action by
 * the image-automation bot, so the access policy, approval rules and locks decide as for a person.
 */
export function createImageAutomation(deps: ImageAutomationDeps): ImageWatch {
  const config = (): ControlConfig | undefined => {
    try {
      return deps.engine.config();
    } catch {
      return undefined;
    }
  };
  // What was last told per app and image, so a state is announced once, not at every poll.
  const told = new Map<string, string>();
  return createImageWatch({
    apps: () => config()?.apps ?? [],
    onChecked(status) {
      const key = `${status.app} ${status.image}`;
      if (status.state !== 'proposed' && status.state !== 'held' && status.state !== 'error') {
        told.delete(key);
        return;
      }
      const what = `${status.state} ${status.candidate ?? ''}`;
      if (told.get(key) === what) return;
      told.set(key, what);
      deps.engine.events.publish({
        type: 'image.updated',
        app: status.app,
        image: status.image,
        state: status.state,
        ...(status.current ? { current: status.current } : {}),
        ...(status.candidate ? { candidate: status.candidate } : {}),
        message: status.message,
      });
    },
    async current(app, policy) {
      const spec = config()?.apps.find((a) => a.name === app);
      if (!spec) return undefined;
      const repo: RepoRef = spec.sourceIsControlRepo
        ? deps.controlRepo
        : { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) };
      // What the branch holds now (a write-back edits its head), not what was synced last.
      await deps.source.fetch(repo);
      const revision = await deps.source.resolve(
        repo,
        spec.sourceIsControlRepo ? deps.controlRef : spec.source.ref,
      );
      return currentImage(deps.source, repo, revision, spec, policy);
    },
    async propose(update) {
      const result = await deps.actions.perform({
        actor: IMAGE_BOT,
        command: 'image-update',
        args: { ...update },
        text: `image-update ${update.app} ${update.image} ${update.tag ?? ''}${update.digest ? `@${update.digest}` : ''}`.trim(),
        platform: 'images',
      });
      if (result.status === 'done')
        return { committed: result.outcome.commit !== undefined, message: result.outcome.summary };
      if (result.status === 'failed') return { committed: false, message: result.outcome.summary };
      if (result.status === 'awaiting-approval')
        return {
          committed: false,
          awaitingApproval: true,
          message: `waits for approval ${result.approval.id} (${result.approval.required} needed): \`approve ${result.approval.id}\``,
        };
      return { committed: false, message: `not committed: ${result.reason}` };
    },
    client: (policy: ImagePolicy) => {
      const creds = policy.credentials;
      const username = creds ? deps.env[creds.usernameEnv] : undefined;
      const password = creds ? deps.env[creds.passwordEnv] : undefined;
      if (creds && (!username || !password))
        deps.log.warn(
          { image: policy.image, env: [creds.usernameEnv, creds.passwordEnv] },
          'registry credential env vars are not set; asking without credentials',
        );
      return createRegistryClient(username && password ? { credentials: { username, password } } : {});
    },
  });
}
