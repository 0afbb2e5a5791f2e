import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { auditLog, deliveries, downloads, supplyRequests } from '../../src/db/schema/index.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const REQUESTS = 105;

/** A CSV read as strictly as RFC 4180 has it: BOM, CRLF after every record, every row as wide as the header. */
function parseStrictCsv(bytes: Buffer): string[][] {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const records: string[][] = parse(text, { bom: true, record_delimiter: '\r\n' });
  for (const record of records) expect(record).toHaveLength(records[0]?.length ?? 0);
  return records;
}

describe('exports as files in the sandbox: a link that works once, for 24 hours', () => {
  let database: Database;
  let app: Frontdesk;
  let now = NOW;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office,
      database,
      jobs: [],
      clock: () => now,
      logger: createRecordingLogger('warn').logger,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });

  const command = async (as: string, text: string) => {
    const response = await fetch(`${app.url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ as, text }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { reply: string | null };
  };
  const linkIn = (html: string | null) => {
    const href = /href="([^"]+\/exports\/[^"]+\.csv)"/.exec(html ?? '')?.[1];
    if (!href) throw new Error(`no download link in ${html}`);
    return href.replaceAll('&amp;', '&');
  };

  it('gives every row of the month in a strict CSV, once; the second try and a HEAD after it get 404', async () => {
    for (let index = 0; index < REQUESTS; index += 1)
      await command('sam-lee', `/supplies ${index + 1} GLV-M`);
    const stored = await database.db.select().from(supplyRequests);
    expect(stored).toHaveLength(REQUESTS);

    const answer = await command('dana-reyes', '/supplies export 2026-11');
    expect(answer.reply).toContain(`Supply requests, November 2026: ${REQUESTS} rows, as a CSV file.`);
    const link = linkIn(answer.reply);
    expect(link.startsWith(`${app.url}/exports/`)).toBe(true);

    const head = await fetch(link, { method: 'HEAD' });
    expect(head.status).toBe(200);
    // The token under another extension is not the file, and does not use it up.
    expect((await fetch(link.replace(/\.csv$/, '.png'))).status).toBe(404);
    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(first.headers.get('content-disposition')).toBe('attachment; filename="supplies-2026-11.csv"');
    const records = parseStrictCsv(Buffer.from(await first.arrayBuffer()));
    expect(records[0]?.[0]).toBe('reference');
    expect(records.slice(1)).toHaveLength(stored.length);
    expect(records.slice(1).map((row) => row[0])).toEqual(
      [...stored].sort((a, b) => a.number - b.number).map((row) => `SR-${row.number}`),
    );

    expect((await fetch(link)).status).toBe(404);
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(404);
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.action, 'export.downloaded'));
    expect(audited).toEqual([expect.objectContaining({ platform: 'sandbox', actorName: 'Dana Reyes' })]);
    // Only a hash of the token is stored, and the file is gone once downloaded.
    const [kept] = await database.db.select().from(downloads);
    expect(link).not.toContain(kept?.tokenHash ?? 'no row');
    expect(kept?.content).toBe('');
  });

  it('stops working after 24 hours, and a made-up token is a 404 like any unknown page', async () => {
    const link = linkIn((await command('dana-reyes', '/creds export')).reply);
    now = NOW.plus({ hours: 24, minutes: 1 });
    expect((await fetch(link)).status).toBe(404);
    now = NOW;
    expect((await fetch(`${app.url}/exports/${'A'.repeat(32)}.csv`)).status).toBe(404);
    expect((await fetch(`${app.url}/exports/../../etc/passwd`)).status).toBe(404);
  });

  it('shows the report’s charts as pictures frontdesk serves, readable more than once, with the figures as a CSV', async () => {
    const answer = await command('dana-reyes', '/report 2026-11');
    const images = [...(answer.reply ?? '').matchAll(/<img class="card-image" src="([^"]+\.png)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(images.length).toBeGreaterThan(0);
    for (const url of images.slice(0, 2)) {
      for (let time = 0; time < 2; time += 1) {
        const picture = await fetch(url);
        expect(picture.status).toBe(200);
        expect(picture.headers.get('content-type')).toBe('image/png');
        const bytes = Buffer.from(await picture.arrayBuffer());
        expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1440, 720]);
      }
    }
    expect(linkIn(answer.reply)).toContain('/exports/');
  });

  it('keeps an export from anyone but a manager', async () => {
    const answer = await command('sam-lee', '/complaint export');
    expect(answer.reply).toContain('Only managers');
    expect(answer.reply).not.toContain('/exports/');
  });
});

describe('download links: kept from the record, from other offices and from former managers', () => {
  let database: Database;
  const apps: Frontdesk[] = [];

  beforeEach(async () => {
    database = await openDatabase({ dataDir: null });
  });
  afterEach(async () => {
    for (const started of apps.splice(0)) await started.stop();
    await database?.close();
  });

  const start = async (config: OfficeConfig) => {
    const started = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office: config,
      database,
      jobs: [],
      clock: () => NOW,
      logger: createRecordingLogger('warn').logger,
    });
    apps.push(started);
    return started;
  };
  const command = async (to: Frontdesk, as: string, text: string, deliveryId?: string) => {
    const response = await fetch(`${to.url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: to.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ as, text, ...(deliveryId ? { deliveryId } : {}) }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { reply: string | null }).reply ?? '';
  };
  const pathsIn = (html: string) =>
    [...html.matchAll(/(?:href|src)="[^"]*(\/exports\/[^"]+\.(?:csv|png))"/g)].map((match) => match[1] ?? '');

  it('keeps no token of the report’s links with the delivery’s recorded answer', async () => {
    const app = await start(office);
    const paths = pathsIn(await command(app, 'dana-reyes', '/report 2026-11', 'delivery-report-0001'));
    expect(paths.filter((path) => path.endsWith('.png'))).toHaveLength(6);
    expect(paths.filter((path) => path.endsWith('.csv'))).toHaveLength(1);
    const recorded = JSON.stringify(await database.db.select().from(deliveries));
    expect(recorded).toContain('delivery-report-0001');
    for (const path of paths) expect(recorded).not.toContain(path.slice('/exports/'.length, -4));
  });

  it('stops a link, and removes its file, once the manager who asked is no longer one', async () => {
    const first = await start(office);
    const [path] = pathsIn(await command(first, 'dana-reyes', '/complaint export'));
    await apps.pop()?.stop();
    const demoted: OfficeConfig = {
      ...office,
      staff: office.staff.map((member) =>
        member.name === 'Dana Reyes' ? { ...member, manager: false } : member,
      ),
    };
    const second = await start(demoted);
    expect((await fetch(`${second.url}${path}`, { method: 'HEAD' })).status).toBe(404);
    expect(await database.db.select().from(downloads)).toEqual([]);
  });

  it('serves a link only from the office it was made for, on a database offices share', async () => {
    const riverside = await start(office);
    const [path] = pathsIn(await command(riverside, 'dana-reyes', '/complaint export'));
    const hillside = await start({
      ...office,
      office: { ...office.office, id: 'hillside', name: 'Hillside' },
    });
    expect((await fetch(`${hillside.url}${path}`)).status).toBe(404);
    expect((await fetch(`${riverside.url}${path}`)).status).toBe(200);
  });
});

