import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { OfficeZone } from '../../src/domain/office-zone.ts';

// Zones whose clocks change on the hour, on the half hour (Lord Howe moves by 30 minutes), at 2:45 local
// time (Chatham), or never.
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kathmandu',
];

describe('OfficeZone', () => {
  it.each(ZONES)('gives the offsets IANAZone gives in %s, minute by minute around each change', (name) => {
    const remembering = new OfficeZone(name);
    const plain = IANAZone.create(name);
    const changes: number[] = [];
    const start = Date.UTC(2026, 0, 1);
    for (let ts = start; ts < Date.UTC(2027, 0, 1); ts += 60 * 60_000) {
      if (plain.offset(ts) !== plain.offset(ts + 60 * 60_000)) changes.push(ts);
    }
    // Read in a moving order, so spans are remembered from both sides of a change before they are asked again.
    for (const hour of changes) {
      for (let ts = hour - 30 * 60_000; ts <= hour + 90 * 60_000; ts += 59_999) {
        expect(remembering.offset(ts), new Date(ts).toISOString()).toBe(plain.offset(ts));
      }
      for (let ts = hour + 90 * 60_000; ts >= hour - 30 * 60_000; ts -= 60_001) {
        expect(remembering.offset(ts), new Date(ts).toISOString()).toBe(plain.offset(ts));
      }
    }
    expect(changes.length).toBe(name === 'Asia/Kathmandu' ? 0 : 2);
  });

  it('makes DateTimes that equal, format and move like those of the plain zone', () => {
    const zone = new OfficeZone('America/New_York');
    const ts = Date.UTC(2026, 10, 1, 5, 30); // 1:30 the night the clocks go back
    const remembered = DateTime.fromMillis(ts, { zone });
    const plain = DateTime.fromMillis(ts, { zone: 'America/New_York' });
    expect(remembered.equals(plain)).toBe(true);
    expect(plain.equals(remembered)).toBe(true);
    expect(remembered.zoneName).toBe('America/New_York');
    expect(remembered.toISO()).toBe(plain.toISO());
    expect(remembered.toLocaleString(DateTime.DATETIME_FULL)).toBe(
      plain.toLocaleString(DateTime.DATETIME_FULL),
    );
    expect(remembered.plus({ days: 1 }).toISO()).toBe(plain.plus({ days: 1 }).toISO());
    expect(remembered.startOf('day').toISO()).toBe(plain.startOf('day').toISO());
    expect(remembered.hasSame(plain, 'day')).toBe(true);
  });

  it('stays exact for times that are not finite or are far away', () => {
    const zone = new OfficeZone('Europe/London');
    expect(zone.offset(Number.NaN)).toBeNaN();
    const summer1900 = Date.UTC(1900, 6, 1);
    expect(zone.offset(summer1900)).toBe(IANAZone.create('Europe/London').offset(summer1900));
  });
});
