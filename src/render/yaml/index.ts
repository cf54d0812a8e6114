// Safe YAML for every file users write: size, encoding, nesting and alias limits, and positions.
export { CONTROL_YAML_LIMITS, DEFAULT_YAML_LIMITS, type YamlLimits } from './limits.js';
export type { YamlPath } from './locate.js';
export {
  type ParsedYaml,
  type ParseYamlInput,
  parseYaml,
  type YamlDocument,
  type YamlPosition,
} from './parse.js';
