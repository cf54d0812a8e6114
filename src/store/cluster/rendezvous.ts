import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest random weight) hashing: each app goes to the live replica with the highest
 * hash of (app, replica). Every replica computes the same answer from the same list, apps spread
 * evenly, and when a replica joins or leaves only the apps it wins or held move.
 */
export function rendezvousOwner(app: string, replicas: readonly string[]): string | undefined {
  let best: { id: string; weight: string } | undefined;
  for (const id of replicas) {
    const weight = createHash('sha256').update(app).update('\n').update(id).digest('hex');
    if (!best || weight > best.weight || (weight === best.weight && id < best.id)) best = { id, weight };
  }
  return best?.id;
}

/**
 * The replica that should reconcile each app: the one its `host` pins it to (even while that
 * replica is down: nobody else may run it), else the rendezvous winner among the live replicas.
 */
export function desiredOwners(
  apps: readonly { name: string; host?: string }[],
  live: readonly string[],
): Map<string, string | undefined> {
  return new Map(apps.map((app) => [app.name, app.host ?? rendezvousOwner(app.name, live)]));
}
