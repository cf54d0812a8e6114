// The process driver: the embedded default target (local processes, run-once Jobs, Files).
export { createProcessDriver, processDriverKinds } from './driver.js';
export type { FileSpec } from './kind-file.js';
export type { JobSpec } from './kind-job.js';
export type { ProcessSpec } from './kind-process.js';
export type { ProcessDriverOptions } from './options.js';
