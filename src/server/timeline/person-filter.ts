import type { Person } from '../../core/index.js';

/** Platforms whose users are Wheelhouse token users: `web:alice`, `api:alice`, `cli:alice` are one user. */
const TOKEN_PLATFORMS = ['web', 'api', 'cli'];

export interface PersonFilter {
  /** Every actor id that stands for the person (lower case). */
  readonly ids: ReadonlySet<string>;
  matchesActor(actor: string | undefined): boolean;
  /** A commit matches by its `Wheelhouse-Actor` trailer or its author's name or email. */
  matchesCommit(commit: {
    authorName: string;
    authorEmail: string;
    trailers?: Record<string, string>;
  }): boolean;
}

function aliases(id: string): string[] {
  const at = id.indexOf(':');
  if (at <= 0) return [id];
  const platform = id.slice(0, at);
  const user = id.slice(at + 1);
  return TOKEN_PLATFORMS.includes(platform) ? TOKEN_PLATFORMS.map((p) => `${p}:${user}`) : [id];
}

/**
 * "Filter by person": the query is an actor id (`slack:U123`, `web:alice`), a person's name or
 * email from `people:` in wheelhouse.yaml, or a token user's name (`alice`). It expands to every id
 * of that person, so one person's chat, dashboard, API and Git activity shows together.
 */
export function personFilter(query: string, people: readonly Person[]): PersonFilter {
  const q = query.trim().toLowerCase();
  const ids = new Set<string>(q.includes(':') ? aliases(q) : TOKEN_PLATFORMS.map((p) => `${p}:${q}`));
  const names = new Set<string>();
  const emails = new Set<string>();
  if (!q.includes(':')) {
    names.add(q);
    if (q.includes('@')) emails.add(q);
  }
  for (const person of people) {
    const personIds = person.ids.map((id) => id.toLowerCase());
    const hit =
      person.name.toLowerCase() === q ||
      person.email.toLowerCase() === q ||
      personIds.some((id) => ids.has(id) || aliases(id).some((a) => ids.has(a)));
    if (!hit) continue;
    for (const id of personIds) for (const a of aliases(id)) ids.add(a);
    names.add(person.name.toLowerCase());
    emails.add(person.email.toLowerCase());
  }
  return {
    ids,
    matchesActor: (actor) => actor !== undefined && ids.has(actor.toLowerCase()),
    matchesCommit(commit) {
      const trailer = commit.trailers?.['Wheelhouse-Actor'];
      if (trailer && ids.has(trailer.toLowerCase())) return true;
      return names.has(commit.authorName.toLowerCase()) || emails.has(commit.authorEmail.toLowerCase());
    },
  };
}
