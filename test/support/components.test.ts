import { afterEach, describe, expect, it, vi } from 'vitest';
import { missingComponent } from './components.js';

describe('missingComponent', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('says nothing when the component is present, in CI or not', () => {
    vi.stubEnv('CI', 'true');
    expect(missingComponent('ngircd', 'apt-get install -y ngircd', true)).toBeUndefined();
  });

  it('returns the skip reason with the install hint outside CI', () => {
    vi.stubEnv('CI', '');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(missingComponent('ngircd', 'apt-get install -y ngircd', false)).toBe(
      'ngircd not installed; install with: apt-get install -y ngircd',
    );
  });

  it('fails in CI, naming what to install, instead of letting a suite pass by skipping', () => {
    vi.stubEnv('CI', 'true');
    expect(() => missingComponent('ngircd', 'apt-get install -y ngircd', false)).toThrow(
      /ngircd not installed; install with: apt-get install -y ngircd/,
    );
  });
});
