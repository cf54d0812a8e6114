import type { AppSpec, HelmSpec } from '../../core/index.js';

/** Release name and namespace: the app's own unless the entry names them. */
export function releaseOf(app: AppSpec, helm: HelmSpec, targetOptions: Record<string, unknown>) {
  const targetNamespace = typeof targetOptions.namespace === 'string' ? targetOptions.namespace : undefined;
  return { name: helm.releaseName ?? app.name, namespace: helm.namespace ?? targetNamespace ?? app.name };
}

export interface HelmArgsInput {
  app: AppSpec;
  helm: HelmSpec;
  targetOptions: Record<string, unknown>;
  /** The chart directory (in-repo chart), absent for a chart from a repository. */
  chartDir?: string;
  /** Absolute paths of the values files, then the inline values file. */
  valueFiles: readonly string[];
}

/** `helm template RELEASE CHART ...` for one app, never through a shell. */
export function helmTemplateArgs(input: HelmArgsInput): string[] {
  const { app, helm } = input;
  const release = releaseOf(app, helm, input.targetOptions);
  const args = ['template', release.name];
  if (input.chartDir !== undefined) {
    args.push(input.chartDir);
    if (helm.fetchDependencies) args.push('--dependency-update');
  } else if (helm.repository?.startsWith('oci://')) {
    args.push(`${helm.repository.replace(/\/+$/, '')}/${helm.chart ?? ''}`);
  } else {
    args.push(helm.chart ?? '', '--repo', helm.repository ?? '');
  }
  if (helm.version !== undefined) args.push('--version', helm.version);
  args.push('--namespace', release.namespace);
  for (const file of input.valueFiles) args.push('--values', file);
  return args;
}
