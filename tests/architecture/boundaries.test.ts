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

/** What `patterns` capture in `text`, relative specifiers resolved to repo-relative paths. */
function resolveMatches(path: string, text: string, patterns: RegExp[]): string[] {
  const found = patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
  return found.map((specifier) =>
    specifier.startsWith('.') ? relative(root, resolve(root, dirname(path), specifier)) : specifier,
  );
}

/** Static imports and re-exports, side-effect imports, dynamic import() and require(). */
function readImports(path: string, text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return resolveMatches(path, text, patterns);
}

/** The imports that load a module as the importing one loads: neither type-only nor `import()`. */
function readLoadedImports(path: string, text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?!type\b)[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
  ];
  return resolveMatches(path, text, patterns);
}

/** Every file of `files` that loading `entry` loads with it, with what it loads in turn. */
function listLoadedWith(entry: string, files: readonly SourceFile[]): Map<string, string[]> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const loaded = new Map<string, string[]>();
  const waiting = [entry];
  for (let path = waiting.pop(); path !== undefined; path = waiting.pop()) {
    const file = byPath.get(path);
    if (!file || loaded.has(path)) continue;
    const imports = readLoadedImports(file.path, stripComments(file.text));
    loaded.set(path, imports);
    waiting.push(...imports);
  }
  return loaded;
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
  ...PLATFORM_PACKAGES,
  pkg('drizzle-orm'),
  pkg('postgres'),
  scope('@electric-sql/'),
  pkg('pino'),
  ...['fs', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'child_process'].map(nodeModule),
];
/** The process environment, the real clock, and the process's own zone (luxon's `'system'`). */
const DOMAIN_FORBIDDEN_CODE = [
  'process.env',
  'Date.now',
  'new Date(',
  'DateTime.now',
  'DateTime.local(',
  "'system'",
  '"system"',
];

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

/** The feature folder a path is in (`time-off` for src/handlers/time-off/card.ts); the kernel is no feature. */
function featureOf(path: string): string | undefined {
  const folder = /^src\/handlers\/([^/]+)\//.exec(path)?.[1];
  return folder === 'kernel' ? undefined : folder;
}

const isUnder = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

/** One direction the import graph must not take: files `from` never import a file `to` says no to. */
interface Layering {
  name: string;
  from: (path: string) => boolean;
  to: (imported: string, importer: string) => boolean;
}

const LAYERINGS: Layering[] = [
  {
    name: 'domain imports nothing of src but domain and config',
    from: isUnder('src/domain'),
    to: (imported) =>
      imported.startsWith('src/') && !isUnder('src/domain')(imported) && !isUnder('src/config')(imported),
  },
  {
    name: 'db never imports handlers or bot',
    from: isUnder('src/db'),
    to: (imported) => isUnder('src/handlers')(imported) || isUnder('src/bot')(imported),
  },
  {
    name: 'config never imports domain, db, handlers or bot',
    from: isUnder('src/config'),
    to: (imported) =>
      ['src/domain', 'src/db', 'src/handlers', 'src/bot'].some((folder) => isUnder(folder)(imported)),
  },
  {
    name: 'handlers (kernel, index and every feature folder) never import bot',
    from: isUnder('src/handlers'),
    to: isUnder('src/bot'),
  },
  {
    name: 'the kernel never imports a feature folder or the registration of features',
    from: isUnder('src/handlers/kernel'),
    to: (imported) => featureOf(imported) !== undefined || imported === 'src/handlers/index.ts',
  },
  {
    name: 'a feature folder never imports another feature folder',
    from: (path) => featureOf(path) !== undefined,
    to: (imported, importer) =>
      featureOf(imported) !== undefined && featureOf(imported) !== featureOf(importer),
  },
  {
    name: 'bot imports only handlers/index.ts and handlers/kernel, never feature internals',
    from: isUnder('src/bot'),
    to: (imported) =>
      isUnder('src/handlers')(imported) &&
      imported !== 'src/handlers/index.ts' &&
      !isUnder('src/handlers/kernel')(imported),
  },
];

