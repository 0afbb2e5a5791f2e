import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse, stringify } from 'yaml';
import { parseOfficeConfig } from '../../src/config/office.ts';
import { findNextWorkingDay } from '../../src/domain/calendar.ts';
import { getOfficeDay } from '../../src/domain/dates.ts';
import { repoRoot } from './processes.ts';
import type { SlashCommand } from './slash-load.ts';

const ROLES = ['front-desk', 'medical-assistant', 'nurse', 'billing'] as const;
const WORKING_DAYS = 2_000;
// Both prime to WORKING_DAYS: a person's filings never land on the same day twice within 2,000 filings.
const DAY_STRIDE = 13;
const PERSON_OFFSET = 37;

/** A practice for the load benchmarks: office.example.yaml with `staffCount` synthetic staff added. */
export interface BenchOffice {
  path: string;
  approvalsChannel: string;
  /**
   * An endless supply of valid `/timeoff` filings: staff take turns, each filing one working day. Each
   * person's days are spread over years and people start at different days, so a person holds a realistic
   * couple of dozen requests a year and only a few people are off on any one day.
   */
  timeOffFilings(responseUrl: string): () => SlashCommand;
}

/** Writes the office config to a fresh temp directory, checked by the same parser the app uses. */
export function writeBenchOffice(staffCount: number): BenchOffice {
  const document = parse(readFileSync(join(repoRoot, 'office.example.yaml'), 'utf8')) as {
    staff: Record<string, unknown>[];
  };
  for (let index = 1; index <= staffCount; index += 1) {
    document.staff.push({
      name: `Bench Person ${index}`,
      slack: benchUserId(index),
      role: ROLES[index % ROLES.length],
    });
  }
  const text = stringify(document);
  const office = parseOfficeConfig(text, 'bench office');
  const path = join(mkdtempSync(join(tmpdir(), 'frontdesk-bench-')), 'office.yaml');
  writeFileSync(path, text);

  // Working days from tomorrow, enough for every filing of a long run.
  const zone = office.office.timezone;
  const days: string[] = [];
  let day = getOfficeDay(DateTime.now().setZone(zone), zone);
  while (days.length < WORKING_DAYS) {
    day = findNextWorkingDay(day, office);
    days.push(day);
  }

  return {
    path,
    approvalsChannel: office.channels.approvals,
    timeOffFilings(responseUrl) {
      let count = 0;
      return () => {
        const person = (count % staffCount) + 1;
        const round = Math.floor(count / staffCount);
        const date = days[(person * PERSON_OFFSET + round * DAY_STRIDE) % days.length];
        count += 1;
        return {
          command: '/timeoff',
          text: `${date}`,
          userId: benchUserId(person),
          userName: `bench${person}`,
          responseUrl,
        };
      };
    },
  };
}

function benchUserId(index: number): string {
  return `U0BENCH${String(index).padStart(5, '0')}`;
}
