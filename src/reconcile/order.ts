/** The order resources are applied in: wave, then kind order, then kind name, then name, then key. */

export interface Orderable {
  key: string;
  kind: string;
  name: string;
  wave: number;
}

export type KindOrder = (kind: string) => number;

export function compareForApply(kindOrder: KindOrder): (a: Orderable, b: Orderable) => number {
  return (a, b) =>
    a.wave - b.wave ||
    kindOrder(a.kind) - kindOrder(b.kind) ||
    compareText(a.kind, b.kind) ||
    compareText(a.name, b.name) ||
    compareText(a.key, b.key);
}

/** Prune runs in the reverse of the apply order (dependents go before what they depend on). */
export function compareForPrune(kindOrder: KindOrder): (a: Orderable, b: Orderable) => number {
  const forward = compareForApply(kindOrder);
  return (a, b) => forward(b, a);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
