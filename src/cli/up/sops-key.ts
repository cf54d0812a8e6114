import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, WheelhouseError } from '../../core/index.js';

/**
 * Checks the age key file given by `--sops-age-key-file` (or SOPS_AGE_KEY_FILE) before the engine
 * starts, so a wrong path fails `wheelhouse up` at once rather than every SOPS app at render time.
 * Returns the absolute path, which sops then reads through SOPS_AGE_KEY_FILE.
 */
export async function checkSopsAgeKeyFile(value: string, from: string, cwd: string): Promise<string> {
  const file = resolve(cwd, value);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${from} names ${file}, which cannot be read (${errorMessage(err)}): give the path of an age key file made by \`age-keygen -o <file>\`, readable by the Wheelhouse server`,
    );
  }
  if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/m.test(text)) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${from} names ${file}, which holds no age identity (no AGE-SECRET-KEY-1… line): give the key file \`age-keygen -o <file>\` wrote, not the public recipient`,
    );
  }
  return file;
}
