/**
 * Environment variables that make a program load or run code other than its own: dynamic loader
 * settings and interpreter start-up hooks. `set env` with one of them needs `admin`, because with
 * them a person who may only change a value can run any code as the workload (the one list; the
 * docs in docs/security.md and docs/chatops.md name the same variables).
 */
export const PRIVILEGED_ENV_NAMES: readonly string[] = [
  // Dynamic loaders (glibc, musl, macOS).
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  // Where programs are found.
  'PATH',
  // Shells that read a file at start-up.
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'PS4',
  // Interpreters and runtimes.
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PYTHONINSPECT',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'GCONV_PATH',
  'GIT_SSH_COMMAND',
];

/** Name prefixes that are privileged as a whole family (`LD_BIND_NOW`, `DYLD_INSERT_LIBRARIES`). */
export const PRIVILEGED_ENV_PREFIXES: readonly string[] = ['LD_', 'DYLD_'];

/** True when setting `name` can make the workload load or run other code. */
export function isPrivilegedEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return PRIVILEGED_ENV_NAMES.includes(upper) || PRIVILEGED_ENV_PREFIXES.some((p) => upper.startsWith(p));
}

/**
 * The privileged names among a request's arguments (only `set` carries variables), for the
 * authorization step: non-empty means the request needs `admin`.
 */
export function privilegedEnvOf(command: string, args: Readonly<Record<string, unknown>>): string[] {
  if (command !== 'set') return [];
  const env = args.env;
  if (!env || typeof env !== 'object' || Array.isArray(env)) return [];
  return Object.keys(env).filter(isPrivilegedEnvName);
}