/** `<file> imports <file>` for every import of `files` that takes a direction the layering forbids. */
function findLayeringViolations(files: SourceFile[], layering: Layering): string[] {
  return files
    .filter((file) => layering.from(file.path))
    .flatMap((file) =>
      file.imports
        .filter((imported) => layering.to(imported, file.path))
        .map((imported) => `${file.path} imports ${imported}`),
    );
}

/**
 * Every import cycle among `files`, as `a → b → … → a`, each starting at its alphabetically first file
 * so that a cycle reads the same whichever file the search entered it from. A depth-first search reports
 * one cycle per edge that closes back onto the current path; only imports of files in `files` count.
 */
function findImportCycles(files: SourceFile[]): string[] {
  const graph = new Map(files.map((file) => [file.path, [...new Set(file.imports)].sort()]));
  const done = new Set<string>();
  const path: string[] = [];
  const cycles = new Set<string>();
  const visit = (node: string): void => {
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next) || done.has(next)) continue;
      const start = path.indexOf(next);
      if (start >= 0) {
        const loop = path.slice(start);
        const first = loop.indexOf([...loop].sort()[0] ?? next);
        const rotated = [...loop.slice(first), ...loop.slice(0, first)];
        cycles.add([...rotated, rotated[0]].join(' → '));
      } else {
        visit(next);
      }
    }
    path.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) if (!done.has(node)) visit(node);
  return [...cycles].sort();
}

/**
 * Uses of the process clock or zone in domain code that another change owns; each entry says why it is
 * there, and the test refuses an entry that no longer matches.
 */
const KNOWN_DOMAIN_CLOCK: string[] = [
  // chrono reads JS Dates in the process zone, so the office's day is handed to it as noon in that zone.
  "src/domain/dates.ts uses 'system'",
];

const sources = readSources('src');

describe('src/domain', () => {
  const files = sources.filter((file) => isUnder('src/domain')(file.path));

  it('is read, with its imports', () => {
    expect(files.map((file) => file.path)).toContain('src/domain/dates.ts');
    const people = files.find((file) => file.path === 'src/domain/people.ts');
    expect(people?.imports).toContain('src/config/office.ts');
  });

  it('imports no platform, database driver, logging or I/O module', () => {
    expect(findForbiddenImports(files, DOMAIN_FORBIDDEN)).toEqual([]);
  });

  it('reads no environment and no real clock, and never uses the process zone', () => {
    const uses = files.flatMap((file) => {
      const code = stripComments(file.text);
      return DOMAIN_FORBIDDEN_CODE.filter((token) => code.includes(token)).map(
        (token) => `${file.path} uses ${token}`,
      );
    });
    expect(uses.filter((use) => !KNOWN_DOMAIN_CLOCK.includes(use))).toEqual([]);
    expect(KNOWN_DOMAIN_CLOCK.filter((known) => !uses.includes(known))).toEqual([]);
  });
});

describe('src/handlers', () => {
  const files = sources.filter((file) => isUnder('src/handlers')(file.path));

  it('is read, with its imports', () => {
    const dispatch = files.find((file) => file.path === 'src/handlers/kernel/dispatch.ts');
    expect(dispatch?.imports).toContain('src/db/repositories/deliveries.ts');
  });

  it('imports no platform SDK or scheduler', () => {
    expect(findForbiddenImports(files, HANDLERS_FORBIDDEN)).toEqual([]);
  });
});

