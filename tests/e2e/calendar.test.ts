import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { ensureInstallId, getInstallId } from '../../src/db/repositories/installation.ts';
import { cancelRepMeeting, createRepMeeting } from '../../src/db/repositories/rep-meetings.ts';
import {
  createTimeOffRequest,
  decideTimeOffRequest,
  reserveTimeOffRequest,
} from '../../src/db/repositories/time-off.ts';
import { calendarFeeds, repMeetings, timeOffRequests } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { ensureCalendarToken, readInstallId } from '../../src/handlers/rep-meetings/calendar.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const zone = base.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const CONFIG_TOKEN = 'office-config-calendar-token-0123456789';
const ANA = resolvePerson(base, 'slack', 'U0ANA');

async function startWith(office: OfficeConfig, database: Database, logger: RecordingLogger) {
  return startFrontdesk({
    env: { ...loadEnv({ HOST: '127.0.0.1', SANDBOX: '0' }), port: 0 },
    office,
    database,
    logger: logger.logger,
    clock: () => NOW,
    jobs: [],
  });
}

async function addVisit(database: Database, day: string, repName: string, company: string) {
  const start = DateTime.fromISO(`${day}T12:00`, { zone });
  const row = await createRepMeeting(database.db, {
    officeId: base.office.id,
    slotStart: start.toJSDate(),
    slotEnd: start.plus({ minutes: 20 }).toJSDate(),
    slotDay: day,
    slotTime: '12:00',
    repName,
    company,
    companyKey: company.toLowerCase().replace(/[^a-z0-9]/g, ''),
    topic: 'New inhaler',
    bookerKey: 'staff:sam-lee',
    bookerName: 'Sam Lee',
    bookerPlatform: 'slack',
    bookerUserId: 'U0SAM',
    createdAt: NOW.toJSDate(),
  });
  if (!row) throw new Error('slot taken');
  return row;
}

async function addApprovedTimeOff(
  database: Database,
  startDay: string,
  endDay: string,
  type: 'sick' | 'vacation',
) {
  const { row, stored } = createTimeOffRequest(
    database.db,
    {
      officeId: base.office.id,
      requesterKey: 'staff:ana-cruz',
      requesterName: 'Ana Cruz',
      requesterRole: 'medical-assistant',
      requesterPlatform: 'slack',
      requesterUserId: 'U0ANA',
      startDay,
      endDay,
      part: 'full',
      type,
      reason: 'private reason',
      workingDays: 1,
      createdAt: NOW.toJSDate(),
    },
    { actor: ANA, detail: {} },
    await reserveTimeOffRequest(database.db),
  );
  await stored;
  await decideTimeOffRequest(database.db, {
    id: row.id,
    status: 'approved',
    byKey: 'staff:dana-reyes',
    byName: 'Dana Reyes',
    at: NOW.toJSDate(),
    note: null,
  });
}

function readEvents(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return { uid: event.uid, summary: event.summary, start: event.startDate, end: event.endDate };
  });
}

