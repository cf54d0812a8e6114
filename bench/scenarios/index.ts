import type { Scenario } from '../lib/scenario.js';
import { apiThroughput } from './api-throughput.js';
import { chatPlatformAck } from './chat-platforms.js';
import { slackTeamsAck } from './chat-slack-teams.js';
import { chatRoundTrip, chatSyncApplied } from './chatops.js';
import { cliStartup } from './cli-startup.js';
import { commitToApplied } from './commit-to-applied.js';
import { dashboard10k } from './dashboard-10k.js';
import { deliveryMetrics } from './delivery-metrics.js';
import { dockerCompose } from './docker-compose.js';
import { gitSources } from './git-sources.js';
import { k8sVsFlux } from './k8s-vs-flux.js';
import { kubernetes } from './kubernetes.js';
import { monorepo } from './monorepo.js';
import { replicaFailover } from './replica-failover.js';
import { replicaSoak } from './replica-soak.js';
import { sseFanout } from './sse-fanout.js';
import { webhookPush } from './webhook-push.js';

/** One line per scenario; `npm run bench -- NAME` runs only the named ones. */
export const scenarios: Scenario[] = [
  commitToApplied,
  monorepo,
  gitSources,
  webhookPush,
  apiThroughput,
  sseFanout,
  chatRoundTrip,
  chatSyncApplied,
  dockerCompose,
  slackTeamsAck,
  chatPlatformAck,
  kubernetes,
  k8sVsFlux,
  cliStartup,
  replicaFailover,
  replicaSoak,
  deliveryMetrics,
  dashboard10k,
];
