const UNITS = [
  { size: 1024 ** 3, name: 'GiB' },
  { size: 1024 ** 2, name: 'MiB' },
  { size: 1024, name: 'KiB' },
] as const;

/**
 * Sizes for messages: `512 bytes`, `64 KiB`, `1.9 MiB`. Exact multiples print without decimals;
 * any other size keeps enough decimals (up to three) that it never reads as a neighbouring round
 * size — a file one byte over a 1 MiB limit must not be called "1.0 MiB" next to "1 MiB". Sizes
 * that would still round to a whole unit print in bytes.
 */
export function formatBytes(bytes: number): string {
  const unit = UNITS.find((u) => bytes >= u.size);
  if (!unit) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const value = bytes / unit.size;
  if (Number.isInteger(value)) return `${value} ${unit.name}`;
  for (const digits of [1, 2, 3]) {
    const text = value.toFixed(digits);
    if (!Number.isInteger(Number(text))) return `${text.replace(/0+$/, '')} ${unit.name}`;
  }
  return `${bytes.toLocaleString('en-US')} bytes`;
}
