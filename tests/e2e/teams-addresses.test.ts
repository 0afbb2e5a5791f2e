import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { outbox } from '../../src/db/schema/index.ts';
import { type RecordingConnector, startRecordingConnector } from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = { ...base, staff: withTeamsIds(base.staff) };
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone });

describe('Teams direct messages after the service address moved', () => {
  let teams: TeamsHarness;
  let moved: RecordingConnector;

  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => NOW });
    moved = await startRecordingConnector();
  });
  afterAll(async () => {
    await teams?.stop();
    await moved?.close();
  });

  it('sends a later DM to the serviceUrl the person was last seen at, not a stale one', async () => {
    // Omar installed the app long ago: his 1:1 chat is stored with the old service address.
    await teams.install(['omar']);
    // Teams moved the tenant to another service address; Omar and Priya now write from there.
    const at = (params: Parameters<TeamsHarness['activity']>[0]) => ({
      ...teams.activity(params),
      serviceUrl: moved.url,
    });
    await teams.send(
      at({
        user: 'omar',
        conversation: 'team-huddle',
        kind: 'channel',
        text: '<at>frontdesk</at> use this channel for huddle',
      }),
    );
    await teams.connector.close();
    await teams.send(at({ user: 'priya', conversation: 'dm-priya', text: 'out sick' }));
    // Omar's DM about the call-out should reach him at the address he was last seen at.
    await waitFor(
      () =>
        moved.postsIn('dm-omar').length > 0 ||
        moved.created.some((c) => c.body.members?.some((m) => m.id === '29:omar')) ||
        undefined,
      'a DM to Omar at his current address',
    );
    const dms = await teams.database.db.select().from(outbox).where(eq(outbox.target, 'aad-omar'));
    expect(dms.at(-1)?.status).toBe('sent');
  });
});

describe('Teams emulator', () => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => NOW });
  });
  afterAll(() => teams?.stop());

  it('knows a manager typing from the Bot Framework Emulator (channel emulator, no aadObjectId) by their teams id', async () => {
    await teams.send({
      ...teams.activity({ user: 'dana', conversation: 'emu-1', text: 'creds list' }),
      channelId: 'emulator',
      from: { id: 'aad-dana', name: 'Dana Reyes' },
      channelData: {},
      conversation: { id: 'emu-1' },
    });
    const said = JSON.stringify(teams.connector.postsIn('emu-1').map((p) => p.body));
    expect(said).not.toMatch(/Only .* can/);
  });
});
