import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_IDS, FORM_IDS } from '../../src/handlers/action-ids.ts';
import { FEATURES } from '../../src/handlers/features.ts';
import { COMMAND_WORDS } from '../../src/handlers/input.ts';
import { createRouter } from '../../src/handlers/router.ts';

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

  it('asks for no bot scope beyond commands and chat:write', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands']);
  });

  it('has a handler for every action id and form id, and no handler for an undeclared id', () => {
    expect([...router.actionIds].sort()).toEqual(Object.values(ACTION_IDS).sort());
    expect([...router.formIds].sort()).toEqual(Object.values(FORM_IDS).sort());
  });
});
