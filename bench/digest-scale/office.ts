import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type OfficeConfig, officeConfigSchema } from '../../src/config/office.ts';

// biome-ignore format: a name list reads best packed, not one per line
const FIRST_NAMES = [
  'Ana', 'Ben', 'Carla', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jamal', 'Kira', 'Luis',
  'Maya', 'Nadia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tara', 'Umar', 'Vera', 'Wes', 'Xena',
  'Yusuf', 'Zoe', 'Aiden', 'Bianca', 'Chen', 'Dana', 'Emil', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jin',
  'Kofi', 'Lena', 'Marco', 'Nia', 'Oscar', 'Paula', 'Raj', 'Sofia', 'Theo', 'Uma', 'Victor', 'Wen',
  'Yara', 'Zack',
];

// biome-ignore format: a name list reads best packed, not one per line
const LAST_NAMES = [
  'Reyes', 'Lee', 'Shah', 'Cruz', 'Bell', 'Kim', 'Ortega', 'Park', 'Haddad', 'Novak', 'Okafor', 'Silva',
  'Nguyen', 'Kowalski', 'Mensah', 'Rossi', 'Tanaka', 'Dubois', 'Hughes', 'Iyer', 'Jensen', 'Khan',
  'Larsen', 'Moreau', 'Nakamura', 'Olsen', 'Patel', 'Quist', 'Romero', 'Schmidt', 'Torres', 'Ueda',
  'Vargas', 'Walsh', 'Xu', 'Young', 'Zhang', 'Abbott', 'Baker', 'Cohen',
];

/** Share of the staff in each role, the rest front desk; one manager per 20 people, at least one. */
const ROLE_SHARES: readonly (readonly [role: string, share: number])[] = [
  ['physician', 0.15],
  ['nurse', 0.2],
  ['medical-assistant', 0.3],
  ['billing', 0.1],
];

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const SLOT_TIMES = ['12:00', '08:00', '16:00', '09:00', '13:00', '15:00', '10:00', '14:00'];

/** The ids a synthetic staff member gets: a unique name and a Slack user id derived from its index. */
export function describeSyntheticPerson(index: number): { name: string; slack: string } {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Alex';
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] ?? 'Doe';
  const round = Math.floor(index / (FIRST_NAMES.length * LAST_NAMES.length));
  return {
    name: round === 0 ? `${first} ${last}` : `${first} ${last} ${round + 1}`,
    slack: `U${index.toString(36).toUpperCase().padStart(6, '0')}`,
  };
}

function assignRole(index: number, staffCount: number): { role: string; manager: boolean } {
  const managers = Math.max(1, Math.round(staffCount / 20));
  if (index < managers) return { role: 'manager', manager: true };
  // Spread roles evenly through the list, so any prefix of the staff has the same mix.
  const position = ((index - managers) * 0.618_033_988_75) % 1;
  let bound = 0;
  for (const [role, share] of ROLE_SHARES) {
    bound += share;
    if (position < bound) return { role, manager: false };
  }
  return { role: 'front-desk', manager: false };
}

/**
 * office.example.yaml with `staffCount` synthetic staff, coverage at half of each role’s roster (the schema
 * caps it at 100), rep slots
 * for about three visits a week per 200 staff (at least three), and the US holidays of every year the
 * history covers; validated by the same zod schema the app loads its config with.
 */
export function buildScaleOffice(staffCount: number, years: readonly number[]): OfficeConfig {
  const example = parseYaml(readFileSync(new URL('../../office.example.yaml', import.meta.url), 'utf8'));
  const staff = Array.from({ length: staffCount }, (_, index) => ({
    ...describeSyntheticPerson(index),
    ...assignRole(index, staffCount),
  }));
  const rostered = new Map<string, number>();
  for (const member of staff) rostered.set(member.role, (rostered.get(member.role) ?? 0) + 1);
  const coverage = Object.fromEntries(
    ['front-desk', 'medical-assistant', 'physician', 'nurse'].map((role) => [
      role,
      Math.min(100, Math.max(1, Math.floor((rostered.get(role) ?? 0) / 2))),
    ]),
  );
  const slotsPerWeek = 3 * Math.max(1, Math.round(staffCount / 200));
  const slots =
    slotsPerWeek === 3
      ? ['tue', 'wed', 'thu'].map((day) => ({ day, time: '12:00' }))
      : Array.from({ length: slotsPerWeek }, (_, index) => ({
          day: WEEKDAYS[index % WEEKDAYS.length],
          time: SLOT_TIMES[Math.floor(index / WEEKDAYS.length) % SLOT_TIMES.length],
        }));
  const holidays = years.flatMap((year) => [`${year}-01-01`, `${year}-07-04`, `${year}-12-25`]);
  return officeConfigSchema.parse({
    ...example,
    office: { ...example.office, id: 'bench' },
    staff,
    coverage,
    timeoff: { ...example.timeoff, holidays: [...holidays, '2026-11-26'].sort() },
    reps: { ...example.reps, slots },
  });
}
