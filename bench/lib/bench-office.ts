import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse, stringify } from 'yaml';
import { parseOfficeConfig } from '../../src/config/office.ts';
import { findNextWorkingDay } from '../../src/domain/calendar.ts';
import { getOfficeDay, getPlanningWindow } from '../../src/domain/dates.ts';
import { repoRoot } from './processes.ts';
import type { SlashCommand } from './slash-load.ts';

const ROLES = ['front-desk', 'medical-assistant', 'nurse', 'billing'] as const;
// Strides through the working days; each is made prime to their count, so a person's filings never land
// on the same day twice until every day has had one.
const DAY_STRIDE = 13;
const PERSON_OFFSET = 37;

/** A practice for the load benchmarks: office.example.yaml with `staffCount` synthetic staff added. */
export interface BenchOffice {
  path: string;
  approvalsChannel: string;
  /**
   * An endless supply of valid `/timeoff` filings: staff take turns, each filing one working day. Each
   * person's days are spread over every working day time off can be asked for, and people start at
   * different days, so a person's filings never overlap each other and people are spread over the days.
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

  // Every working day from tomorrow to the last day time off can be asked for (the end of next year).
  const zone = office.office.timezone;
  const now = DateTime.now().setZone(zone);
  const { last } = getPlanningWindow(now, zone);
  const days: string[] = [];
  for (let day = findNextWorkingDay(getOfficeDay(now, zone), office); day <= last; ) {
    days.push(day);
    day = findNextWorkingDay(day, office);
  }
  const dayStride = primeTo(days.length, DAY_STRIDE);
  const personOffset = primeTo(days.length, PERSON_OFFSET);

  return {
    path,
    approvalsChannel: office.channels.approvals,
    timeOffFilings(responseUrl) {
      let count = 0;
      return () => {
        const person = (count % staffCount) + 1;
        const round = Math.floor(count / staffCount);
        const date = days[(person * personOffset + round * dayStride) % days.length];
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

/** The first number from `start` up that shares no factor with `count`. */
function primeTo(count: number, start: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = start;
  while (gcd(stride, count) !== 1) stride += 1;
  return stride;
}
