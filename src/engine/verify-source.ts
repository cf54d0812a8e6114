import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  errorMessage,
  type RepoRef,
  type SignatureCheck,
  type SignatureTrust,
  type SourceProvider,
  type VerifySpec,
  WheelhouseError,
} from '../core/index.js';
import { shortSha } from '../util/index.js';
import type { EngineContext } from './context.js';
import type { AppRuntime } from './runtime.js';

// Signed revisions only: an app whose source has `verify:` moves to a revision only when its
// signature (and in `every` mode each commit's since the last verified one) is good and by a
// trusted key. A refused revision is told once (status, log, `signature.refused`), and the app
// stays on its last verified revision.

/** Where key files named in `verify:` are read: the control repo at the revision in force. */
export interface TrustFiles {
  source: SourceProvider;
  control: RepoRef;
  controlRevision: () => string | undefined;
}

/**
 * The key material a `verify:` names, read from the control repo (relative) or disk (absolute).
 * `setting` names where a key file was given, for errors (default `source.verify.<field>`).
 */
export async function trustOf(
  files: TrustFiles,
  verify: VerifySpec,
  setting: (field: 'gpgKeys' | 'allowedSigners') => string = (field) => `source.verify.${field}`,
): Promise<SignatureTrust> {
  const gpgKeys = await Promise.all(verify.gpgKeys.map((path) => keyFile(files, path, setting('gpgKeys'))));
  const allowedSigners =
    verify.allowedSigners === undefined
      ? ''
      : await keyFile(files, verify.allowedSigners, setting('allowedSigners'));
  return { mode: verify.mode, gpgKeys, allowedSigners };
}

async function keyFile(files: TrustFiles, path: string, setting: string): Promise<string> {
  if (isAbsolute(path)) {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new WheelhouseError(
        'SIGNATURE_REFUSED',
        `${setting}: cannot read ${path}: ${errorMessage(err)}; put the key file there or fix the path`,
        { cause: err, details: { path } },
      );
    }
  }
  const revision = files.controlRevision();
  const content =
    revision === undefined ? undefined : await files.source.readFile(files.control, revision, path);
  if (content === undefined) {
    throw new WheelhouseError(
      'SIGNATURE_REFUSED',
      `${setting}: ${path} is not a file in the control repo${revision ? ` at ${shortSha(revision)}` : ''}; commit the key file there or give an absolute path`,
      { details: { path } },
    );
  }
  return content.toString('utf8');
}

/**
 * The revision the app may move to: `revision` when its signatures pass, else the last verified
 * one (undefined when there is none yet). Apps without `verify:` take `revision` as it is.
 */
export async function acceptedRevision(
  ctx: EngineContext,
  rt: AppRuntime,
  revision: string,
  options: { explicit?: boolean } = {},
): Promise<string | undefined> {
  const verify = rt.spec.source.verify;
  const verified = rt.state.verified;
  if (!verify || verified?.revision === revision) return revision;
  let trust: SignatureTrust;
  try {
    trust = await ctx.trustOf(verify);
  } catch (err) {
    await refuse(ctx, rt, revision, `${revision}:${errorMessage(err)}`, errorMessage(err));
    return verified?.revision;
  }
  const key = `${revision}:${createHash('sha256').update(JSON.stringify(trust)).digest('hex')}`;
  if (rt.refusedSignature?.key === key) return verified?.revision;
  // An explicit revision (a sync to a sha) is checked alone: it need not descend from the last one.
  const from = verify.commits === 'every' && !options.explicit ? verified?.revision : undefined;
  let check: SignatureCheck;
  try {
    check = await ctx.source.verifyCommits(rt.repo, from, revision, trust);
  } catch (err) {
    // Not told as a missing ref: the check itself could not run (gpg missing, keys unreadable).
    await refuse(ctx, rt, revision, `${revision}:${errorMessage(err)}`, errorMessage(err));
    return verified?.revision;
  }
  if (!check.ok) {
    const stays = verified
      ? `${rt.spec.name} stays on ${shortSha(verified.revision)}, the last verified revision`
      : `nothing of ${rt.spec.name} is applied until a verified revision arrives`;
    const message =
      `revision ${shortSha(revision)} of app ${rt.spec.name} is not applied: ${check.reason}; ` +
      `expected ${expected(verify)}; ${stays}. Sign the commit with a trusted key and push, ` +
      `or add the signer's key to source.verify in wheelhouse.yaml`;
    await refuse(ctx, rt, revision, key, message);
    return verified?.revision;
  }
  rt.state.verified = { revision, signer: check.signer };
  rt.refusedSignature = undefined;
  if (rt.state.lastError?.code === 'SIGNATURE_REFUSED') delete rt.state.lastError;
  await ctx.store.putAppState(rt.state);
  return revision;
}

/** Like `acceptedRevision`, for a sync that must not fall back: a refused revision fails it. */
export async function requireVerified(
  ctx: EngineContext,
  rt: AppRuntime,
  revision: string,
  explicit: boolean,
): Promise<string> {
  const accepted = await acceptedRevision(ctx, rt, revision, { explicit });
  if (accepted === revision || !rt.spec.source.verify) return revision;
  if (explicit || accepted === undefined) {
    throw new WheelhouseError(
      'SIGNATURE_REFUSED',
      rt.refusedSignature?.message ?? `revision ${shortSha(revision)} of ${rt.spec.name} is not verified`,
      { details: { app: rt.spec.name, revision } },
    );
  }
  return accepted;
}

/** What a `verify:` asks for, in words (for refusals). */
export function expected(verify: VerifySpec): string {
  const gpg = `a GPG signature by a key in ${verify.gpgKeys.join(', ')}`;
  const ssh = `an SSH signature by a key in ${verify.allowedSigners ?? ''}`;
  const what =
    verify.mode === 'gpg'
      ? gpg
      : verify.mode === 'ssh'
        ? ssh
        : [verify.gpgKeys.length > 0 ? gpg : '', verify.allowedSigners ? ssh : '']
            .filter(Boolean)
            .join(' or ');
  return verify.commits === 'every' ? `${what} on every commit since the last verified one` : what;
}

/** Told once per (revision, keys): status, the log and a `signature.refused` notification. */
async function refuse(
  ctx: EngineContext,
  rt: AppRuntime,
  revision: string,
  key: string,
  message: string,
): Promise<void> {
  if (rt.refusedSignature?.key === key) return;
  rt.refusedSignature = { key, message };
  rt.state.lastError = { code: 'SIGNATURE_REFUSED', message, at: ctx.now().toISOString() };
  rt.log.warn({ revision }, message);
  ctx.events.publish({ type: 'signature.refused', app: rt.spec.name, revision, message });
  await ctx.store.putAppState(rt.state);
}
