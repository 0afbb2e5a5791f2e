import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog, checkReadings, outbox } from '../../src/db/schema/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildFridgeOffice } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office: OfficeConfig = buildFridgeOffice();
const NOW = DateTime.fromISO('2026-11-30T08:05', { zone: office.office.timezone }); // Mon, just after 08:00
const ANA = 'U0ANA'; // medical assistant
const MANAGERS = ['U0DANA', 'U0OMAR'] as const;

interface SlackElement {
  action_id?: string;
  value?: string;
  text?: { text?: string };
}

/** The buttons in a list of blocks, as Slack shows them. */
function buttonsOf(blocks: unknown): SlackElement[] {
  const list = Array.isArray(blocks) ? (blocks as { type?: string; elements?: SlackElement[] }[]) : [];
  return list.filter((block) => block.type === 'actions').flatMap((block) => block.elements ?? []);
}

/** A reading as the modal sends it: a block per input, its one element's state. */
const reading = (temp: string, action: string | null) => ({
  time: { time: { type: 'static_select', selected_option: { value: '08:00' } } },
  'field-temp': { 'field-temp': { type: 'plain_text_input', value: temp } },
  action: { action: { type: 'plain_text_input', value: action } },
});

describe.each(databaseTargets())('checks through signed Slack requests on $name', ({ open }) => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/checks',
      office,
      now: NOW,
      openDatabase: open,
      tables: [outbox, checkReadings, auditLog],
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  it('takes an out-of-range fridge reading only with the action taken, and alerts every manager at once', async () => {
    const answer = await slack.slash<unknown>('', { userId: ANA });
    expect(answer.text).toBe('Checks today — Mon Nov 30: 0 of 2 recorded');
    const [record] = buttonsOf(answer.blocks);
    expect(record).toMatchObject({ text: { text: 'Record' }, value: 'fridge/2026-11-30/08:00' });

    await slack.press(String(record?.action_id), String(record?.value), ANA, 'record', {
      triggerId: 'trigger.record',
    });
    const opened = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('checks_reading');
    expect(JSON.stringify(view.blocks)).toContain('Action taken (required if a value is out of range)');

    const refused = await slack.submit({
      callbackId: 'checks_reading',
      privateMetadata: view.private_metadata,
      values: reading('9.4', null),
      userId: ANA,
      viewId: 'VFRIDGE1',
    });
    const errors = (await refused.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors).toEqual({
      response_action: 'errors',
      errors: { action: 'Temperature °C is out of range: say what you did about it (required).' },
    });
    expect(await slack.db.select().from(checkReadings)).toHaveLength(0);

    // Corrected in the same modal (same view id) and submitted again: processed once.
    const action = 'Moved vaccines to the backup fridge; technician called';
    const accepted = await slack.submit({
      callbackId: 'checks_reading',
      privateMetadata: view.private_metadata,
      values: reading('9.4', action),
      userId: ANA,
      viewId: 'VFRIDGE1',
    });
    expect(accepted.status).toBe(200);
    const confirmation = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(confirmation.body).toMatchObject({ user: ANA });
    expect(String(confirmation.body.text)).toMatch(
      /^Check recorded: CK-\d+, Vaccine fridge, 8:00 AM Mon Nov 30 — out of range$/,
    );
    for (const manager of MANAGERS) {
      const [alert] = await waitFor(() => {
        const dms = slack.dmsTo(manager);
        return dms.length > 0 ? dms : undefined;
      }, `the alert to ${manager}`);
      const shown = `${String(alert?.body.text)}\n${JSON.stringify(alert?.body.blocks)}`;
      expect(shown).toContain('🔴 Out of range: Vaccine fridge, 8:00 AM Mon Nov 30');
      expect(shown).toContain('Temperature °C: 9.4 🔴 out of range (2–8)');
      expect(shown).toContain(`Action taken: ${action}`);
    }
    await slack.waitForOutboxDrained();
    for (const manager of MANAGERS) expect(slack.dmsTo(manager)).toHaveLength(1);
    expect(await slack.db.select().from(checkReadings)).toEqual([
      expect.objectContaining({ outOfRange: true, actionTaken: action, recordedByName: 'Ana Cruz' }),
    ]);
    expect(slack.recording.text()).not.toContain('backup fridge');
  });
});
