import { z } from 'zod';
import { isMapping, optional, repoPath, strictObject, text } from './fields.js';

/**
 * `kustomize:` and `helm:` of an app entry: apps whose manifests come out of `kustomize build` or
 * `helm template` (src/render/kustomize, src/render/helm). Kustomize needs no entry when the app's
 * path holds a kustomization.yaml; the entry only widens what the build may read.
 */
export const kustomizeSchema = strictObject({
  root: optional(repoPath()),
  allowRemoteBases: optional(z.boolean()),
});

/** A chart repository: `https://…`/`http://…` (an index.yaml there) or `oci://…` (a registry). */
const chartRepository = () =>
  z.string().refine((value) => /^(https?|oci):\/\/[^\s/]+/.test(value.trim()), {
    message:
      'must be a chart repository URL (https://charts.example.com) or an OCI registry (oci://registry/path)',
  });

export const helmSchema = strictObject({
  chart: optional(text('chart')),
  repository: optional(chartRepository()),
  version: optional(text('version')),
  releaseName: optional(text('releaseName')),
  namespace: optional(text('namespace')),
  valueFiles: optional(z.array(repoPath())),
  values: optional(z.record(z.string(), z.unknown())),
  fetchDependencies: optional(z.boolean()),
}).superRefine((helm, ctx) => {
  if (!isMapping(helm)) return;
  if (helm.repository !== undefined && helm.chart === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['chart'],
      message: 'a chart repository needs the chart name — add `chart: web` (the name in the repository)',
    });
  }
  if (helm.chart !== undefined && helm.repository === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['chart'],
      message:
        "a chart by name needs `repository:` to fetch it from; for a chart in this repo drop `chart:` and point the app's path at the directory holding Chart.yaml",
      params: { at: 'key' },
    });
  }
  if (helm.repository !== undefined && helm.version === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['repository'],
      message:
        'a chart from a repository needs a pinned `version:` (1.2.3) or a range (^1.2.0), so every render takes the same chart',
      params: { at: 'key' },
    });
  }
});
