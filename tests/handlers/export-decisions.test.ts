import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from '../../src/handlers/supplies/ids.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const NOW = at('2026-11-25T10:00'); // Wed
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager

// The columns every spreadsheet already reads by position: the new ones come after them, never between.
const SUPPLY_COLUMNS = [
  'reference',
  'requested',
  'requester',
  'sku',
  'item',
  'vendor',
  'category',
  'quantity',
  'unit',
  'unit_price',
  'cost',
  'urgency',
  'status',
  'decided_by',
  'decided',
  'ordered',
  'received',
  'note',
];
const TIME_OFF_COLUMNS = [
  'reference',
  'who',
  'role',
  'type',
  'first_day',
  'last_day',
  'part',
  'working_days',
  'status',
  'filed',
  'decided_by',
  'decided',
  'cancelled_by',
  'cancelled',
];

const it = createHandlerTest({ office, now: NOW, command: 'supplies', actions: {}, forms: {} })
  .extend(
    'type',
    ({ run }) =>
      (userId: string, when: string, command: string, text: string): Promise<Outcome> =>
        run(userId, { kind: 'command', command, text }, at(when)),
  )
  .extend(
    'click',
    ({ run }) =>
      (userId: string, when: string, actionId: string, value: string): Promise<Outcome> =>
        run(userId, { kind: 'action', actionId, value }, at(when)),
  )
  .extend(
    'answer',
    ({ run }) =>
      (userId: string, when: string, formId: string, reason: string, metadata: string): Promise<Outcome> =>
        run(userId, { kind: 'form', formId, values: { reason }, metadata } as Input, at(when)),
  );

/** Each row of an export by its reference, as `{ column: cell }`. */
function byReference(csv: { header: string[]; rows: string[][] }): Map<string, Record<string, string>> {
  return new Map(
    csv.rows.map((row) => [
      row[0] ?? '',
      Object.fromEntries(csv.header.map((name, index) => [name, row[index] ?? ''])),
    ]),
  );
}

