import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface SourceFile {
  /** repo-relative path, like src/domain/dates.ts */
  path: string;
  text: string;
  /** every import specifier, relative ones resolved to a repo-relative path */
  imports: string[];
}

function listFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Static imports and re-exports, side-effect imports, dynamic import() and require(). */
function readImports(path: string, text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found = patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
  return found.map((specifier) =>
    specifier.startsWith('.') ? relative(root, resolve(root, dirname(path), specifier)) : specifier,
  );
}

function readSources(directory: string): SourceFile[] {
  return listFiles(directory).map((path) => {
    const text = readFileSync(join(root, path), 'utf8');
    return { path, text, imports: readImports(path, text) };
  });
}

/** Source without comments, so a comment that mentions `Date.now()` is not a violation. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

type Rule = { name: string; test: (specifier: string) => boolean };

const fromRepo = (folder: string): Rule => ({
  name: folder,
  test: (specifier) => specifier === folder || specifier.startsWith(`${folder}/`),
});
const pkg = (name: string): Rule => ({
  name,
  test: (specifier) => specifier === name || specifier.startsWith(`${name}/`),
});
const scope = (prefix: string): Rule => ({
  name: `${prefix}*`,
  test: (specifier) => specifier.startsWith(prefix),
});
const nodeModule = (name: string): Rule => ({
  name: `node:${name}`,
  test: (specifier) =>
    [name, `node:${name}`].some((id) => specifier === id || specifier.startsWith(`${id}/`)),
});

const PLATFORM_PACKAGES = [scope('@slack/'), scope('@microsoft/'), scope('botbuilder'), pkg('node-cron')];

const DOMAIN_FORBIDDEN: Rule[] = [
  fromRepo('src/bot'),
  fromRepo('src/db'),
  fromRepo('src/handlers'),
  ...PLATFORM_PACKAGES,
  pkg('drizzle-orm'),
  pkg('postgres'),
  scope('@electric-sql/'),
  pkg('pino'),
  ...['fs', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'child_process'].map(nodeModule),
];
const DOMAIN_FORBIDDEN_CODE = ['process.env', 'Date.now(', 'new Date('];

const HANDLERS_FORBIDDEN: Rule[] = [...PLATFORM_PACKAGES, fromRepo('src/bot')];

/** `<file> imports <specifier> (forbidden: <rule>)` for every import that breaks a rule. */
function findForbiddenImports(files: SourceFile[], rules: Rule[]): string[] {
  return files.flatMap((file) =>
    file.imports.flatMap((specifier) =>
      rules
        .filter((rule) => rule.test(specifier))
        .map((rule) => `${file.path} imports ${specifier} (forbidden: ${rule.name})`),
    ),
  );
}

describe('src/domain', () => {
  const files = readSources('src/domain');

  it('is read, with its imports', () => {
    expect(files.map((file) => file.path)).toContain('src/domain/dates.ts');
    const people = files.find((file) => file.path === 'src/domain/people.ts');
    expect(people?.imports).toContain('src/config/office.ts');
  });

  it('imports no adapter, database, handler, platform, logging or I/O module', () => {
    expect(findForbiddenImports(files, DOMAIN_FORBIDDEN)).toEqual([]);
  });

  it('reads no environment and no real clock', () => {
    const violations = files.flatMap((file) => {
      const code = stripComments(file.text);
      return DOMAIN_FORBIDDEN_CODE.filter((token) => code.includes(token)).map(
        (token) => `${file.path} uses ${token}`,
      );
    });
    expect(violations).toEqual([]);
  });
});

describe('src/handlers', () => {
  const files = readSources('src/handlers');

  it('is read, with its imports', () => {
    const dispatch = files.find((file) => file.path === 'src/handlers/kernel/dispatch.ts');
    expect(dispatch?.imports).toContain('src/db/repositories/deliveries.ts');
  });

  it('imports no platform SDK, scheduler, or anything from src/bot', () => {
    expect(findForbiddenImports(files, HANDLERS_FORBIDDEN)).toEqual([]);
  });
});

describe('findForbiddenImports', () => {
  it('names the file and the import that break a rule', () => {
    const file = {
      path: 'src/domain/example.ts',
      text: '',
      imports: ['luxon', 'src/db/client.ts', '@slack/web-api', 'node:fs/promises', 'pino'],
    };
    expect(findForbiddenImports([file], DOMAIN_FORBIDDEN)).toEqual([
      'src/domain/example.ts imports src/db/client.ts (forbidden: src/db)',
      'src/domain/example.ts imports @slack/web-api (forbidden: @slack/*)',
      'src/domain/example.ts imports node:fs/promises (forbidden: node:fs)',
      'src/domain/example.ts imports pino (forbidden: pino)',
    ]);
  });

  it('reads every kind of import statement', () => {
    const text = [
      "import { a } from '../db/client.ts';",
      "import type { B } from '@slack/bolt';",
      "export * from './x.ts';",
      "import 'node:http';",
      "const c = await import('botbuilder');",
      "import {\n  d,\n  e,\n} from 'drizzle-orm';",
    ].join('\n');
    expect(readImports('src/domain/y.ts', text)).toEqual(
      expect.arrayContaining([
        'src/db/client.ts',
        '@slack/bolt',
        'src/domain/x.ts',
        'node:http',
        'botbuilder',
        'drizzle-orm',
      ]),
    );
  });
});
