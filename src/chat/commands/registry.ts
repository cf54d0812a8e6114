import { approvals } from './approvals.js';
import { approve } from './approve.js';
import { audit } from './audit.js';
import { build } from './build.js';
import { builds } from './builds.js';
import { cancel } from './cancel.js';
import type { CommandDefinition } from './definition.js';
import { deny } from './deny.js';
import { diff } from './diff.js';
import { help } from './help.js';
import { history } from './history.js';
import { images } from './images.js';
import { lock } from './lock.js';
import { locks } from './locks.js';
import { logs } from './logs.js';
import { metrics } from './metrics.js';
import { pause } from './pause.js';
import { preview } from './preview.js';
import { promote } from './promote.js';
import { refresh } from './refresh.js';
import { resume } from './resume.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { set } from './set.js';
import { status } from './status.js';
import { sync } from './sync.js';
import { unlock } from './unlock.js';
import { whoami } from './whoami.js';

/** Every chat command, in the order `help` lists them. One line per command. */
export const COMMANDS: readonly CommandDefinition[] = [
  help,
  status,
  diff,
  history,
  logs,
  whoami,
  audit,
  locks,
  images,
  approvals,
  sync,
  refresh,
  lock,
  unlock,
  approve,
  deny,
  rollback,
  scale,
  set,
  promote,
  pause,
  resume,
  build,
  builds,
  cancel,
  metrics,
  preview,
];
