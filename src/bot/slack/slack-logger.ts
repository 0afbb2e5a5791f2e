import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';

/**
 * Slack's logger interface on top of pino. Slack's debug output can hold request bodies (patient
 * details), so it is dropped whatever LOG_LEVEL says.
 */
export function toSlackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  let name = 'slack';
  return {
    debug: () => {},
    info: (...messages) => child.info({ from: name }, messages.map(String).join(' ')),
    warn: (...messages) => child.warn({ from: name }, messages.map(String).join(' ')),
    error: (...messages) => child.error({ from: name }, messages.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: (value) => {
      name = value;
    },
  };
}
