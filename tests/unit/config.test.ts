import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadEnv } from '../../src/config/env.ts';
import { loadOfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import { readExampleOfficeYaml } from '../helpers/office.ts';

const SLACK = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-123' };

/** The one-line ConfigError message `run` throws; fails the test when it does not throw one. */
function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** office.example.yaml with `from` replaced by `to` (the replacement must apply). */
function editExample(from: string, to: string): string {
  const example = readExampleOfficeYaml();
  const edited = example.replace(from, to);
  expect(edited).not.toBe(example);
  return edited;
}

describe('loadEnv', () => {
  it('starts with embedded defaults when nothing is set', () => {
    expect(loadEnv({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.data',
      officeConfigPath: undefined,
      slack: undefined,
      teams: undefined,
      teamsEmulator: false,
      sandbox: true,
      logLevel: 'info',
    });
  });

  it('reads PUBLIC_URL without its trailing slash, and refuses an address that is not a web one', () => {
    expect(loadEnv({ PUBLIC_URL: 'https://frontdesk.example.org/' }).publicUrl).toBe(
      'https://frontdesk.example.org',
    );
    expect(loadEnv({}).publicUrl).toBeUndefined();
    expect(() => loadEnv({ PUBLIC_URL: 'frontdesk.example.org' })).toThrow(
      /^PUBLIC_URL: expected the address/,
    );
    expect(() => loadEnv({ PUBLIC_URL: 'ftp://frontdesk.example.org' })).toThrow(/^PUBLIC_URL: /);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ PORT: '', DATABASE_URL: '', SLACK_BOT_TOKEN: '', SANDBOX: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      slack: undefined,
      sandbox: true,
    });
  });

  it('turns Slack on with both secrets, turns the sandbox off and binds to all interfaces', () => {
    expect(loadEnv({ ...SLACK, SLACK_API_URL: 'https://slack-gov.com/api/' })).toMatchObject({
      slack: { signingSecret: 'secret', botToken: 'xoxb-123', apiUrl: 'https://slack-gov.com/api/' },
      sandbox: false,
      host: '0.0.0.0',
    });
  });

  it('keeps the sandbox on beside Slack with SANDBOX=1 and binds it to 127.0.0.1', () => {
    expect(loadEnv({ ...SLACK, SANDBOX: '1' })).toMatchObject({ sandbox: true, host: '127.0.0.1' });
  });

  it('turns the sandbox off with SANDBOX=0', () => {
    expect(loadEnv({ SANDBOX: '0' })).toMatchObject({ sandbox: false, host: '0.0.0.0' });
  });

  it('binds to HOST when it is set', () => {
    expect(loadEnv({ HOST: '10.0.0.5', SANDBOX: '1' })).toMatchObject({ host: '10.0.0.5' });
  });

  it('binds TEAMS_EMULATOR=1 to 127.0.0.1, with or without credentials, unless HOST is set', () => {
    const credentials = { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' };
    expect(loadEnv({ TEAMS_EMULATOR: '1' })).toMatchObject({
      teamsEmulator: true,
      sandbox: false,
      host: '127.0.0.1',
    });
    expect(loadEnv({ TEAMS_EMULATOR: '1', ...credentials })).toMatchObject({ host: '127.0.0.1' });
    expect(loadEnv({ TEAMS_EMULATOR: '1', HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0' });
    expect(loadEnv(credentials)).toMatchObject({ teamsEmulator: false, host: '0.0.0.0' });
  });

  it('reads PORT, DATABASE_URL, DATA_DIR, OFFICE_CONFIG and LOG_LEVEL', () => {
    expect(
      loadEnv({
        PORT: '8080',
        DATABASE_URL: 'postgresql://frontdesk@db:5432/frontdesk',
        DATA_DIR: '/var/lib/frontdesk',
        OFFICE_CONFIG: '/etc/frontdesk/office.yaml',
        LOG_LEVEL: 'warn',
      }),
    ).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://frontdesk@db:5432/frontdesk',
      dataDir: '/var/lib/frontdesk',
      officeConfigPath: '/etc/frontdesk/office.yaml',
      logLevel: 'warn',
    });
  });

  it('stops on PORT=abc with one line naming PORT', () => {
    expect(configErrorOf(() => loadEnv({ PORT: 'abc' }))).toMatch(/^PORT: .*port/);
  });

  it('stops on a port out of range with one line naming PORT', () => {
    expect(configErrorOf(() => loadEnv({ PORT: '70000' }))).toMatch(/^PORT: /);
  });

  it('stops on a bot token without a signing secret with one line naming the missing variable', () => {
    expect(configErrorOf(() => loadEnv({ SLACK_BOT_TOKEN: 'xoxb-123' }))).toMatch(/^SLACK_SIGNING_SECRET: /);
  });

  it('stops on a signing secret without a bot token with one line naming the missing variable', () => {
    expect(configErrorOf(() => loadEnv({ SLACK_SIGNING_SECRET: 'secret' }))).toMatch(/^SLACK_BOT_TOKEN: /);
  });

  it('stops on a bot token that is not one with one line naming SLACK_BOT_TOKEN', () => {
    expect(configErrorOf(() => loadEnv({ ...SLACK, SLACK_BOT_TOKEN: 'secret-token' }))).toMatch(
      /^SLACK_BOT_TOKEN: /,
    );
  });

  it('stops on DATABASE_URL=mysql://… with one line naming DATABASE_URL', () => {
    expect(configErrorOf(() => loadEnv({ DATABASE_URL: 'mysql://root@db/frontdesk' }))).toMatch(
      /^DATABASE_URL: .*postgres/,
    );
  });

  it('stops on SANDBOX=yes with one line naming SANDBOX', () => {
    expect(configErrorOf(() => loadEnv({ SANDBOX: 'yes' }))).toMatch(/^SANDBOX: /);
  });

  it('stops on an unknown LOG_LEVEL with one line naming LOG_LEVEL', () => {
    expect(configErrorOf(() => loadEnv({ LOG_LEVEL: 'verbose' }))).toMatch(/^LOG_LEVEL: /);
  });
});

describe('parseOfficeConfig', () => {
  it('accepts office.example.yaml', () => {
    const office = parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml');
    expect(office).toMatchObject({
      office: { id: 'main', name: 'Riverside Family Practice', timezone: 'America/New_York' },
      channels: { approvals: 'C0APPROVALS', huddle: 'C0HUDDLE', complaints: 'C0COMPLAINTS' },
      timeoff: { allowanceDays: 15, workdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      digest: { time: '07:45' },
    });
    expect(office.staff).toContainEqual({
      name: 'Sam Lee',
      slack: 'U0SAM',
      role: 'front-desk',
      manager: false,
    });
    expect(office.timeoff.holidays).toContain('2026-12-25');
  });

  it('reads a JSON config too', () => {
    const office = parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml');
    expect(parseOfficeConfig(JSON.stringify(office), 'office.json')).toEqual(office);
  });

  it('names office.timezone when the zone is misspelt', () => {
    const yaml = editExample('timezone: America/New_York', 'timezone: America/Nwe_York');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: office\.timezone: .*IANA/,
    );
  });

  it('names a rep slot that starts inside another one’s visit on the same day, and keeps slots a visit apart', () => {
    const overlapping = editExample(
      '    - { day: tue, time: "12:00" }\n',
      '    - { day: tue, time: "12:00" }\n    - { day: tue, time: "12:10" }\n',
    );
    expect(configErrorOf(() => parseOfficeConfig(overlapping, 'office.yaml'))).toBe(
      "office.yaml: reps.slots.1.time: starts inside the tue 12:00 slot's 20-minute visit; slots on one day must be at least reps.minutes apart",
    );
    const twice = editExample('    - { day: wed, time: "12:00" }\n', '    - { day: tue, time: "12:00" }\n');
    expect(configErrorOf(() => parseOfficeConfig(twice, 'office.yaml'))).toMatch(
      /^office\.yaml: reps\.slots\.1\.time: /,
    );
    const apart = editExample(
      '    - { day: tue, time: "12:00" }\n',
      '    - { day: tue, time: "12:00" }\n    - { day: tue, time: "12:20" }\n',
    );
    expect(parseOfficeConfig(apart, 'office.yaml').reps.slots).toHaveLength(4);
  });

  it('names the staff entry that has no name', () => {
    const yaml = editExample(
      '{ name: Sam Lee, slack: U0SAM, role: front-desk }',
      '{ slack: U0SAM, role: front-desk }',
    );
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: staff\.1\.name: /,
    );
  });

  it('names digest.time when it is not a 24-hour time', () => {
    const yaml = editExample('time: "07:45"', 'time: "7.45"');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: digest\.time: .*07:45/,
    );
  });

  it('names an unknown key inside a section', () => {
    const yaml = editExample('  allowanceDays: 15', '  allowanceDays: 15\n  carryOver: 5');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: timeoff\.carryOver: is not a setting frontdesk knows \(check the spelling\)$/,
    );
  });

  it('names a misspelt top-level key before the problems it causes', () => {
    const yaml = editExample('timeoff:\n', 'timeof:\n');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: timeof: is not a setting frontdesk knows \(check the spelling\) \(and \d+ more problems?\)$/,
    );
  });

  it('names the staff entry that reuses a Slack id and who has it', () => {
    const yaml = editExample('slack: U0PRIYA', 'slack: U0SAM');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: staff\.2\.slack: U0SAM .*Sam Lee/,
    );
  });

  it('names a channel given as a #name instead of an id', () => {
    const yaml = editExample('approvals: C0APPROVALS', 'approvals: "#approvals"');
    expect(configErrorOf(() => parseOfficeConfig(yaml, 'office.yaml'))).toMatch(
      /^office\.yaml: channels\.approvals: /,
    );
  });

  it('reads teams.tenants and names one that is not a tenant id', () => {
    const yaml = `${readExampleOfficeYaml()}\nteams:\n  tenants: [72F988BF-86F1-41AF-91AB-2D7CD011DB47]\n`;
    expect(parseOfficeConfig(yaml, 'office.yaml').teams).toEqual({
      tenants: ['72F988BF-86F1-41AF-91AB-2D7CD011DB47'],
    });
    const domain = `${readExampleOfficeYaml()}\nteams:\n  tenants: [contoso.onmicrosoft.com]\n`;
    expect(configErrorOf(() => parseOfficeConfig(domain, 'office.yaml'))).toMatch(
      /^office\.yaml: teams\.tenants\.0: expected a tenant id/,
    );
  });

  describe('a supplies catalog the /supplies form must list whole', () => {
    /** office.example.yaml with a catalog of `count` items, item n in category `categoryOf(n)`, as office.yaml. */
    const withCatalog = (count: number, categoryOf: (number: number) => string | undefined) => {
      const example = parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml');
      const catalog = Array.from({ length: count }, (_, index) => {
        const category = categoryOf(index + 1);
        return {
          sku: `ITEM-${index + 1}`,
          name: `Item ${index + 1}`,
          unit: 'box',
          par: 1,
          ...(category ? { category } : {}),
        };
      });
      return () => parseOfficeConfig(JSON.stringify({ ...example, supplies: { catalog } }), 'office.yaml');
    };

    it('refuses a catalog that would need more than 100 category headings, and says why', () => {
      expect(configErrorOf(withCatalog(202, (number) => `Shelf ${number % 101}`))).toBe(
        'office.yaml: supplies.catalog: needs 101 category headings in the /supplies form (one per category, one per 100 items of a category, "Other" for items without one); Slack shows at most 100. Use fewer categories',
      );
      // A category of 250 takes three headings: 98 small ones and it make 101.
      expect(
        configErrorOf(withCatalog(348, (number) => (number <= 250 ? 'Big' : `Small ${number % 98}`))),
      ).toMatch(/^office\.yaml: supplies\.catalog: needs 101 category headings/);
    });

    it('accepts 100 headings, counting "Other" and items without a category as one', () => {
      // 99 shelves of one item each, then 100 items half in "Other", half without a category: 100 headings.
      const categoryOf = (number: number) => {
        if (number <= 99) return `Shelf ${number}`;
        return number % 2 === 0 ? 'Other' : undefined;
      };
      expect(withCatalog(199, categoryOf)().supplies.catalog).toHaveLength(199);
      expect(configErrorOf(withCatalog(200, categoryOf))).toMatch(/needs 101 category headings/);
    });

    it('accepts any number of categories in a catalog of up to 100 items, which needs no headings', () => {
      expect(withCatalog(100, (number) => `Shelf ${number}`)().supplies.catalog).toHaveLength(100);
    });

    it('refuses a catalog of more than 1,000 items, too big for a Slack form', () => {
      expect(configErrorOf(withCatalog(1001, (number) => `Shelf ${number % 10}`))).toBe(
        'office.yaml: supplies.catalog: has 1001 items; the /supplies form can list at most 1,000 (Slack refuses a larger form). Keep the items people order from chat; anything else can still be asked for by name',
      );
    });
  });

  it('says the file is not YAML in one line', () => {
    expect(configErrorOf(() => parseOfficeConfig('office: [unclosed', 'office.yaml'))).toMatch(
      /^office\.yaml: is not valid YAML/,
    );
  });
});

describe('loadOfficeConfig', () => {
  it('names a file that cannot be read', () => {
    expect(configErrorOf(() => loadOfficeConfig('/nonexistent/office.yaml'))).toMatch(
      /^\/nonexistent\/office\.yaml: cannot be read/,
    );
  });

  it('names the file it read in its errors', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'frontdesk-config-')), 'office.yaml');
    writeFileSync(path, editExample('timezone: America/New_York', 'timezone: Mars/Olympus'));
    expect(configErrorOf(() => loadOfficeConfig(path))).toBe(
      `${path}: office.timezone: expected an IANA time zone like America/New_York`,
    );
  });
});
