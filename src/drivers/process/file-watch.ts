import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

const DEBOUNCE_MS = 100;

/**
 * Watches the directories of the Files we wrote (inotify through `fs.watch`) and reports which
 * resource's file was touched, so a hand edit is healed at once instead of at the next poll.
 * Best effort: where watching is impossible (no inotify watches left), `observe` still notices.
 */
export class FileWatcher {
  private readonly dirs = new Map<string, { watcher: FSWatcher; files: Map<string, string> }>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onTouched: (key: string) => void) {}

  add(path: string, key: string): void {
    const dir = dirname(path);
    let entry = this.dirs.get(dir);
    if (!entry) {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false }, (_event, name) => {
          const file = name === null ? undefined : this.dirs.get(dir)?.files.get(String(name));
          if (file) this.touched(file);
        });
      } catch {
        return;
      }
      watcher.on('error', () => this.closeDir(dir));
      entry = { watcher, files: new Map() };
      this.dirs.set(dir, entry);
    }
    entry.files.set(basename(path), key);
  }

  remove(path: string): void {
    const dir = dirname(path);
    const entry = this.dirs.get(dir);
    if (!entry) return;
    entry.files.delete(basename(path));
    if (entry.files.size === 0) this.closeDir(dir);
  }

  close(): void {
    for (const dir of [...this.dirs.keys()]) this.closeDir(dir);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private closeDir(dir: string): void {
    const entry = this.dirs.get(dir);
    if (!entry) return;
    this.dirs.delete(dir);
    entry.watcher.close();
    // Files still wanted there are watched again when next written.
  }

  private touched(key: string): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.onTouched(key);
    }, DEBOUNCE_MS);
    timer.unref();
    this.pending.set(key, timer);
  }
}
