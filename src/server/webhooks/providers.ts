import { bitbucket } from './bitbucket.js';
import { generic } from './generic.js';
import { gitea } from './gitea.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { jenkins } from './jenkins.js';
import type { WebhookProvider } from './provider.js';

/** One line per Git host (and CI server that calls back); each gets `POST /hooks/<name>`. */
export const webhookProviders: readonly WebhookProvider[] = [
  github,
  gitlab,
  gitea,
  bitbucket,
  generic,
  jenkins,
];
