// CI servers (Jenkins, GitHub Actions, GitLab): start a job, follow it, list and cancel builds.
// One client per kind behind the CiClient port; secrets come from env vars named in `ci:`.

export { type Followed, type FollowOptions, followBuild } from './follow.js';
export { createCiJobRunner } from './job-runner.js';
export { type CiService, createCiService, type TrackedBuild } from './service.js';
export {
  type BuildHandle,
  type BuildPhase,
  type BuildState,
  type BuildSummary,
  buildId,
  type CiClient,
  FINAL_PHASES,
} from './types.js';