describe('the import graph of src', () => {
  it('reads every folder', () => {
    const folders = new Set(sources.map((file) => file.path.split('/')[1]));
    expect([...folders]).toEqual(expect.arrayContaining(['bot', 'config', 'db', 'domain', 'handlers']));
  });

  for (const layering of LAYERINGS) {
    it(layering.name, () => {
      expect(findLayeringViolations(sources, layering)).toEqual([]);
    });
  }

  it('has no import cycles', () => {
    expect(findImportCycles(sources)).toEqual([]);
  });

  it('loads none of PGlite until PGlite is opened, so the PostgreSQL build does without its 40 MB', () => {
    const loaded = listLoadedWith('src/main.ts', sources);
    expect([...loaded.keys()]).toContain('src/db/client.ts');
    const pglite = [...loaded]
      .filter(([, imports]) => imports.some((specifier) => specifier.startsWith('@electric-sql/')))
      .map(([path]) => path);
    expect(pglite).toEqual([]);
  });
});

describe('findLayeringViolations', () => {
  const file = (path: string, imports: string[]): SourceFile => ({ path, text: '', imports });
  const rule = (name: string) => {
    const found = LAYERINGS.find((layering) => layering.name === name);
    if (!found) throw new Error(`no layering named ${name}`);
    return found;
  };

  it('lets a feature import the kernel and its own folder, not another feature', () => {
    const card = file('src/handlers/time-off/card.ts', [
      'src/handlers/kernel/message.ts',
      'src/handlers/time-off/ids.ts',
      'src/handlers/supplies/card.ts',
    ]);
    expect(
      findLayeringViolations([card], rule('a feature folder never imports another feature folder')),
    ).toEqual(['src/handlers/time-off/card.ts imports src/handlers/supplies/card.ts']);
  });

  it('lets bot import the registration and the kernel, not a feature file', () => {
    const app = file('src/bot/app.ts', [
      'src/handlers/index.ts',
      'src/handlers/kernel/dispatch.ts',
      'src/handlers/rep-meetings/calendar.ts',
    ]);
    expect(
      findLayeringViolations(
        [app],
        rule('bot imports only handlers/index.ts and handlers/kernel, never feature internals'),
      ),
    ).toEqual(['src/bot/app.ts imports src/handlers/rep-meetings/calendar.ts']);
  });

  it('lets domain import config and domain, nothing else of src, and any package', () => {
    const dates = file('src/domain/dates.ts', [
      'luxon',
      'src/config/office.ts',
      'src/domain/people.ts',
      'src/db/client.ts',
    ]);
    expect(
      findLayeringViolations([dates], rule('domain imports nothing of src but domain and config')),
    ).toEqual(['src/domain/dates.ts imports src/db/client.ts']);
  });
});

describe('findImportCycles', () => {
  const file = (path: string, imports: string[]): SourceFile => ({ path, text: '', imports });

  it('reports a cycle once, as the path that closes it, from its first file', () => {
    const files = [
      file('src/c.ts', ['src/a.ts']),
      file('src/a.ts', ['src/b.ts', 'luxon']),
      file('src/b.ts', ['src/c.ts']),
      file('src/d.ts', ['src/a.ts']),
    ];
    expect(findImportCycles(files)).toEqual(['src/a.ts → src/b.ts → src/c.ts → src/a.ts']);
  });

  it('finds a file that imports itself and finds nothing in a graph that only fans in', () => {
    expect(findImportCycles([file('src/a.ts', ['src/a.ts'])])).toEqual(['src/a.ts → src/a.ts']);
    expect(
      findImportCycles([
        file('src/a.ts', ['src/c.ts']),
        file('src/b.ts', ['src/c.ts']),
        file('src/c.ts', []),
      ]),
    ).toEqual([]);
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
      'src/domain/example.ts imports @slack/web-api (forbidden: @slack/*)',
      'src/domain/example.ts imports node:fs/promises (forbidden: node:fs)',
      'src/domain/example.ts imports pino (forbidden: pino)',
    ]);
  });

  it('tells the imports that load a module from type-only and dynamic ones', () => {
    const text = [
      "import { a, type A } from './a.ts';",
      "import type { B } from './b.ts';",
      "const c = await import('./c.ts');",
      "import './d.ts';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
    ].join('\n');
    expect(readLoadedImports('src/db/y.ts', text).sort()).toEqual([
      'src/db/a.ts',
      'src/db/d.ts',
      'src/db/e.ts',
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
