import type { AppStatus } from '../../core/index.js';
import { normalizeRepoUrl, sameRepo } from '../../source/git/index.js';

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

/**
 * What to hand `engine.refreshRepo`: each matched source once, plus the pushed URLs that are not
 * the same mirror as one of them (the control repo may be followed without any app on it).
 * Duplicates would cost an extra fetch each.
 */
export function refreshTargets(pushed: readonly string[], match: RepoMatch): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const url of [...match.sources, ...pushed]) {
    const key = safeNormalize(url);
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push(url);
  }
  return out;
}

function safeNormalize(url: string): string | undefined {
  try {
    return normalizeRepoUrl(url);
  } catch {
    return undefined;
  }
}
