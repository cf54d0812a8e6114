import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingComponent } from './components.js';
import { KUBE_BUILD_COMMAND, kubeBinary } from './kube/binaries.js';

const run = promisify(execFile);

/** sops as built by build.mjs from the Go module pinned in versions.json. */
export const sopsBinary = kubeBinary('sops');

export function sopsMissing(): string | undefined {
  return (
    missingComponent('sops', `${KUBE_BUILD_COMMAND} sops`, existsSync(sopsBinary)) ??
    missingComponent('age', 'apt-get install -y age', existsSync('/usr/bin/age-keygen'))
  );
}

/** A new age identity in `dir`: its key file and public recipient. */
export async function ageKey(dir: string, name: string): Promise<{ file: string; recipient: string }> {
  const file = join(dir, `${name}.txt`);
  await run('age-keygen', ['-o', file]);
  const recipient = /# public key: (age1\S+)/.exec(await readFile(file, 'utf8'))?.[1];
  if (!recipient) throw new Error(`age-keygen wrote no public key to ${file}`);
  return { file, recipient };
}

/** `sops encrypt` of `clear` (written as `name` in `dir`) for the age recipient; returns the encrypted text. */
export async function sopsEncrypt(
  dir: string,
  name: string,
  clear: string,
  recipient: string,
  extra: string[] = [],
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, clear);
  const { stdout } = await run(sopsBinary, ['encrypt', '--age', recipient, ...extra, file], {
    env: { ...process.env, SOPS_DISABLE_VERSION_CHECK: '1' },
  });
  return stdout;
}
