import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { auditLog, outbox, supplyRequests, supplyStock } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Message, Outcome } from '../../src/handlers/kernel/message.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from '../../src/handlers/supplies/ids.ts';
import { loadSupplyDigest } from '../../src/handlers/supplies/loaders.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager

const referenceIn = (outcome: Outcome) => findReference(outcome, 'SR');
const approveOn = (message: Message | undefined) =>
  message?.buttons?.find((button) => button.actionId === SUPPLIES_ACTIONS.approve);

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'supplies',
  actions: SUPPLIES_ACTIONS,
  forms: SUPPLIES_FORMS,
})
  .extend(
    'storedRequests',
    ({ db }) =>
      () =>
        db.select().from(supplyRequests).orderBy(supplyRequests.id),
  )
  .extend(
    'outboxRows',
    ({ db }) =>
      () =>
        db.select().from(outbox).orderBy(outbox.id),
  )
  .extend(
    'stockOf',
    ({ db }) =>
      async (sku: string) =>
        (await db.select().from(supplyStock).where(eq(supplyStock.sku, sku)))[0]?.onHand,
  )
  .extend(
    'submitRequest',
    ({ submit }) =>
      (values: Record<string, string>) =>
        submit(SAM, SUPPLIES_FORMS.request, values),
  );

