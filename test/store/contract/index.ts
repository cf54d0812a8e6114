// The Store contract: every store implementation runs the same suites against a real database.
import { approvalContract } from './approvals.js';
import { auditContract } from './audit.js';
import { chatContract } from './chat.js';
import { crashContract } from './crash.js';
import type { StoreHarness } from './harness.js';
import { healthHistoryContract } from './health-history.js';
import { lockContract, userContract } from './locks-users.js';
import { migrationContract } from './migrations.js';
import { previewContract } from './previews.js';
import { appStateContract, deliveryContract } from './state.js';
import { syncContract } from './syncs.js';

export type { StoreHarness } from './harness.js';

export function storeContract(h: StoreHarness): void {
  migrationContract(h);
  syncContract(h);
  auditContract(h);
  approvalContract(h);
  lockContract(h);
  userContract(h);
  chatContract(h);
  appStateContract(h);
  deliveryContract(h);
  crashContract(h);
  healthHistoryContract(h);
  previewContract(h);
}
