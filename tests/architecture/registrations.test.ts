import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_IDS, COMMAND_WORDS, FEATURES, FORM_IDS } from '../../src/handlers/index.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';

const manifest = parse(readFileSync(new URL('../../manifests/slack-app.yaml', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; url: string }[] };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
  oauth_config: { scopes: { bot: string[] } };
};

describe('manifests/slack-app.yaml', () => {
  const router = createRouter(FEATURES);

  it('declares exactly the commands the router answers', () => {
    const declared = manifest.features.slash_commands.map((entry) => entry.command.replace(/^\//, '')).sort();
    expect(declared).toEqual([...COMMAND_WORDS].sort());
  });

  it('sends commands and interactivity to /slack/events', () => {
    for (const entry of manifest.features.slash_commands) expect(entry.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
  });

  it('asks for no bot scope beyond commands, chat:write, file uploads and the history look-up before a re-send', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'im:history',
      'im:write',
    ]);
  });

  it('routes every action id and form id a feature declares, each declared by one feature only', () => {
    expect(new Set(ACTION_IDS).size).toBe(ACTION_IDS.length);
    expect(new Set(FORM_IDS).size).toBe(FORM_IDS.length);
    expect([...router.actionIds].sort()).toEqual([...ACTION_IDS].sort());
    expect([...router.formIds].sort()).toEqual([...FORM_IDS].sort());
  });
});

// Command words typed to the bot in Teams but not in its command menu, which holds at most 10.
const TEAMS_UNLISTED = ['note'];

describe('manifests/teams/manifest.json', () => {
  const teams = JSON.parse(
    readFileSync(new URL('../../manifests/teams/manifest.json', import.meta.url), 'utf8'),
  ) as {
    manifestVersion: string;
    bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
    icons: { color: string; outline: string };
  };

  it('lists every command word, and help, for the bot in personal, team and group chats', () => {
    const [bot] = teams.bots;
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    const titles = bot?.commandLists.flatMap((list) => list.commands.map((command) => command.title)).sort();
    // Teams shows at most 10 commands per list and the list is full: `note` works when typed, unlisted.
    const listed = COMMAND_WORDS.filter((word) => !TEAMS_UNLISTED.includes(word));
    expect(titles).toEqual([...listed, 'help'].sort());
    expect(bot?.botId).toBe('{{MICROSOFT_APP_ID}}');
  });

  it('packages into a zip with the manifest and both icons', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: {
        ...process.env,
        MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
        PUBLIC_HOST: 'fd.example.org',
      },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const files = unzipSync(readFileSync(new URL('../../dist/frontdesk-teams.zip', import.meta.url)));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest).toMatchObject({
      id: '11111111-2222-3333-4444-555555555555',
      validDomains: ['fd.example.org'],
    });
  });

  it('refuses to package without a valid app id', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, MICROSOFT_APP_ID: 'not-a-guid', PUBLIC_HOST: 'fd.example.org' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^package:teams: MICROSOFT_APP_ID: expected/);
  });
});
