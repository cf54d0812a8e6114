import { findResource, setYamlValue } from '../../writeback/index.js';
import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, text, whole } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';
import { readManifests, writeManifest } from './manifest-files.js';

/** Kinds whose `spec.replicas` scale edits: processes, and Kubernetes workloads. */
const SCALABLE = ['Process', 'Deployment', 'StatefulSet'] as const;

export function scaleOperation(deps: OperationDeps): Operation {
  return {
    name: 'scale',
    app: appArg,
    describe: (args) => `scale ${String(args.app)}/${String(args.process)} to ${String(args.replicas)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const process = text(args, 'process');
      const replicas = whole(args, 'replicas', 0, 100);
      const spec = appSpec(deps.engine.config(), app);
      return commitAndApply(deps, ctx, {
        command: 'scale',
        spec,
        subject: `${app}: scale ${process} to ${replicas} replica${replicas === 1 ? '' : 's'}`,
        unchanged: `${app}/${process} already declares ${replicas} replica${replicas === 1 ? '' : 's'}; nothing to change`,
        async edit(worktree) {
          const files = await readManifests(worktree.dir, spec.path);
          const found = findResource(files, SCALABLE, process, app);
          const file = files.find((f) => f.path === found.path);
          if (!file) return false;
          const next = setYamlValue(file.text, file.path, found.docIndex, ['spec', 'replicas'], replicas);
          if (next === file.text) return false;
          await writeManifest(worktree.dir, file.path, next);
          return true;
        },
      });
    },
  };
}
