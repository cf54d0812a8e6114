// Response schemas for "what stops Git from being applied": a refused wheelhouse.yaml and a
// manifest that does not render. Both carry issues with file:line:col.

const str = { type: 'string' } as const;

export const validationIssueSchema = {
  type: 'object',
  required: ['file', 'line', 'column', 'path', 'message'],
  properties: { file: str, line: { type: 'integer' }, column: { type: 'integer' }, path: str, message: str },
} as const;

/** `ControlStatus`: the wheelhouse.yaml in force, and why the newest one is not. */
export const controlStatusSchema = {
  type: 'object',
  required: ['repo', 'ref'],
  properties: {
    repo: str,
    ref: str,
    revision: str,
    problem: {
      type: 'object',
      required: ['message', 'issues', 'since'],
      properties: {
        revision: str,
        message: str,
        issues: { type: 'array', items: validationIssueSchema },
        since: str,
      },
    },
  },
} as const;

/** `AppStatus.renderError`: the manifests at `revision` do not render. */
export const renderErrorSchema = {
  type: 'object',
  required: ['revision', 'message', 'issues'],
  properties: { revision: str, message: str, issues: { type: 'array', items: validationIssueSchema } },
} as const;
