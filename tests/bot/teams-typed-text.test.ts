import { describe, expect, it } from 'vitest';
import { readTypedText } from '../../src/bot/teams/mentions.ts';
import { resolveTeamsPerson } from '../../src/bot/teams/register.ts';
import { escapeTeamsMarkdown, replyToAdaptiveCard } from '../../src/bot/teams/render.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';

const BOT = { id: '28:frontdesk', name: 'frontdesk' };
const mention = (text: string, id: string) => ({ type: 'mention', text, mentioned: { id, name: text } });

describe('readTypedText', () => {
  it('takes out the bot’s own mention and keeps a colleague’s as their name', () => {
    const text = readTypedText({
      text: '<at>frontdesk</at> note call <at>Priya Shah</at> about the Friday schedule',
      recipient: BOT,
      entities: [mention('<at>frontdesk</at>', BOT.id), mention('<at>Priya Shah</at>', '29:priya')],
    });
    expect(text).toBe('note call Priya Shah about the Friday schedule');
  });

  it('keeps a mention without an entity as the name, and finds the bot by its id, not its name', () => {
    expect(
      readTypedText({
        text: 'out for <at>Sam Lee</at> sick today',
        recipient: BOT,
        entities: [mention('<at>Sam Lee</at>', '29:sam')],
      }),
    ).toBe('out for Sam Lee sick today');
    // A bot renamed in a team is still the recipient: its entity decides, whatever the tag says.
    expect(
      readTypedText({
        text: '<at>Front Desk</at> help',
        recipient: BOT,
        entities: [mention('<at>Front Desk</at>', BOT.id)],
      }),
    ).toBe('help');
  });
});

describe('escapeTeamsMarkdown on numbered lines', () => {
  it('escapes the dot or parenthesis of a numbered line, never the digit, which would show a backslash', () => {
    expect(escapeTeamsMarkdown('1. Call the lab\n2. Restock room 3')).toBe(
      '1\\. Call the lab\n2\\. Restock room 3',
    );
    expect(escapeTeamsMarkdown('Patient said:\n1) wait was long\n 12) nobody called')).toBe(
      'Patient said:\n1\\) wait was long\n 12\\) nobody called',
    );
    expect(escapeTeamsMarkdown('Room 3. Then 2) later')).toBe('Room 3. Then 2) later');
  });
});

describe('line breaks on a Teams card', () => {
  it('keeps each line typed as its own line, which Teams breaks only at a blank line', () => {
    const card = replyToAdaptiveCard({
      text: 'Complaint',
      lines: ['Waited two hours\n- nobody said why\n\nThen left'],
      fields: [{ label: 'What happened', value: 'Line one\nLine two' }],
    });
    const body = card.body as { type: string; text?: string; facts?: { value: string }[] }[];
    expect(body.map((block) => block.text)).toContain(
      'Waited two hours\n\n\\- nobody said why\n\n\n\nThen left',
    );
    expect(body.find((block) => block.type === 'FactSet')?.facts?.[0]?.value).toBe('Line one\n\nLine two');
  });
});

describe('resolveTeamsPerson', () => {
  const base = buildOfficeConfig();
  const office = { ...base, staff: withTeamsIds(base.staff) };

  it('matches a staff member by the Entra object id Teams sends', () => {
    const dana = resolveTeamsPerson(office, { id: '29:dana', aadObjectId: 'aad-dana', name: 'Dana' });
    expect(dana).toMatchObject({ key: 'staff:dana-reyes', isManager: true, userId: 'aad-dana' });
  });

  it('never matches by from.id, which a Web Chat or Direct Line client chooses', () => {
    const posing = resolveTeamsPerson(office, { id: 'aad-dana', name: 'Dana Reyes' });
    expect(posing.isManager).toBe(false);
    expect(posing.key).toBe('teams:aad-dana');
    expect(posing.name).toBe('Dana Reyes — not on the staff list');
  });

  it('matches by from.id in the Bot Framework Emulator, which sends no object id and runs with sign-in off', () => {
    const emulated = resolveTeamsPerson(office, { id: 'aad-dana', name: 'Dana Reyes' }, true);
    expect(emulated).toMatchObject({ key: 'staff:dana-reyes', isManager: true });
  });
});