describe.each(databaseTargets())('exports carry the whole decision record, on $name', (target) => {
  it.override({ target });

  it('supplies: who ordered, received, denied and cancelled, when and why, after the columns before', async ({
    type,
    click,
    answer,
  }) => {
    const file = async (text: string) =>
      findReference(await type(SAM, '2026-11-24T09:00', 'supplies', text), 'SR');
    // Approved by Dana, ordered by Omar, then stopped by Omar late in the evening (after midnight UTC).
    const stopped = await file('2 GLV-M');
    await click(DANA, '2026-11-24T09:30', SUPPLIES_ACTIONS.approve, stopped);
    await click(OMAR, '2026-11-24T10:00', SUPPLIES_ACTIONS.markOrdered, stopped);
    await type(OMAR, '2026-11-24T22:30', 'supplies', `cancel ${stopped}`);
    await answer(
      OMAR,
      '2026-11-24T22:30',
      SUPPLIES_FORMS.cancelReason,
      '=HYPERLINK("http://x","recall")',
      stopped,
    );
    // Denied by Dana with a note that reads like a formula.
    const denied = await file('3 GLV-L');
    await click(DANA, '2026-11-24T11:00', SUPPLIES_ACTIONS.deny, denied);
    await answer(DANA, '2026-11-24T11:00', SUPPLIES_FORMS.denyReason, '@already in stock', denied);
    // Approved by Dana, ordered by Omar, received by Dana.
    const received = await file('1 SYR-3');
    await click(DANA, '2026-11-24T09:40', SUPPLIES_ACTIONS.approve, received);
    await click(OMAR, '2026-11-24T10:05', SUPPLIES_ACTIONS.markOrdered, received);
    await click(DANA, '2026-11-25T08:15', SUPPLIES_ACTIONS.markReceived, received);
    // Withdrawn by the requester while pending: no note is asked for.
    const withdrawn = await file('4 GLV-M');
    await type(SAM, '2026-11-24T12:00', 'supplies', `cancel ${withdrawn}`);

    const csv = readCsvAttachment(await type(DANA, '2026-11-25T10:00', 'supplies', 'export 2026-11'));
    expect(csv.header).toEqual([
      ...SUPPLY_COLUMNS,
      'decision_note',
      'ordered_by',
      'received_by',
      'cancelled_by',
      'cancelled',
      'cancel_note',
    ]);
    const rows = byReference(csv);
    expect(rows.get(stopped)).toMatchObject({
      status: 'cancelled',
      decided_by: 'Dana Reyes',
      decided: '2026-11-24T09:30',
      decision_note: '',
      ordered_by: 'Dr. Omar Haddad',
      received_by: '',
      cancelled_by: 'Dr. Omar Haddad',
      cancelled: '2026-11-24T22:30',
      // The formula-safe writer's apostrophe: a spreadsheet shows the text and never runs it.
      cancel_note: `'=HYPERLINK("http://x","recall")`,
    });
    expect(rows.get(denied)).toMatchObject({
      status: 'denied',
      decided_by: 'Dana Reyes',
      decided: '2026-11-24T11:00',
      decision_note: "'@already in stock",
      cancelled_by: '',
      cancelled: '',
      cancel_note: '',
    });
    expect(rows.get(received)).toMatchObject({
      status: 'received',
      ordered: '2026-11-24T10:05',
      ordered_by: 'Dr. Omar Haddad',
      received: '2026-11-25T08:15',
      received_by: 'Dana Reyes',
      cancelled_by: '',
    });
    expect(rows.get(withdrawn)).toMatchObject({
      status: 'cancelled',
      decided_by: '',
      cancelled_by: 'Sam Lee',
      cancelled: '2026-11-24T12:00',
      cancel_note: '',
    });
  });

  it('time off: why a request was denied, and who cancelled approved leave, when and why; never the request’s own reason', async ({
    type,
    click,
    answer,
  }) => {
    const deniedOutcome = await type(
      SAM,
      '2026-11-20T09:00',
      'timeoff',
      '2026-12-14 vacation REASONX wedding',
    );
    const denied = findReference(deniedOutcome, 'TO');
    await click(DANA, '2026-11-20T10:00', TIME_OFF_ACTIONS.deny, denied);
    await answer(DANA, '2026-11-20T10:00', TIME_OFF_FORMS.denyReason, '-short staffed that week', denied);
    const cancelled = findReference(
      await type(PRIYA, '2026-11-20T09:00', 'timeoff', '2026-12-15 vacation'),
      'TO',
    );
    await click(DANA, '2026-11-20T10:05', TIME_OFF_ACTIONS.approve, cancelled);
    await type(OMAR, '2026-11-23T22:15', 'timeoff', `cancel ${cancelled}`);
    await answer(OMAR, '2026-11-23T22:15', TIME_OFF_FORMS.cancelReason, '+Inspection that day', cancelled);

    const csv = readCsvAttachment(await type(DANA, '2026-11-25T10:00', 'timeoff', 'export 2026-12'));
    expect(csv.header).toEqual([...TIME_OFF_COLUMNS, 'decision_note', 'cancel_note']);
    const rows = byReference(csv);
    expect(rows.get(denied)).toMatchObject({
      status: 'denied',
      decided_by: 'Dana Reyes',
      decided: '2026-11-20T10:00',
      decision_note: "'-short staffed that week",
      cancel_note: '',
    });
    expect(rows.get(cancelled)).toMatchObject({
      status: 'cancelled',
      decided_by: 'Dana Reyes',
      decision_note: '',
      cancelled_by: 'Dr. Omar Haddad',
      cancelled: '2026-11-23T22:15',
      cancel_note: "'+Inspection that day",
    });
    expect(JSON.stringify(csv)).not.toContain('REASONX');
  });
});
