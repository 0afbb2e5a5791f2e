import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../src/config/office.ts';
import { CREDENTIAL_FORMS } from '../../src/handlers/credentials/ids.ts';
import { createHandlerTest } from './handler-fixture.ts';
import { findScheduledJob } from './jobs.ts';
import { buildOfficeConfig } from './office.ts';

const base = buildOfficeConfig();
/** The credentials suites' office: a BLS/CPR kind that medical assistants need, one of whom must be on. */
export const office: OfficeConfig = {
  ...base,
  coverage: { ...base.coverage, 'medical-assistant': 1 },
  credentials: {
    kinds: [{ id: 'bls', name: 'BLS/CPR', requiredFor: ['medical-assistant'] }],
    remindDays: [90, 60, 30, 14, 7],
  },
};
export const zone = office.office.timezone;
export const NOW = DateTime.fromISO('2026-11-30T09:00', { zone }); // Mon
export const at = (iso: string) => DateTime.fromISO(iso, { zone });
export const ANA = 'U0ANA';
export const MARCUS = 'U0MARCUS';
export const DANA = 'U0DANA';
export const OMAR = 'U0OMAR';

const remindersJob = findScheduledJob('credential-reminders');

/** The credentials suites' fixture: DMs by recipient, and the reminders' scheduler at a given time. */
export const credentialsTest = createHandlerTest({
  office,
  now: NOW,
  command: 'creds',
  actions: {},
  forms: CREDENTIAL_FORMS,
  jobs: [remindersJob],
});