describe.each(databaseTargets())('supplies on $name', (target) => {
  it.override({ target });

  describe('filing from text', () => {
    it('names someone who is not on the staff list as such on the card a manager decides from', async ({
      deps,
      outboxRows,
    }) => {
      const stranger = resolvePerson(office, 'slack', 'U0STRANGER', 'Jo Marsh');
      await dispatchInput(deps, stranger, { kind: 'command', command: 'supplies', text: '2 GLV-M' }, NOW);
      const [card] = await outboxRows();
      const message = card?.message as { title?: string; text: string };
      expect(message.title).toContain('Jo Marsh — not on the staff list');
      expect(message.text).toContain('Jo Marsh — not on the staff list');
    });

    it('matches the catalog by name, stores the price, and queues an approval card with Approve and Deny', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcome = await command(SAM, '4 nitrile gloves m for exam room 2');
      const reference = referenceIn(outcome);
      expect(replyText(outcome)).toContain('4 boxes of Nitrile gloves (M) (GLV-M)');
      expect(replyText(outcome)).toContain('Cost: $50.00');
      const [row] = await storedRequests();
      expect(row).toMatchObject({
        sku: 'GLV-M',
        itemName: 'Nitrile gloves (M)',
        quantity: 4,
        unitPriceCents: 1250,
        note: 'for exam room 2',
        status: 'pending',
        urgency: 'routine',
      });
      const [card] = await outboxRows();
      expect(card).toMatchObject({ kind: 'post', target: office.channels.approvals, cardKey: reference });
      expect(card?.message.buttons?.map((button) => button.label)).toEqual(['Approve', 'Deny']);
      expect(card?.message.buttons?.map((button) => button.value)).toEqual([`${reference}~none`, reference]);
      expect(approveOn(card?.message)?.confirm).toBeUndefined();
      const fields = Object.fromEntries(
        (card?.message.fields ?? []).map((field) => [field.label, field.value]),
      );
      expect(fields).toMatchObject({
        Item: 'Nitrile gloves (M) · GLV-M',
        Quantity: '4 boxes',
        Cost: '$50.00 (4 × $12.50)',
        Vendor: 'Medline',
        Stock: 'not counted yet · par 10',
        Budget: '$0.00 of $1,500.00 approved in November; $50.00 with this one',
      });
    });

    it('matches by sku and reads "urgent" in the note as urgent today', async ({
      command,
      storedRequests,
    }) => {
      await command(SAM, '2 glv-l urgent, room 3 is out');
      expect((await storedRequests())[0]).toMatchObject({ sku: 'GLV-L', urgency: 'today' });
    });

    it('keeps no note made only of characters nobody sees', async ({ command, storedRequests }) => {
      await command(SAM, '2 glv-l \u200b\u200d\u2060');
      expect((await storedRequests())[0]).toMatchObject({ sku: 'GLV-L', note: '' });
    });

    it('files text that fits nothing as a non-catalog item and marks it so on the card', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcome = await command(SAM, '1 printer toner - the HP 26A');
      expect(replyText(outcome)).toContain('not in the catalog');
      expect((await storedRequests())[0]).toMatchObject({
        sku: null,
        itemName: 'printer toner',
        note: 'the HP 26A',
        unitPriceCents: null,
      });
      const [card] = await outboxRows();
      expect(card?.message.fields?.find((field) => field.label === 'Item')?.value).toBe(
        'printer toner (not in the catalog)',
      );
      expect(card?.message.lines?.join(' ')).toMatch(/Not in the catalog/);
    });

    it('offers close matches as buttons, stores nothing until one is pressed, and files it once', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const offer = await command(SAM, '4 gloves for room 2');
      expect(await storedRequests()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
      const buttons = offer.reply?.buttons ?? [];
      expect(buttons.map((button) => button.label)).toEqual([
        'Nitrile gloves (S) (GLV-S)',
        'Nitrile gloves (M) (GLV-M)',
        'Nitrile gloves (L) (GLV-L)',
        'Something else: "gloves for room 2"',
      ]);
      expect(buttons.every((button) => button.actionId === SUPPLIES_ACTIONS.choose)).toBe(true);
      const medium = buttons[1]?.value ?? '';
      const filed = await press(SAM, SUPPLIES_ACTIONS.choose, medium, 'choose-1');
      expect(replyText(filed)).toMatch(/Supplies requested: SR-\d+, 4 boxes of Nitrile gloves \(M\)/);
      expect((await storedRequests())[0]).toMatchObject({ sku: 'GLV-M', quantity: 4, note: 'for room 2' });

      const again = await press(SAM, SUPPLIES_ACTIONS.choose, medium, 'choose-2');
      expect(replyText(again)).toContain(`already chose for this one: it was filed as ${referenceIn(filed)}`);
      const other = await press(SAM, SUPPLIES_ACTIONS.choose, buttons[2]?.value ?? '', 'choose-3');
      expect(replyText(other)).toMatch(/Nothing was saved/);
      expect(await storedRequests()).toHaveLength(1);
      expect((await outboxRows()).filter((row) => row.kind === 'post')).toHaveLength(1);
    });

    it('files the words as written when "Something else" is pressed', async ({
      command,
      press,
      storedRequests,
    }) => {
      const offer = await command(SAM, '2 paper towels');
      const something = offer.reply?.buttons?.at(-1);
      expect(something?.label).toBe('Something else: "paper towels"');
      await press(SAM, SUPPLIES_ACTIONS.choose, something?.value ?? '');
      expect((await storedRequests())[0]).toMatchObject({ sku: null, itemName: 'paper towels', quantity: 2 });
    });

    it('keeps the item on one line when a "Something else" value comes back with line breaks in it', async ({
      command,
      press,
      storedRequests,
    }) => {
      const offer = await command(SAM, '2 paper towels');
      const value = JSON.parse(offer.reply?.buttons?.at(-1)?.value ?? '{}') as Record<string, unknown>;
      const crafted = JSON.stringify({ ...value, i: 'Printer toner\nSR-99 · Dana Reyes: 500 × gloves' });
      await press(SAM, SUPPLIES_ACTIONS.choose, crafted);
      expect((await storedRequests())[0]).toMatchObject({
        itemName: 'Printer toner SR-99 · Dana Reyes: 500 × gloves',
      });
    });

    it.for([
      ['zero', '0 nitrile gloves m', /Zero is nothing to order/],
      ['a negative number', '-2 nitrile gloves m', /below zero/],
      ['a fraction', '2.5 nitrile gloves m', /not a whole number/],
      ['over 1,000', '1001 nitrile gloves m', /more than 1,000/],
      ['no number', 'nitrile gloves m', /Start with how many/],
      ['empty item text', '4', /Say what you need after the number/],
      ['empty item text after punctuation', '4 -', /Say what you need after the number/],
      ['a note with no item', '4 : for room 2', /Say what you need before the note/],
      ['a huge note', `4 nitrile gloves m for ${'x'.repeat(600)}`, /under 500 characters/],
      ['a huge item name', `4 ${'toner '.repeat(50)}`, /under 200 characters/],
    ] as const)(
      'refuses %s with a clear answer and stores nothing',
      async ([_label, text, expected], { command, storedRequests, outboxRows }) => {
        const outcome = await command(SAM, text);
        expect(replyText(outcome)).toMatch(expected);
        expect(replyText(outcome)).toMatch(/Nothing was saved/);
        expect(replyText(outcome)).toMatch(/Write it like \/supplies 4 nitrile gloves m|under 500/);
        expect(await storedRequests()).toHaveLength(0);
        expect(await outboxRows()).toHaveLength(0);
      },
    );

    it.for([
      ['garbage', 'not json'],
      [
        'a tampered quantity',
        JSON.stringify({ d: 'x', s: 'GLV-M', q: 5000, i: 'Nitrile gloves (M)', n: '' }),
      ],
      [
        'a fractional quantity',
        JSON.stringify({ d: 'x', s: 'GLV-M', q: 1.5, i: 'Nitrile gloves (M)', n: '' }),
      ],
      ['an unknown sku', JSON.stringify({ d: 'x', s: 'NOPE-1', q: 2, i: 'Nope', n: '' })],
      ['an empty item', JSON.stringify({ d: 'x', s: null, q: 2, i: '  ', n: '' })],
    ] as const)('refuses a choice button carrying %s', async ([_label, value], { press, storedRequests }) => {
      const outcome = await press(SAM, SUPPLIES_ACTIONS.choose, value);
      expect(replyText(outcome)).toMatch(/Nothing was saved/);
      expect(await storedRequests()).toHaveLength(0);
    });

    it('files once when the same delivery arrives twice', async ({ command, storedRequests, outboxRows }) => {
      const first = await command(SAM, '4 nitrile gloves m', 'trigger-1');
      const again = await command(SAM, '4 nitrile gloves m', 'trigger-1');
      expect(again.reply).toEqual(first.reply);
      expect(await storedRequests()).toHaveLength(1);
      expect(await outboxRows()).toHaveLength(1);
    });

    it('stores an injection attempt as plain text', async ({ command, storedRequests }) => {
      const note = "'); drop table supply_requests; --";
      await command(SAM, `1 GLV-M ${note}`);
      expect((await storedRequests())[0]?.note).toBe(note);
    });
  });

  describe('the form', () => {
    it('opens a form with the catalog when the command has no text', async ({ command }) => {
      const outcome = await command(SAM, '');
      expect(outcome.form).toMatchObject({ formId: SUPPLIES_FORMS.request });
      expect(outcome.form?.inputs.map((input) => input.id)).toEqual([
        'sku',
        'other',
        'quantity',
        'urgency',
        'note',
      ]);
      const select = outcome.form?.inputs[0];
      expect(select?.kind === 'select' && select.options.length).toBe(office.supplies.catalog.length);
    });

    it('offers every item of a 250-item catalog and files one chosen past the 100th', async ({
      run,
      storedRequests,
    }) => {
      const catalog = Array.from({ length: 250 }, (_, index) => ({
        sku: `ITEM-${index + 1}`,
        name: `Supply number ${index + 1}`,
        unit: 'box',
        par: 1,
        ...(index % 5 === 0 ? {} : { category: `Shelf ${index % 5}` }),
      }));
      const big = buildOfficeConfig({ supplies: { catalog } });
      const opened = await run(SAM, { kind: 'command', command: 'supplies', text: '' }, NOW, big);
      const select = opened.form?.inputs[0];
      const options = select?.kind === 'select' ? select.options : [];
      expect(options).toHaveLength(250);
      expect(options[179]).toEqual({
        label: 'Supply number 180 · box · ITEM-180',
        value: 'ITEM-180',
        group: 'Shelf 4',
      });
      expect(options[180]).not.toHaveProperty('group');

      const values = { sku: 'ITEM-180', quantity: '3', urgency: 'routine' };
      const filed = await run(SAM, { kind: 'form', formId: SUPPLIES_FORMS.request, values }, NOW, big);
      expect(replyText(filed)).toContain('3 boxes of Supply number 180');
      expect(await storedRequests()).toMatchObject([
        { sku: 'ITEM-180', itemName: 'Supply number 180', quantity: 3 },
      ]);
    });

    it('files a catalog item from a submitted form', async ({ storedRequests, submitRequest }) => {
      const outcome = await submitRequest({
        sku: 'PPR-EX',
        quantity: '6',
        urgency: 'this_week',
        note: 'rooms 1-3',
      });
      expect(replyText(outcome)).toContain('6 rolls of Exam table paper');
      expect((await storedRequests())[0]).toMatchObject({
        sku: 'PPR-EX',
        quantity: 6,
        urgency: 'this_week',
        note: 'rooms 1-3',
      });
    });

    it('files a described non-catalog item from a submitted form', async ({
      storedRequests,
      submitRequest,
    }) => {
      await submitRequest({ other: 'Label printer tape', quantity: '2', urgency: 'routine' });
      expect((await storedRequests())[0]).toMatchObject({ sku: null, itemName: 'Label printer tape' });
    });

    it('keeps a described item on one line when a crafted form carries line breaks in it', async ({
      storedRequests,
      submitRequest,
    }) => {
      await submitRequest({ other: 'Label\r\nprinter\ttape', quantity: '2', urgency: 'routine' });
      expect((await storedRequests())[0]).toMatchObject({ itemName: 'Label printer tape' });
    });

    it.for([
      ['a zero quantity', { sku: 'GLV-M', quantity: '0' }, 'quantity', /Zero/],
      ['a fractional quantity', { sku: 'GLV-M', quantity: '1.5' }, 'quantity', /not a whole number/],
      ['over 1,000', { sku: 'GLV-M', quantity: '5000' }, 'quantity', /more than 1,000/],
      ['no item at all', { quantity: '2' }, 'sku', /Choose an item/],
      [
        'both an item and a description',
        { sku: 'GLV-M', other: 'gloves', quantity: '2' },
        'other',
        /not both/,
      ],
      ['a description of punctuation', { other: '!!!', quantity: '2' }, 'other', /in words/],
      ['an invisible description', { other: '\u200b\u200d\u202e', quantity: '2' }, 'other', /in words/],
      ['an unknown sku', { sku: 'NOPE-1', quantity: '2' }, 'sku', /no longer in the catalog/],
      ['an unknown urgency', { sku: 'GLV-M', quantity: '2', urgency: 'yesterday' }, 'urgency', /how soon/],
    ] as const)(
      'keeps the form open with an error for %s',
      async ([_label, values, field, expected], { storedRequests, submitRequest }) => {
        const outcome = await submitRequest(values);
        expect(outcome.formErrors?.[field]).toMatch(expected);
        expect(await storedRequests()).toHaveLength(0);
      },
    );
  });

  describe('the lifecycle', () => {
    it('goes pending → approved → ordered → received: card updated in place, DM at each step, stock added', async ({
      db,
      command,
      press,
      storedRequests,
      outboxRows,
      stockOf,
    }) => {
      await command(DANA, 'stock GLV-M 3');
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));

      const approved = await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      expect(replyText(approved)).toContain(
        `Approved ${reference} for Sam Lee (4 boxes of Nitrile gloves (M))`,
      );
      let update = (await outboxRows()).filter((row) => row.kind === 'update').at(-1);
      expect(update).toMatchObject({ cardKey: reference });
      expect(update?.message.buttons?.map((button) => button.label)).toEqual(['Mark ordered']);
      expect(update?.message.note).toMatch(/Approved by Dana Reyes/);

      await press(OMAR, SUPPLIES_ACTIONS.markOrdered, reference);
      update = (await outboxRows()).filter((row) => row.kind === 'update').at(-1);
      expect(update?.message.buttons?.map((button) => button.label)).toEqual(['Mark received']);
      expect(update?.message.note).toMatch(/Ordered by Dr\. Omar Haddad/);

      const received = await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect(replyText(received)).toContain('GLV-M now has 7 on hand');
      update = (await outboxRows()).filter((row) => row.kind === 'update').at(-1);
      expect(update?.message.buttons).toBeUndefined();
      expect(update?.message.note).toMatch(/Received by Dana Reyes/);
      expect(await stockOf('GLV-M')).toBe(7);

      const dms = (await outboxRows()).filter((row) => row.kind === 'dm');
      expect(dms.map((row) => row.target)).toEqual([SAM, SAM, SAM]);
      expect(dms.map((row) => row.message.text)).toEqual([
        `Your supply request ${reference} (4 boxes of Nitrile gloves (M)) was approved by Dana Reyes ✅.`,
        `Your supply request ${reference} (4 boxes of Nitrile gloves (M)) has been ordered by Dr. Omar Haddad 🛒.`,
        `Your supply request ${reference} (4 boxes of Nitrile gloves (M)) has arrived 📦 (marked received by Dana Reyes).`,
      ]);
      expect((await storedRequests())[0]).toMatchObject({
        status: 'received',
        approvedByName: 'Dana Reyes',
        orderedByName: 'Dr. Omar Haddad',
        receivedByName: 'Dana Reyes',
      });
      const actions = (await db.select().from(auditLog).orderBy(auditLog.id)).map((row) => row.action);
      expect(actions).toEqual([
        'supplies.counted',
        'supplies.filed',
        'supplies.approved',
        'supplies.ordered',
        'supplies.received',
      ]);
    });

    it('receiving a non-catalog item changes no stock', async ({ db, command, press, storedRequests }) => {
      const reference = referenceIn(await command(SAM, '1 printer toner'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference);
      await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect((await storedRequests())[0]?.status).toBe('received');
      expect(await db.select().from(supplyStock)).toHaveLength(0);
    });

    it.for([
      ['Approve', SUPPLIES_ACTIONS.approve],
      ['Deny', SUPPLIES_ACTIONS.deny],
      ['Mark ordered', SUPPLIES_ACTIONS.markOrdered],
      ['Mark received', SUPPLIES_ACTIONS.markReceived],
    ] as const)(
      'refuses a non-manager pressing %s and changes nothing',
      async ([_label, actionId], { command, press, storedRequests, outboxRows }) => {
        const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
        const before = (await outboxRows()).length;
        const outcome = await press(PRIYA, actionId, reference);
        expect(replyText(outcome)).toMatch(/Only Dana Reyes or Dr\. Omar Haddad can approve, deny or mark/);
        expect(replyText(outcome)).toMatch(/Nothing was changed/);
        expect(outcome.form).toBeUndefined();
        expect((await storedRequests())[0]?.status).toBe('pending');
        expect(await outboxRows()).toHaveLength(before);
      },
    );

    it('refuses a requester approving their own request through a forged button', async ({
      command,
      press,
      storedRequests,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      expect(replyText(await press(SAM, SUPPLIES_ACTIONS.approve, reference))).toMatch(/Only Dana Reyes/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('refuses steps out of order and says which step is due', async ({
      db,
      command,
      press,
      storedRequests,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      expect(replyText(await press(DANA, SUPPLIES_ACTIONS.markReceived, reference))).toMatch(
        new RegExp(`${reference} has not been approved yet \\(it is pending\\): press Approve first`),
      );
      expect(replyText(await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference))).toMatch(
        /has not been approved yet/,
      );
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      const early = await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect(replyText(early)).toMatch(
        /has not been marked ordered yet \(it is approved\): press Mark ordered first/,
      );
      expect(replyText(early)).toMatch(/Nothing was changed/);
      expect((await storedRequests())[0]?.status).toBe('approved');
      expect(await db.select().from(supplyStock)).toHaveLength(0);
    });

    it('answers a second press with who took the step first, and changes nothing', async ({
      command,
      press,
      outboxRows,
      stockOf,
    }) => {
      // Counted first, so the one delivery shows in the stock; a second Mark received must not add it again.
      await command(DANA, 'stock GLV-M 0');
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      const before = (await outboxRows()).length;
      const again = await press(OMAR, SUPPLIES_ACTIONS.approve, reference);
      expect(replyText(again)).toMatch(
        new RegExp(`${reference} was already approved by Dana Reyes on Wed Nov 25`),
      );
      const deny = await press(OMAR, SUPPLIES_ACTIONS.deny, reference);
      expect(replyText(deny)).toMatch(/was already approved by Dana Reyes .* cannot be denied/);
      await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference);
      await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      const twice = await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect(replyText(twice)).toMatch(/was already marked received by Dana Reyes/);
      expect(await stockOf('GLV-M')).toBe(4);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toHaveLength(3);
      expect(before).toBeGreaterThan(0);
    });

    it('takes a step once when two managers press at the same moment', async ({
      command,
      press,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const outcomes = await Promise.all([
        press(DANA, SUPPLIES_ACTIONS.approve, reference),
        press(OMAR, SUPPLIES_ACTIONS.approve, reference),
      ]);
      const texts = outcomes.map(replyText);
      expect(texts.filter((text) => text.startsWith('Approved'))).toHaveLength(1);
      expect(texts.filter((text) => text.includes('was already approved'))).toHaveLength(1);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toHaveLength(1);
    });

    it('answers a duplicated button delivery from the record without a second change', async ({
      command,
      press,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      const first = await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference, 'action:U0DANA:1');
      const again = await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference, 'action:U0DANA:1');
      expect(again.reply).toEqual(first.reply);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toHaveLength(2);
    });

    it('asks for a reason on Deny, tells the requester, and closes the request', async ({
      run,
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const opened = await press(DANA, SUPPLIES_ACTIONS.deny, reference);
      expect(opened.form).toMatchObject({ formId: SUPPLIES_FORMS.denyReason, metadata: reference });
      expect((await storedRequests())[0]?.status).toBe('pending');
      await run(DANA, {
        kind: 'form',
        formId: SUPPLIES_FORMS.denyReason,
        values: { reason: 'We have a case in the back' },
        metadata: reference,
      });
      expect((await storedRequests())[0]).toMatchObject({
        status: 'denied',
        denialNote: 'We have a case in the back',
      });
      const dm = (await outboxRows()).find((row) => row.kind === 'dm');
      expect(dm?.message.lines?.join(' ')).toContain('Reason: We have a case in the back');
      const update = (await outboxRows()).find((row) => row.kind === 'update');
      expect(update?.message.buttons).toBeUndefined();
      expect(replyText(await press(OMAR, SUPPLIES_ACTIONS.approve, reference))).toMatch(
        /was denied by Dana Reyes .*so it cannot be approved/,
      );
    });

    it('does not let a non-manager deny through a forged form submission', async ({
      run,
      command,
      storedRequests,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const outcome = await run(PRIYA, {
        kind: 'form',
        formId: SUPPLIES_FORMS.denyReason,
        values: {},
        metadata: reference,
      });
      expect(replyText(outcome)).toMatch(/Only .* can approve, deny/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('answers a button naming a request that does not exist', async ({ press }) => {
      expect(replyText(await press(DANA, SUPPLIES_ACTIONS.approve, 'SR-999999'))).toMatch(
        /There is no supply request SR-999999/,
      );
    });
  });

  describe('budget on the card', () => {
    it('shows month-to-date approved spend and warns when approving goes over the budget', async ({
      command,
      press,
      outboxRows,
    }) => {
      const first = referenceIn(await command(SAM, '8 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, first);
      const big = referenceIn(await command(SAM, '120 GLV-L'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === big);
      const budget = card?.message.fields?.find((field) => field.label === 'Budget')?.value;
      expect(budget).toBe('$100.00 of $1,500.00 approved in November; $1,600.00 with this one ⚠️ over budget');
      expect(card?.message.lines).toContain(
        '⚠️ Approving this goes $100.00 over the November 2026 budget. A manager can still approve it.',
      );
    });

    it('redraws a pending card when another request is approved, with the month’s spend as it is now', async ({
      command,
      press,
      submit,
      outboxRows,
    }) => {
      const big = referenceIn(await command(SAM, '120 GLV-L'));
      const first = referenceIn(await command(PRIYA, '8 nitrile gloves m'));
      const budgetOf = (message: { fields?: { label: string; value: string }[] } | undefined) =>
        message?.fields?.find((field) => field.label === 'Budget')?.value;
      const latest = async () =>
        (await outboxRows()).filter((row) => row.cardKey === big && row.kind !== 'dm').at(-1)?.message;
      expect(budgetOf(await latest())).toBe(
        '$0.00 of $1,500.00 approved in November; $1,500.00 with this one',
      );
      await press(DANA, SUPPLIES_ACTIONS.approve, first);
      const redrawn = await latest();
      expect(budgetOf(redrawn)).toBe(
        '$100.00 of $1,500.00 approved in November; $1,600.00 with this one ⚠️ over budget',
      );
      expect(redrawn?.lines).toContain(
        '⚠️ Approving this goes $100.00 over the November 2026 budget. A manager can still approve it.',
      );
      // A denial changes no spend, so no other card is redrawn.
      const third = referenceIn(await command(PRIYA, '1 GLV-M'));
      const updatesOfThird = async () =>
        (await outboxRows()).filter((row) => row.cardKey === third && row.kind === 'update').length;
      await submit(DANA, SUPPLIES_FORMS.denyReason, { reason: '' }, big);
      // The denial's update replaces the redraw still waiting to be sent: one update of the card waits.
      const waiting = (await outboxRows()).filter((row) => row.cardKey === big && row.kind === 'update');
      expect(waiting).toHaveLength(1);
      expect(waiting[0]?.message.note).toMatch(/❌ Denied by Dana Reyes/);
      expect(await updatesOfThird()).toBe(0);
    });

    it('asks to confirm an Approve that goes over the budget, and the approval names the overrun', async ({
      command,
      press,
      outboxRows,
    }) => {
      const small = referenceIn(await command(SAM, '8 nitrile gloves m'));
      const withinBudget = await press(DANA, SUPPLIES_ACTIONS.approve, small);
      expect(replyText(withinBudget)).not.toContain('⚠️');
      const big = referenceIn(await command(SAM, '120 GLV-L'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === big);
      const approve = approveOn(card?.message);
      expect(approve?.confirm).toEqual({
        title: 'Approve over budget?',
        text: `Approving ${big} goes $100.00 over the November 2026 budget.`,
        confirm: 'Approve anyway',
        deny: 'Go back',
      });
      const approved = await press(OMAR, SUPPLIES_ACTIONS.approve, approve?.value ?? '');
      expect(approved.reply?.text).toBe(
        `Approved ${big} for Sam Lee (120 boxes of Nitrile gloves (L)). ⚠️ November 2026's approved spend is now $1,600.00, $100.00 over its $1,500.00 budget. Press Mark ordered on the card once it is ordered.`,
      );
    });

    it('asks again when Approve is pressed on a card drawn before the month went over, deciding nothing', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const big = referenceIn(await command(SAM, '120 GLV-L'));
      const small = referenceIn(await command(PRIYA, '8 nitrile gloves m'));
      const asDrawn = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === big);
      const staleValue = approveOn(asDrawn?.message)?.value ?? '';
      expect(staleValue).toBe(`${big}~none`);
      await press(DANA, SUPPLIES_ACTIONS.approve, small);

      const asked = await press(OMAR, SUPPLIES_ACTIONS.approve, staleValue);
      expect(asked.reply?.text).toBe(
        `Approving ${big} (Sam Lee, 120 boxes of Nitrile gloves (L)) now goes $100.00 over the November 2026 budget. Nothing was approved yet.`,
      );
      expect((await storedRequests()).find((row) => row.number === Number(big.slice(3)))?.status).toBe(
        'pending',
      );
      const redrawn = (await outboxRows())
        .filter((row) => row.kind === 'update' && row.cardKey === big)
        .at(-1);
      expect(redrawn?.message.lines).toContain(
        '⚠️ Approving this goes $100.00 over the November 2026 budget. A manager can still approve it.',
      );
      const anyway = asked.reply?.buttons?.[0];
      expect(anyway).toMatchObject({ label: 'Approve anyway', actionId: SUPPLIES_ACTIONS.approve });

      const approved = await press(OMAR, SUPPLIES_ACTIONS.approve, anyway?.value ?? '');
      expect(replyText(approved)).toContain(`Approved ${big} for Sam Lee`);
      expect(replyText(approved)).toContain('$100.00 over its $1,500.00 budget');
      expect((await storedRequests()).map((row) => row.status)).toEqual(['approved', 'approved']);
      const again = await press(OMAR, SUPPLIES_ACTIONS.approve, anyway?.value ?? '');
      expect(replyText(again)).toMatch(new RegExp(`^${big} was already approved by Dr. Omar`));
    });

    it('a non-manager pressing a stale over-budget Approve is refused as before, and nothing changes', async ({
      command,
      press,
      storedRequests,
    }) => {
      const big = referenceIn(await command(SAM, '120 GLV-L'));
      const small = referenceIn(await command(PRIYA, '8 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, small);
      const refused = await press(PRIYA, SUPPLIES_ACTIONS.approve, `${big}~none`);
      expect(replyText(refused)).toMatch(/^Only .* can approve, deny or mark supply requests/);
      expect((await storedRequests()).map((row) => row.status)).toEqual(['pending', 'approved']);
    });

    it('counts only this office month: last month’s approvals are not in it', async ({
      run,
      command,
      outboxRows,
    }) => {
      const october = DateTime.fromISO('2026-10-30T10:00', { zone }); // Fri
      const old = referenceIn(
        await run(SAM, { kind: 'command', command: 'supplies', text: '8 GLV-M' }, october),
      );
      await run(DANA, { kind: 'action', actionId: SUPPLIES_ACTIONS.approve, value: old }, october);
      const now = referenceIn(await command(SAM, '1 GLV-M'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === now);
      expect(card?.message.fields?.find((field) => field.label === 'Budget')?.value).toMatch(/^\$0\.00 of/);
    });
  });

  describe('stock and list', () => {
    it('records a manager’s count and suggests par − on hand − on order', async ({
      command,
      press,
      stockOf,
    }) => {
      const reference = referenceIn(await command(SAM, '2 GLV-M'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      const outcome = await command(DANA, 'stock glv-m 3');
      expect(replyText(outcome)).toContain('Nitrile gloves (M) (GLV-M): 3 boxes on hand, par 10.');
      expect(replyText(outcome)).toContain('Below par: order 5 boxes (2 approved to order already).');
      expect(await stockOf('GLV-M')).toBe(3);
      const list = replyText(await command(SAM, 'list'));
      expect(list).toContain(`${reference} · 2 boxes of Nitrile gloves (M) · Sam Lee · approved`);
      expect(list).toContain(
        'Nitrile gloves (M) (GLV-M): 3 on hand of par 10, 2 approved to order → order 5 boxes',
      );
      await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference);
      expect(replyText(await command(SAM, 'list'))).toContain(
        'Nitrile gloves (M) (GLV-M): 3 on hand of par 10, 2 on order → order 5 boxes',
      );
    });

    it('records a count by the item’s name, and asks which one when the name fits several', async ({
      command,
      stockOf,
    }) => {
      expect(replyText(await command(DANA, 'stock exam table paper 4'))).toContain(
        'Exam table paper (PPR-EX): 4 rolls on hand',
      );
      expect(await stockOf('PPR-EX')).toBe(4);
      const several = replyText(await command(DANA, 'stock nitrile gloves 3'));
      expect(several).toMatch(
        /^Which item did you count: Nitrile gloves \(S\) \(GLV-S\), .*Nothing was saved\./,
      );
      expect(await stockOf('GLV-S')).toBeUndefined();
    });

    it('adds a delivery only to a counted item, and says an uncounted one is unknown', async ({
      command,
      press,
      stockOf,
    }) => {
      const reference = referenceIn(await command(SAM, '2 GLV-L'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference);
      const received = await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect(received.reply?.text).toContain(
        'GLV-L was never counted, so how many are on hand is unknown; count it with /supplies stock GLV-L followed by the number on the shelf.',
      );
      expect(await stockOf('GLV-L')).toBeUndefined();
    });

    it('accepts a count of zero', async ({ command, stockOf }) => {
      await command(DANA, 'stock PPR-EX 0');
      expect(await stockOf('PPR-EX')).toBe(0);
      expect(replyText(await command(SAM, 'list'))).toContain('order 12 rolls');
    });

    it('refuses a non-manager recording a count, and stores nothing', async ({ db, command }) => {
      const outcome = await command(SAM, 'stock GLV-M 6');
      expect(replyText(outcome)).toMatch(
        /Only Dana Reyes or Dr\. Omar Haddad can record stock counts\. Nothing was saved/,
      );
      expect(await db.select().from(supplyStock)).toHaveLength(0);
    });

    it.for([
      [
        'an unknown sku',
        'stock GLV-XL 6',
        /There is no item GLV-XL in the catalog\. Did you mean GLV-S, GLV-M, GLV-L\?/,
      ],
      [
        'an unknown sku with no relatives',
        'stock COFFEE 6',
        /There is no item COFFEE in the catalog\. Nothing/,
      ],
      ['a negative count', 'stock GLV-M -1', /below zero/],
      ['a fractional count', 'stock GLV-M 2.5', /not a whole number/],
      ['an absurd count', 'stock GLV-M 5000', /more than 1,000/],
      ['a missing count', 'stock GLV-M', /Say which item and how many/],
    ] as const)('refuses %s', async ([_label, text, expected], { db, command }) => {
      const outcome = await command(DANA, text);
      expect(replyText(outcome)).toMatch(expected);
      expect(replyText(outcome)).toMatch(/Nothing was saved/);
      expect(await db.select().from(supplyStock)).toHaveLength(0);
    });

    it('says when nothing is open or counted', async ({ command }) => {
      const text = replyText(await command(SAM, 'list'));
      expect(text).toContain('None: nothing is waiting');
      expect(text).toContain('No stock counts yet');
    });
  });

  describe('for the huddle digest', () => {
    it('hands over pending requests as decisions, approved ones to order, and items below par', async ({
      db,
      command,
      press,
    }) => {
      const pending = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const approved = referenceIn(await command(PRIYA, '2 exam table paper'));
      await press(DANA, SUPPLIES_ACTIONS.approve, approved);
      await command(DANA, 'stock PPR-EX 5');
      const digest = await loadSupplyDigest(db, office);
      expect(digest.decisions).toMatchObject([
        {
          reference: pending,
          summary: 'Sam Lee: 4 boxes of Nitrile gloves (M) (supplies)',
          requester: { userId: SAM },
        },
      ]);
      expect(digest.decisions[0]?.filedAt.toISO()).toBe(NOW.toISO());
      expect(digest.suppliesToOrder).toEqual([
        { reference: approved, summary: 'Priya Shah: 2 rolls of Exam table paper' },
      ]);
      expect(digest.belowPar).toMatchObject([
        { sku: 'PPR-EX', onHand: 5, onOrder: 0, toOrder: 2, par: 12, suggested: 5, unit: 'roll' },
      ]);
    });
  });

  describe('cancel', () => {
    it('lets the requester cancel a pending request and updates its card', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const outcome = await command(SAM, `cancel ${reference}`);
      expect(replyText(outcome)).toContain(`Cancelled ${reference}`);
      expect((await storedRequests())[0]).toMatchObject({ status: 'cancelled', cancelledByName: 'Sam Lee' });
      const update = (await outboxRows()).find((row) => row.kind === 'update');
      expect(update?.message.buttons).toBeUndefined();
      expect(update?.message.note).toMatch(/Cancelled by Sam Lee/);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toHaveLength(0);
    });

    it('lets a manager cancel someone’s pending request and tells them', async ({ command, outboxRows }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      await command(DANA, `cancel ${reference}`);
      expect((await outboxRows()).find((row) => row.kind === 'dm')).toMatchObject({ target: SAM });
    });

    it('does not let someone else cancel my request', async ({ command, storedRequests }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      const outcome = await command(PRIYA, `cancel ${reference}`);
      expect(replyText(outcome)).toMatch(/is not yours/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('refuses to cancel once approved and says whom to ask', async ({ command, press, storedRequests }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      const outcome = await command(SAM, `cancel ${reference}`);
      expect(replyText(outcome)).toMatch(
        /was already approved by Dana Reyes.*stop the order\. Nothing was changed/,
      );
      expect((await storedRequests())[0]?.status).toBe('approved');
    });
  });

  describe('a manager stopping an approved order', () => {
    it('asks for a reason, cancels until it is received, and tells the requester why', async ({
      command,
      press,
      submit,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, '4 nitrile gloves m'));
      await press(DANA, SUPPLIES_ACTIONS.approve, reference);
      await press(DANA, SUPPLIES_ACTIONS.markOrdered, reference);
      const opened = await command(DANA, `cancel ${reference}`);
      expect(opened.form).toMatchObject({ formId: SUPPLIES_FORMS.cancelReason, metadata: reference });
      const empty = await submit(DANA, SUPPLIES_FORMS.cancelReason, { reason: '  ' }, reference);
      expect(empty.formErrors).toEqual({ reason: 'Say why; the requester is told.' });
      expect((await storedRequests())[0]?.status).toBe('ordered');
      // The form is checked again on submit: a requester cannot use it to stop an order.
      const forged = await submit(SAM, SUPPLIES_FORMS.cancelReason, { reason: 'mine' }, reference);
      expect(replyText(forged)).toMatch(/stop the order\. Nothing was changed/);
      const done = await submit(DANA, SUPPLIES_FORMS.cancelReason, { reason: 'Vendor recall' }, reference);
      expect(done.reply?.text).toBe(`Cancelled ${reference} (4 boxes of Nitrile gloves (M)).`);
      expect((await storedRequests())[0]).toMatchObject({ status: 'cancelled', cancelNote: 'Vendor recall' });
      const dm = (await outboxRows()).filter((row) => row.kind === 'dm').at(-1);
      expect(dm?.message.lines).toEqual([
        `Dana Reyes cancelled your supply request ${reference} (4 boxes of Nitrile gloves (M)).`,
        'Reason: Vendor recall',
      ]);
      await press(DANA, SUPPLIES_ACTIONS.markReceived, reference);
      expect((await storedRequests())[0]?.status).toBe('cancelled');
    });
  });

  describe('export', () => {
    it('gives managers the month’s requests as a CSV file, oldest first, with what a bookkeeper needs', async ({
      db,
      command,
    }) => {
      await command(SAM, '4 nitrile gloves m');
      await command(PRIYA, '1 printer toner, "HP"');
      const outcome = await command(DANA, 'export');
      expect(outcome.reply?.text).toBe('Supply requests, November 2026: 2 rows, as a CSV file.');
      const csv = readCsvAttachment(outcome);
      expect(csv.header).toEqual([
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
        'decision_note',
        'ordered_by',
        'received_by',
        'cancelled_by',
        'cancelled',
        'cancel_note',
      ]);
      expect(csv.rows[0]?.slice(0, 5)).toEqual([
        expect.stringMatching(/^SR-\d+$/),
        '2026-11-25T10:00',
        'Sam Lee',
        'GLV-M',
        'Nitrile gloves (M)',
      ]);
      expect(csv.rows[0]?.slice(7, 13)).toEqual(['4', 'box', '12.50', '50.00', 'routine', 'pending']);
      expect(csv.rows[1]?.[4]).toBe('printer toner, "HP"');
      const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'supplies.exported'));
      expect(audit).toHaveLength(1);
    });

    it('puts every request of the month in the file, however many', async ({ command, db }) => {
      for (let index = 0; index < 105; index += 1) await command(SAM, `${index + 1} GLV-M`);
      const csv = readCsvAttachment(await command(DANA, 'export 2026-11'));
      expect(csv.rows).toHaveLength((await db.select().from(supplyRequests)).length);
      expect(csv.rows).toHaveLength(105);
      expect(csv.rows.map((row) => row[7])).toEqual(
        Array.from({ length: 105 }, (_, index) => String(index + 1)),
      );
    });

    it('refuses non-managers and a month it cannot read', async ({ command }) => {
      expect(replyText(await command(SAM, 'export'))).toMatch(/Only .* can export/);
      expect(replyText(await command(DANA, 'export last-month'))).toMatch(/is not a month/);
      expect(replyText(await command(DANA, 'export 9999-12'))).toMatch(/"9999-12" is not a month/);
      expect(replyText(await command(DANA, 'export 0000-01'))).toMatch(/"0000-01" is not a month/);
    });
  });

  it('never logs what people typed', ({ recording }) => {
    expect(recording.text()).not.toContain('exam room 2');
    expect(recording.text()).not.toContain('We have a case');
    expect(recording.text()).not.toContain('drop table');
  });
});
