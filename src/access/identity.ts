import type { Person } from '../core/index.js';
import { groupsOf, verifiedEmailOf } from './groups.js';

/**
 * Platforms whose user names come from Wheelhouse's own tokens (the built-in chat, the API, the
 * CLI). Only there does the user name `admin` mean the admin token; a Slack or IRC user called
 * `admin` is nobody special.
 */
export const TOKEN_PLATFORMS: readonly string[] = ['web', 'api', 'cli'];

/** The user behind the admin token written by `wheelhouse up`. */
export const ADMIN_USER = 'admin';

/** The platform of people signed in through single sign-on: `oidc:<person claim>`. */
export const SSO_PLATFORM = 'oidc';

/** An authenticated actor, with the person `people` maps it to (if any). */
export interface Identity {
  /** `platform:user`, e.g. `slack:U123`, `web:alice`. */
  actor: string;
  platform: string;
  user: string;
  person?: Person;
  /** Every id that stands for the same person (the actor first). */
  ids: readonly string[];
  /** True for the admin token's user. */
  admin: boolean;
  /** Groups the identity provider put this person in (`group:<name>` subjects match them). */
  groups: readonly string[];
}

export function actorId(platform: string, user: string): string {
  return `${platform}:${user}`;
}

export function splitActor(actor: string): { platform: string; user: string } {
  const at = actor.indexOf(':');
  if (at <= 0) return { platform: '', user: actor };
  return { platform: actor.slice(0, at), user: actor.slice(at + 1) };
}

/** Resolve `slack:U123` to Alice through `people` (ids compare exactly). */
export function resolveIdentity(actor: string, people: readonly Person[]): Identity {
  const { platform, user } = splitActor(actor);
  // One Wheelhouse token authenticates the built-in chat, the API and the CLI alike, so
  // `web:alice`, `api:alice` and `cli:alice` are one user.
  const aliases = TOKEN_PLATFORMS.includes(platform) ? TOKEN_PLATFORMS.map((p) => actorId(p, user)) : [actor];
  // A person signed in through single sign-on is named by their email (the default person claim);
  // one signed in with GitHub (`github:<login>`) came with a verified email.
  const email = platform === SSO_PLATFORM ? user.toLowerCase() : verifiedEmailOf(actor)?.toLowerCase();
  const person =
    people.find((p) => p.ids.includes(actor)) ??
    people.find((p) => aliases.some((a) => p.ids.includes(a))) ??
    (email ? people.find((p) => p.email.toLowerCase() === email) : undefined);
  const ids = [...new Set([actor, ...aliases, ...(person?.ids ?? [])])];
  return {
    actor,
    platform,
    user,
    ...(person ? { person } : {}),
    ids,
    admin: user === ADMIN_USER && TOKEN_PLATFORMS.includes(platform),
    groups: groupsOf(actor),
  };
}

/** `Alice (slack:U123)`, or just the actor when nobody is mapped. */
export function displayName(identity: Identity): string {
  return identity.person ? `${identity.person.name} (${identity.actor})` : identity.actor;
}

/** True when both identities are the same person (one person counts once, whatever platform). */
export function samePerson(a: Identity, b: Identity): boolean {
  if (a.actor === b.actor) return true;
  if (a.person && b.person) return a.person === b.person || a.person.name === b.person.name;
  return a.ids.includes(b.actor) || b.ids.includes(a.actor);
}

/** A stable key per person, for counting distinct approvers. */
export function personKey(identity: Identity): string {
  return identity.person ? `person:${identity.person.name}` : `actor:${identity.actor}`;
}

/**
 * The Git author for a change this actor asked for: the mapped person, or the actor id with an
 * address under `users.wheelhouse.invalid` (a reserved domain: it never receives mail).
 */
export function commitAuthor(identity: Identity): { name: string; email: string } {
  if (identity.person) return { name: identity.person.name, email: identity.person.email };
  const local = identity.actor.replace(/[^A-Za-z0-9._+-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
  return { name: identity.actor, email: `${local}@users.wheelhouse.invalid` };
}
