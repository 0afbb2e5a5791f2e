import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Database } from '../../src/db/client.ts';
import { supplyRequests, timeOffRequests } from '../../src/db/schema/index.ts';
import type { RecordingConnector } from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  staff: withTeamsIds(base.staff),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const text = (value: unknown) => JSON.stringify(value ?? {});
type Card = Record<string, unknown>;

// A Teams form card stays on screen with a live Submit, and every press is a new activity (a new id).
describe('Teams form cards pressed more than once', () => {
  let teams: TeamsHarness;
  let connector: RecordingConnector;
  let database: Database;

  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => NOW });
    ({ connector, database } = teams);
    await send(
      activity({
        user: 'dana',
        conversation: 'team-approvals',
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
    // Dana's 1:1 chat, where a form opened from a channel card is sent.
    await say('dana', 'help');
  });
  afterAll(() => teams?.stop());

  const activity: TeamsHarness['activity'] = (params) => teams.activity(params);
  const send = (body: unknown) => teams.send(body);
  const say = (user: string, typed: string) =>
    send(activity({ user, conversation: `dm-${user}`, text: typed }));
  const press = (user: string, value: Record<string, unknown>, conversation = `dm-${user}`) =>
    send(
      activity({ user, conversation, kind: conversation.startsWith('dm-') ? 'personal' : 'channel', value }),
    );
  const lastPost = (conversation: string) => connector.postsIn(conversation).at(-1);
  const lastCard = (conversation: string) => connector.cardsIn(conversation).at(-1) as Card;
  const actionsOf = (card: Card) =>
    (card.actions ?? []) as { title: string; data?: Record<string, unknown> }[];
  const submitOf = (form: Card) => actionsOf(form)[0]?.data ?? {};
  const supplies = () => database.db.select().from(supplyRequests);
  const approvalPostsOf = (reference: string) =>
    connector.postsIn('team-approvals').filter((call) => text(call.body).includes(reference));
  const referenceIn = (value: unknown) => /SR-\d+/.exec(text(value))?.[0] ?? '';
  /** What an answer shows: its text and cards (each post has its own id and reply address). */
  const shown = (post: { body: Record<string, unknown> } | undefined) => ({
    text: post?.body.text,
    attachments: post?.body.attachments,
  });

  /** Opens a supplies form card in the person's 1:1 chat: its submit data with a catalog item chosen. */
  async function openSuppliesForm(user: string) {
    await say(user, 'supplies');
    const form = lastCard(`dm-${user}`);
    const sku = (form.body as { id?: string; choices?: { value: string }[] }[]).find(
      (input) => input.id === 'sku',
    )?.choices?.[0]?.value;
    expect(sku).toBeDefined();
    return { submit: submitOf(form), sku: sku ?? '' };
  }

  it('files once when Submit is pressed again, answering the second press with the first answer', async () => {
    const before = (await supplies()).length;
    const { submit, sku } = await openSuppliesForm('sam');
    const filled = { ...submit, sku, quantity: '2', urgency: 'routine', note: 'pressed twice' };
    await press('sam', filled);
    const first = lastPost('dm-sam');
    const reference = referenceIn(first?.body);
    expect(text(first?.body)).toContain(`Supplies requested: ${reference}`);
    await press('sam', filled);
    const second = lastPost('dm-sam');
    expect(second?.answeredId).not.toBe(first?.answeredId);
    expect(shown(second)).toEqual(shown(first));
    await waitForOutboxDrained(database.db);
    expect(await supplies()).toHaveLength(before + 1);
    expect(approvalPostsOf(reference)).toHaveLength(1);
  });

  it('files once when the same card is pressed twice at the same moment', async () => {
    const before = (await supplies()).length;
    const approvalsBefore = connector.postsIn('team-approvals').length;
    const { submit, sku } = await openSuppliesForm('ana');
    const filled = { ...submit, sku, quantity: '3', urgency: 'routine' };
    await Promise.all([press('ana', filled), press('ana', filled)]);
    await waitForOutboxDrained(database.db);
    expect(await supplies()).toHaveLength(before + 1);
    expect(connector.postsIn('team-approvals')).toHaveLength(approvalsBefore + 1);
    const [one, two] = connector
      .postsIn('dm-ana')
      .slice(-2)
      .map((answer) => referenceIn(answer.body));
    expect(one).toMatch(/^SR-\d+$/);
    expect(two).toBe(one);
  });

  it('takes a corrected try on a card refused with field errors, once; a new form files a new request', async () => {
    const before = (await supplies()).length;
    const { submit, sku } = await openSuppliesForm('priya');
    await press('priya', { ...submit, quantity: '1', urgency: 'routine' });
    expect(text(lastPost('dm-priya')?.body)).toMatch(/Please check the form/);
    expect(await supplies()).toHaveLength(before);
    const corrected = { ...submit, sku, quantity: '4', urgency: 'routine', note: 'second try' };
    await press('priya', corrected);
    const reference = referenceIn(lastPost('dm-priya')?.body);
    expect(text(lastPost('dm-priya')?.body)).toContain(`Supplies requested: ${reference}`);
    await press('priya', corrected);
    // A press with errors after the card was sent changes nothing either: the first answer again.
    await press('priya', { ...submit, quantity: '1', urgency: 'routine' });
    expect(text(lastPost('dm-priya')?.body)).toContain(`Supplies requested: ${reference}`);
    const filed = (await supplies()).slice(before);
    expect(filed).toHaveLength(1);
    expect(filed[0]?.quantity).toBe(4);

    const again = await openSuppliesForm('priya');
    await press('priya', { ...again.submit, sku: again.sku, quantity: '1', urgency: 'routine' });
    expect(referenceIn(lastPost('dm-priya')?.body)).not.toBe(reference);
    expect(await supplies()).toHaveLength(before + 2);
  });

  it('takes a deny reason from a form opened in a channel once, after a corrected try', async () => {
    await say('luis', 'timeoff dec 28 vacation');
    const reference = /TO-\d+/.exec(text(lastPost('dm-luis')?.body))?.[0] ?? '';
    const card = await waitFor(
      () =>
        connector.cardsIn('team-approvals').find((entry) => text(entry).includes(`Time off ${reference}`)),
      'the approval card',
    );
    const deny = actionsOf(card).find((action) => action.title === 'Deny')?.data ?? {};
    await press('dana', deny, 'team-approvals');
    expect(lastPost('team-approvals')?.body.text).toBe('I sent you a private message.');
    const submit = submitOf(lastCard('dm-dana'));
    await press('dana', { ...submit, reason: 'x'.repeat(900) });
    expect(text(lastPost('dm-dana')?.body)).toMatch(/Please check the form/);
    await press('dana', { ...submit, reason: 'short staffed that week' });
    const first = lastPost('dm-dana');
    await press('dana', { ...submit, reason: 'a different reason' });
    expect(shown(lastPost('dm-dana'))).toEqual(shown(first));
    await waitForOutboxDrained(database.db);
    const [row] = await database.db
      .select()
      .from(timeOffRequests)
      .where(eq(timeOffRequests.number, Number(reference.slice(3))));
    expect(row?.status).toBe('denied');
    const told = connector.postsIn('dm-luis').filter((call) => text(call.body).includes('denied'));
    expect(told).toHaveLength(1);
    expect(text(told[0]?.body)).toContain('short staffed that week');
  });
});
