/** This command's own version (the package's, as npm runs it). */
export function cliVersion(): string {
  return process.env.npm_package_version ?? '0.1.0';
}
