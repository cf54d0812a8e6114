import { WheelhouseError } from '../../core/index.js';
import { findResource, setKustomizeLiteral, setYamlValue } from '../../writeback/index.js';
import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, envMap, text } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';
import { editHelmEnv } from './helm-values.js';
import { kustomizationOf, readManifests, writeManifest } from './manifest-files.js';

export function setEnvOperation(deps: OperationDeps): Operation {
  return {
    name: 'set',
    app: appArg,
    describe: (args) =>
      `set env ${String(args.app)}/${String(args.process)} ${Object.keys((args.env as Record<string, string>) ?? {}).join(', ')}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const process = text(args, 'process');
      const vars = envMap(args, 'env');
      const redact = deps.redact ?? ((t: string) => t);
      for (const [key, value] of Object.entries(vars)) {
        if (redact(value) !== value) {
          throw new WheelhouseError(
            'INPUT_REFUSED',
            `the value of ${key} looks like a secret (it matches secretPatterns); values land in Git, so put secrets in the manifest's secretEnv instead`,
            { details: { app, resource: process } },
          );
        }
      }
      const spec = appSpec(deps.engine.config(), app);
      const names = Object.keys(vars);
      return commitAndApply(deps, ctx, {
        command: 'set-env',
        spec,
        subject: `${app}: set ${names.join(', ')} on ${process}`,
        body: names.map((k) => `${k}=${vars[k]}`).join('\n'),
        unchanged: `${app}/${process} already has ${names.map((k) => `${k}=${vars[k]}`).join(' ')}; nothing to change`,
        async edit(worktree) {
          if (spec.helm) return editHelmEnv(worktree.dir, spec, vars);
          const files = await readManifests(worktree.dir, spec.path);
          const kustomization = kustomizationOf(files, spec.path);
          if (kustomization) {
            let text = kustomization.text;
            for (const key of names)
              text = setKustomizeLiteral(text, kustomization.path, process, key, vars[key] ?? '');
            if (text === kustomization.text) return false;
            await writeManifest(worktree.dir, kustomization.path, text);
            return true;
          }
          const found = findResource(files, 'Process', process, app);
          const spec_ = (found.value.spec ?? {}) as Record<string, unknown>;
          const secret =
            spec_.secretEnv && typeof spec_.secretEnv === 'object' ? Object.keys(spec_.secretEnv) : [];
          const clash = names.filter((k) => secret.includes(k));
          if (clash.length > 0) {
            throw new WheelhouseError(
              'INPUT_REFUSED',
              `${app}/${process} takes ${clash.join(', ')} from secretEnv; change the secret where it lives, not through set env`,
              { details: { app, resource: process } },
            );
          }
          const file = files.find((f) => f.path === found.path);
          if (!file) return false;
          let next = file.text;
          for (const key of names)
            next = setYamlValue(next, file.path, found.docIndex, ['spec', 'env', key], vars[key] ?? '');
          if (next === file.text) return false;
          await writeManifest(worktree.dir, file.path, next);
          return true;
        },
      });
    },
  };
}
