import type { AppStatus } from '../../core/index.js';
import { sameRepo } from '../../source/git/index.js';

export interface RepoMatch {
  /** Source URLs as the apps declare them (what `engine.refreshRepo` is called with). */
  sources: string[];
  apps: string[];
}

/**
 * The apps whose source is one of the pushed repository's URLs. Hosts send several forms of the
 * same repository (https clone URL, ssh URL, web URL); any of them matches a source written in
 * any form (https, ssh, scp-style, with or without `.git`, any case of host).
 */
export function matchPushedRepos(pushed: readonly string[], apps: readonly AppStatus[]): RepoMatch {
  const sources = new Set<string>();
  const names = new Set<string>();
  for (const app of apps) {
    if (pushed.some((url) => safeSameRepo(url, app.source.repo))) {
      sources.add(app.source.repo);
      names.add(app.name);
    }
  }
  return { sources: [...sources], apps: [...names].sort() };
}

function safeSameRepo(a: string, b: string): boolean {
  try {
    return sameRepo(a, b);
  } catch {
    return false; // a URL git could not use matches nothing
  }
}
