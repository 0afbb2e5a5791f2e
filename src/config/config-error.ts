/** A start-up configuration problem; its message is the one line an operator needs. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  override name = 'ConfigError';
}
