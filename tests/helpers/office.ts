import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import type { Db } from '../../src/db/client.ts';
import { type Person, type PlatformName, resolvePerson } from '../../src/domain/people.ts';
import type { HandlerContext } from '../../src/handlers/kernel/context.ts';
import { createRecordingLogger, type RecordingLogger } from './logger.ts';

/** The repository root (where package.json and office.example.yaml live). */
export const repoRoot = new URL('../../', import.meta.url);

/** The text of office.example.yaml, for tests that edit it into a broken config. */
export function readExampleOfficeYaml(): string {
  return readFileSync(new URL('office.example.yaml', repoRoot), 'utf8');
}

/** A valid office config: office.example.yaml, with whole top-level sections replaced by `overrides`. */
export function buildOfficeConfig(overrides: Partial<OfficeConfig> = {}): OfficeConfig {
  const office = parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml');
  return { ...office, ...overrides };
}

/** The example office with one check: the vaccine fridge at 8:00 and 16:30 on weekdays, 2–8 °C, by a medical assistant. */
export function buildFridgeOffice(): OfficeConfig {
  return buildOfficeConfig({
    checks: [
      {
        id: 'fridge',
        name: 'Vaccine fridge',
        times: ['08:00', '16:30'],
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        assignee: { role: 'medical-assistant' },
        fields: [{ id: 'temp', label: 'Temperature °C', type: 'number', min: 2, max: 8 }],
        graceMinutes: 60,
      },
    ],
  });
}

/** The staff with a Teams account each, `aad-sam` for Slack's `U0SAM`, so one office serves both platforms. */
export function withTeamsIds(staff: OfficeConfig['staff']): OfficeConfig['staff'] {
  return staff.map((member) => ({ ...member, teams: `aad-${member.slack?.slice(2).toLowerCase()}` }));
}

/** A staff member (or, for an unknown id, a person with no role) as handlers see them. */
export function buildPerson(
  office: OfficeConfig,
  userId = 'U0SAM',
  platform: PlatformName = 'slack',
  displayName?: string,
): Person {
  return resolvePerson(office, platform, userId, displayName);
}

/** A handler context as the router receives it (it adds `publish`): a fixed Fri noon in the office zone, the example office, Sam Lee acting, and a
 * recording logger whose lines are in `logs`. */
export function buildHandlerContext(
  db: Db,
  overrides: Partial<Omit<HandlerContext, 'db' | 'logger' | 'publish'>> = {},
): Omit<HandlerContext, 'publish'> & { logs: RecordingLogger } {
  const office = overrides.office ?? buildOfficeConfig();
  const logs = createRecordingLogger();
  return {
    now: overrides.now ?? DateTime.fromISO('2026-03-06T12:00', { zone: office.office.timezone }), // Fri
    office,
    officeId: office.office.id,
    zone: office.office.timezone,
    db,
    actor: overrides.actor ?? buildPerson(office),
    logger: logs.logger,
    // These contexts run handlers outside a dispatcher's transaction: what they hand over is not awaited.
    commitAfter: (statement) => {
      statement.catch(() => undefined);
    },
    logs,
  };
}
