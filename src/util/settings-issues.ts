/**
 * Validation issues (zod's shape: a path and a message) as short sentences naming the field,
 * for errors about a settings section: `port: expected number`, `unknown setting(s) tokn`.
 */
export interface SettingsIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

export function describeSettingsIssues(issues: readonly SettingsIssue[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const text =
      issue.code === 'unrecognized_keys' && issue.keys
        ? `unknown setting(s) ${issue.keys.join(', ')}`
        : issue.message;
    return field ? `${field}: ${text}` : text;
  });
}
