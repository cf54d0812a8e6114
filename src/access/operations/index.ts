import type { Operation, OperationRegistry } from '../operation.js';
import type { OperationDeps } from './deps.js';
import { imageUpdateOperation } from './image-update.js';
import { lockOperation, unlockOperation } from './lock.js';
import { autoSyncOperation } from './pause.js';
import { promoteOperation } from './promote.js';
import { refreshOperation } from './refresh.js';
import { rollbackOperation } from './rollback.js';
import { scaleOperation } from './scale.js';
import { setEnvOperation } from './set-env.js';
import { syncOperation } from './sync.js';

export { repoOf } from './app-source.js';
export type { OperationDeps } from './deps.js';
export { IMAGE_BOT } from './image-update.js';
export { appInEnvironment } from './promote.js';
export { commitsSince, runSync, syncOutcome } from './sync-run.js';

/** Every action the actions service can execute, by command name. One line per operation. */
export function createOperations(deps: OperationDeps): OperationRegistry {
  const list: Operation[] = [
    syncOperation(deps),
    refreshOperation(deps),
    lockOperation(deps),
    unlockOperation(deps),
    rollbackOperation(deps),
    scaleOperation(deps),
    setEnvOperation(deps),
    promoteOperation(deps),
    autoSyncOperation(deps, false),
    autoSyncOperation(deps, true),
    imageUpdateOperation(deps),
  ];
  return new Map(list.map((op) => [op.name, op]));
}