describe('exports as files in Teams: a link audited as the Teams manager who asked', () => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsHarness({
      office: { ...office, staff: withTeamsIds(office.staff) },
      clock: () => NOW,
    });
  });
  afterAll(() => teams?.stop());

  it('records the download in the audit log as done in Teams, and keeps who asked there with the file', async () => {
    await teams.send(teams.activity({ user: 'dana', conversation: 'dm-dana', text: 'complaint export' }));
    const path = await waitFor(
      () =>
        /\/exports\/[A-Za-z0-9_-]+\.csv/.exec(
          JSON.stringify(teams.connector.postsIn('dm-dana').map((post) => post.body)),
        )?.[0],
      'the link in the Teams answer',
    );
    expect((await fetch(`${teams.app.url}${path}`)).status).toBe(200);
    const [kept] = await teams.database.db.select().from(downloads);
    expect(kept).toMatchObject({ actorPlatform: 'teams', actorUserId: 'aad-dana' });
    const audited = await teams.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'export.downloaded'));
    expect(audited).toEqual([
      expect.objectContaining({ platform: 'teams', actor: 'staff:dana-reyes', actorName: 'Dana Reyes' }),
    ]);
  });
});

describe('exports as files in Slack: uploaded into the manager’s direct messages', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/supplies', office, now: NOW });
  });
  afterAll(() => slack?.stop());

  it('uploads the whole CSV through the external upload flow, to the DM, and puts no CSV text in chat', async () => {
    for (let index = 0; index < REQUESTS; index += 1) await slack.slash(`${index + 1} GLV-M`);
    const answer = await slack.slash('export 2026-11', { userId: 'U0DANA' });
    expect(answer.text).toBe(`Supply requests, November 2026: ${REQUESTS} rows, as a CSV file.`);
    const upload = await waitFor(() => slack.api.uploads.find((file) => file.channel), 'the upload');
    expect(upload).toMatchObject({ filename: 'supplies-2026-11.csv', channel: 'U0DANA' });
    expect(upload.title).toBe('Supply requests, November 2026 (CSV)');
    const records = parseStrictCsv(upload.bytes);
    expect(records.slice(1)).toHaveLength((await slack.db.select().from(supplyRequests)).length);
    expect(records.slice(1)).toHaveLength(REQUESTS);
    const [asked] = slack.api.callsTo('files.getUploadURLExternal');
    expect(Number(asked?.body.length)).toBe(upload.bytes.length);
    // The chat answer names the file; its rows are only in the file.
    expect(JSON.stringify(slack.api.callsTo('chat.postMessage').map((call) => call.body))).not.toContain(
      'SR-1,',
    );
  });
});
