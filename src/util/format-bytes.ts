/** Sizes for messages: `512 bytes`, `64 KiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const unit = (size: number, name: string) =>
    `${(bytes / size).toFixed(bytes % size === 0 ? 0 : 1)} ${name}`;
  if (bytes >= 1024 * 1024) return unit(1024 * 1024, 'MiB');
  if (bytes >= 1024) return unit(1024, 'KiB');
  return `${bytes} bytes`;
}
