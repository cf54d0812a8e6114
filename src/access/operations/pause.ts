import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shortSha } from '../../util/index.js';
import { findAppIndex, setYamlValue } from '../../writeback/index.js';
import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, text } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';

const CONTROL_FILE = 'wheelhouse.yaml';

/** `pause` / `resume`: auto-sync off or on, as a commit to wheelhouse.yaml in the control repo. */
export function autoSyncOperation(deps: OperationDeps, auto: boolean): Operation {
  const name = auto ? 'resume' : 'pause';
  return {
    name,
    app: appArg,
    describe: (args) => `${name} ${String(args.app)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const spec = appSpec(deps.engine.config(), app);
      const outcome = await commitAndApply(deps, ctx, {
        command: name,
        spec,
        repo: {
          url: deps.controlRepo.url,
          ...(deps.controlRepo.auth ? { auth: deps.controlRepo.auth } : {}),
        },
        branch: deps.controlRepo.ref,
        protected: deps.controlRepo.protected ?? (spec.sourceIsControlRepo && spec.source.protected),
        subject: `${auto ? 'Resume' : 'Pause'} auto-sync of ${app}`,
        unchanged: `auto-sync of ${app} is already ${auto ? 'on' : 'off'} in ${CONTROL_FILE}; nothing to change`,
        async edit(worktree) {
          const file = join(worktree.dir, CONTROL_FILE);
          const before = await readFile(file, 'utf8');
          const index = findAppIndex(before, CONTROL_FILE, app);
          const after = setYamlValue(before, CONTROL_FILE, 0, ['apps', index, 'sync', 'auto'], auto);
          if (after === before) return false;
          await writeFile(file, after);
          return true;
        },
      });
      if (!outcome.ok || outcome.branch || !outcome.commit) return outcome;
      return {
        ...outcome,
        summary: auto
          ? `auto-sync of ${app} is on again (commit ${shortSha(outcome.commit)}); ${outcome.summary}`
          : `auto-sync of ${app} is off (commit ${shortSha(outcome.commit)}): new commits wait for \`sync ${app}\` or \`resume ${app}\``,
      };
    },
  };
}
