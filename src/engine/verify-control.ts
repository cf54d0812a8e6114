import { createHash } from 'node:crypto';
import { errorMessage, type SignatureCheck, type SignatureTrust } from '../core/index.js';
import type { EngineState } from './engine-state.js';
import { expected } from './verify-source.js';

/** The `wheelhouse up` option each key file of the control repo's trust anchor came from. */
const SETTING = {
  gpgKeys: 'wheelhouse up --control-gpg-keys',
  allowedSigners: 'wheelhouse up --control-allowed-signers',
};

/**
 * Whether the control repo's `revision` may be loaded: always without `controlRepo.verify`;
 * with it, only when git finds its commits signed by the keys `wheelhouse up` was given (files on
 * the host, so a push cannot add a trusted key). A refusal keeps the configuration in force,
 * shows on every surface through the control status and goes out once as `config.invalid`.
 */
export async function controlRevisionVerified(st: EngineState, revision: string): Promise<boolean> {
  const verify = st.deps.controlRepo.verify;
  if (!verify) return true;
  const refuse = (key: string, why: string): false => {
    if (st.controlTrust.refused === key) return false;
    st.controlTrust.refused = key;
    st.controlStatus.unverified(revision, why);
    st.deps.log.warn({ revision }, st.controlStatus.status().problem?.message ?? why);
    return false;
  };
  let trust: SignatureTrust;
  try {
    trust = await st.ctx.trustOf(verify, (field) => SETTING[field]);
  } catch (err) {
    return refuse(`${revision}:${errorMessage(err)}`, errorMessage(err));
  }
  const key = `${revision}:${createHash('sha256').update(JSON.stringify(trust)).digest('hex')}`;
  if (st.controlTrust.refused === key) return false;
  const from = verify.commits === 'every' ? st.controlTrust.verified : undefined;
  let check: SignatureCheck;
  try {
    check = await st.deps.source.verifyCommits(st.control, from, revision, trust);
  } catch (err) {
    return refuse(key, `its signatures could not be checked: ${errorMessage(err)}`);
  }
  if (!check.ok) return refuse(key, `${check.reason}; expected ${expected(verify)}`);
  st.controlTrust = { verified: revision, signer: check.signer };
  return true;
}