describe('GET /calendar/<token>.ics', () => {
  let database: Database;
  let recording: RecordingLogger;
  let generated: Frontdesk;
  let configured: Frontdesk;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    recording = createRecordingLogger('info');
    generated = await startWith(base, database, recording);
    configured = await startWith(
      { ...base, reps: { ...base.reps, calendarToken: CONFIG_TOKEN } },
      database,
      recording,
    );
  });
  afterAll(async () => {
    await generated?.stop();
    await configured?.stop();
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.delete(repMeetings);
    await database.db.delete(timeOffRequests);
    await database.db.delete(calendarFeeds);
  });

  it('answers 404, like any unknown path, before a token exists', async () => {
    const feed = await fetch(`${generated.url}/calendar/anything-at-all-0123456789.ics`);
    const unknown = await fetch(`${generated.url}/no-such-page`);
    expect(feed.status).toBe(404);
    expect(await feed.text()).toBe(await unknown.text());
  });

  it('serves booked visits and approved time off to the generated token, parsed by ical.js', async () => {
    const token = await ensureCalendarToken(database.db, base, NOW);
    const visit = await addVisit(database, '2026-12-02', 'Jordan Smith', 'Acme Pharma');
    const cancelled = await addVisit(database, '2026-12-03', 'Lee Wong', 'Beta Labs');
    await cancelRepMeeting(database.db, { id: cancelled.id, byName: 'Sam Lee', at: NOW.toJSDate() });
    await addApprovedTimeOff(database, '2026-12-07', '2026-12-08', 'sick');

    const response = await fetch(`${generated.url}/calendar/${token}.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await response.text();
    const events = readEvents(ics);
    expect(events.map((event) => event.summary)).toEqual([
      'Rep visit: Jordan Smith (Acme Pharma)',
      'Off: Ana Cruz',
    ]);
    const [rep, off] = events;
    const installId = await getInstallId(database.db);
    expect(installId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rep?.uid).toBe(`RM-${visit.number}@main.${installId}.frontdesk`);
    expect(events.map((event) => event.uid).every((uid) => uid.includes(`@main.${installId}.`))).toBe(true);
    expect(rep?.start.toJSDate().toISOString()).toBe('2026-12-02T17:00:00.000Z');
    expect(rep?.end.toJSDate().toISOString()).toBe('2026-12-02T17:20:00.000Z');
    expect(off?.start.isDate).toBe(true);
    expect(off?.start.toString()).toBe('2026-12-07');
    expect(off?.end.toString()).toBe('2026-12-09'); // the day after the last day off
    expect(ics).not.toMatch(/sick|private reason/i);
  });

  it('uses reps.calendarToken from the office config', async () => {
    await addVisit(database, '2026-12-02', 'Jordan Smith', 'Acme Pharma');
    const response = await fetch(`${configured.url}/calendar/${CONFIG_TOKEN}.ics`);
    expect(response.status).toBe(200);
    expect(readEvents(await response.text())).toHaveLength(1);
  });

  it('answers a wrong token, a near miss or another method with the same 404 and nothing else', async () => {
    const token = await ensureCalendarToken(database.db, base, NOW);
    await addVisit(database, '2026-12-02', 'Jordan Smith', 'Acme Pharma');
    const unknown = await (await fetch(`${generated.url}/no-such-page`)).text();
    // One character off; the token itself may end in x, so the changed character must differ from it.
    const nearMiss = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    const attempts = [
      fetch(`${generated.url}/calendar/${nearMiss}.ics`),
      fetch(`${generated.url}/calendar/${token}.ics.bak`),
      fetch(`${generated.url}/calendar/${token}`),
      fetch(`${generated.url}/calendar/${CONFIG_TOKEN}.ics`),
      fetch(`${generated.url}/calendar/`),
      fetch(`${generated.url}/calendar/${token}.ics`, { method: 'POST' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(unknown);
    }
    expect(recording.text()).not.toContain(token);
  });
});

describe('HEAD wherever GET works', () => {
  let database: Database;
  let app: Frontdesk;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startWith(base, database, createRecordingLogger('info'));
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });

  // Connection handling is per hop (RFC 9110 §7.6.1) and the date moves; every other header must match.
  const PER_MESSAGE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

  // The same request by GET and by HEAD: same status and headers, and HEAD has no body.
  async function compare(path: string) {
    const get = await fetch(`${app.url}${path}`);
    const getBody = await get.text();
    const head = await fetch(`${app.url}${path}`, { method: 'HEAD' });
    const headers = (response: Response) => {
      const kept: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!PER_MESSAGE.has(name)) kept[name] = value;
      });
      return kept;
    };
    expect(head.status).toBe(get.status);
    expect(headers(head)).toEqual(headers(get));
    expect(await head.text()).toBe('');
    return { status: get.status, body: getBody };
  }

  it('answers HEAD /healthz like GET, without the body', async () => {
    expect(await compare('/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  it('answers HEAD /calendar/<token>.ics like GET, with the length of the feed and without it', async () => {
    const token = await ensureCalendarToken(database.db, base, NOW);
    const { status, body } = await compare(`/calendar/${token}.ics`);
    expect(status).toBe(200);
    expect(body).toContain('BEGIN:VCALENDAR');
    const head = await fetch(`${app.url}/calendar/${token}.ics`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
  });
});

describe('the iCalendar text', () => {
  let database: Database;
  const name = 'Smith, Jones; Partners\\North\nClinic';
  let app: Frontdesk;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startWith({ ...base, office: { ...base.office, name } }, database, createRecordingLogger());
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });

  it('ends every line, the last one too, with CRLF', async () => {
    const token = await ensureCalendarToken(database.db, base, NOW);
    await addVisit(database, '2026-12-02', 'Jordan Smith', 'Acme Pharma');
    const ics = await (await fetch(`${app.url}/calendar/${token}.ics`)).text();
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('escapes the practice name (commas, semicolons, backslashes, new lines) so it reads back whole', async () => {
    const token = await ensureCalendarToken(database.db, base, NOW);
    const ics = await (await fetch(`${app.url}/calendar/${token}.ics`)).text();
    // ical.js reads properties it does not know without unescaping; NAME (RFC 7986) and X-WR-CALNAME are TEXT.
    ICAL.design.icalendar.property.name = { defaultType: 'text' };
    ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' };
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const expected = `${name}: rep visits and time off`;
    expect(calendar.getFirstPropertyValue('name')).toBe(expected);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(expected);
    expect(ics).toContain(
      '\r\nNAME:Smith\\, Jones\\; Partners\\\\North\\nClinic: rep visits and time off\r\n',
    );
  });
});

describe('event UIDs across installations and restarts', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'frontdesk-uid-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** Starts frontdesk on `database`, books a visit if none is booked yet, and returns the feed's UIDs. */
  async function readUids(database: Database): Promise<string[]> {
    const app = await startWith(base, database, createRecordingLogger());
    try {
      const token = await ensureCalendarToken(database.db, base, NOW);
      if ((await database.db.select().from(repMeetings)).length === 0) {
        await addVisit(database, '2026-12-02', 'Jordan Smith', 'Acme Pharma');
      }
      const ics = await (await fetch(`${app.url}/calendar/${token}.ics`)).text();
      return readEvents(ics).map((event) => event.uid);
    } finally {
      await app.stop();
    }
  }

  it('gives the same first visit different UIDs in two databases', async () => {
    const first = await openDatabase({ dataDir: null });
    const second = await openDatabase({ dataDir: null });
    try {
      const [one] = await readUids(first);
      const [other] = await readUids(second);
      expect(one).toMatch(/^RM-1@main\./);
      expect(other).toMatch(/^RM-1@main\./);
      expect(one).not.toBe(other);
    } finally {
      await first.close();
      await second.close();
    }
    // Two embedded databases are opened and migrated one after the other.
  }, 60_000);

  it('keeps the UIDs of one database across a restart', async () => {
    const dataDir = join(scratch, 'data');
    const before = await openDatabase({ dataDir });
    const firstRun = await readUids(before).finally(() => before.close());
    const after = await openDatabase({ dataDir });
    const secondRun = await readUids(after).finally(() => after.close());
    expect(firstRun).toHaveLength(1);
    expect(secondRun).toEqual(firstRun);
  });
});

describe.each(databaseTargets())('the install id on $name', ({ open }) => {
  let database: Database;

  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is one id when several first starts store theirs at the same moment', async () => {
    const candidates = Array.from({ length: 8 }, (_, index) => `candidate-${index}`);
    const stored = await Promise.all(
      candidates.map((candidate) => ensureInstallId(database.db, { candidate, createdAt: NOW.toJSDate() })),
    );
    expect(new Set(stored).size).toBe(1);
    expect(candidates).toContain(stored[0]);
    expect(await readInstallId(database.db, NOW)).toBe(stored[0]);
  });
});
