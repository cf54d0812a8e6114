import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { groupMembers } from './proc-stat.js';

/** A replica's process group: its leader's pid and start time. */
export interface GroupRef {
  pgid: number;
  startTime: string | null;
}

/**
 * Whether the process group of a replica holds a listening TCP socket on `port`:
 * `true` (it does), `false` (others listen there, it does not: a check that connects would be
 * answered by someone else), or `undefined` when that cannot be told (no listener seen in
 * /proc/net, not Linux).
 */
export function groupListensOn(port: number, group: GroupRef): boolean | undefined {
  const listeners = listeningInodes(port);
  if (listeners.size === 0) return undefined;
  for (const pid of groupMembers(group.pgid, group.startTime)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && listeners.has(inode)) return true;
    }
  }
  return false;
}

/** Inodes of sockets in LISTEN state on `port` (any address), from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const out = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (!local || state !== '0A' || !inode || inode === '0') continue;
      if (local.slice(local.lastIndexOf(':') + 1) === hexPort) out.add(inode);
    }
  }
  return out;
}

/** True for names and addresses of this host (loopback, any-address, its interfaces). */
export function isLocalHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '0.0.0.0' || bare === '::' || bare === '::1') return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(bare)) return true;
  for (const addresses of Object.values(networkInterfaces())) {
    if (addresses?.some((a) => a.address.toLowerCase() === bare)) return true;
  }
  return false;
}
