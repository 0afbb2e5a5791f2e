import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PGLITE_TEMPLATE_DIR } from '../../src/db/pglite-template.ts';
import { dockerfilePath, readDockerImage } from '../helpers/dockerfile.ts';
import { readStartCommand, repoRootPath } from '../helpers/processes.ts';

const image = readDockerImage();
const readRepoFile = (path: string) => readFileSync(join(repoRootPath, path), 'utf8');
const packageJson = JSON.parse(readRepoFile('package.json')) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** Seconds in a compose or HEALTHCHECK duration such as `15s`, `1m30s`. */
function toSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${duration}`);
  return parts.reduce((total, [, value, unit]) => total + Number(value) * (units[unit ?? 's'] ?? 1), 0);
}

describe('Dockerfile', () => {
  it('has nothing dockerfile-utils reports, not even a warning', () => {
    expect(validate(readFileSync(dockerfilePath, 'utf8'))).toEqual([]);
  });

  it('builds every stage on Node 20 slim', () => {
    expect(image.stages.map((stage) => stage.image)).toEqual(
      image.stages.map(() => expect.stringMatching(/^node:20[.\d]*-(\w+-)?slim$/)),
    );
  });

  it('installs the dependencies without the devDependencies, from the lockfile', () => {
    expect(image.runs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
  });

  it('runs as a user other than root', () => {
    expect(image.user).toBeDefined();
    expect(image.user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("starts with npm start's command, in exec form, so node gets SIGTERM itself", () => {
    const start = readStartCommand();
    expect(image.cmd).toEqual(['node', ...start.args]);
  });

  it('checks /healthz with node itself (the slim image has no curl), on PORT', () => {
    const command = image.healthcheck?.command ?? [];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command.join(' ')).toContain('/healthz');
    expect(command.join(' ')).toContain('process.env.PORT || 3000');
    // Within the start period a slow first start (a cold PGlite) is not counted as unhealthy.
    expect(toSeconds(image.healthcheck?.flags['start-period'] ?? '0s')).toBeGreaterThanOrEqual(30);
  });

  it('exposes the default port', () => {
    expect(image.exposed).toEqual(['3000']);
  });

  it('keeps the embedded database in a volume at DATA_DIR that the app user owns', () => {
    const dataDir = image.env.DATA_DIR ?? '';
    expect(dataDir).toMatch(/^\//);
    expect(image.volumes).toEqual([dataDir]);
    const owner = (image.user ?? '').split(':')[0];
    expect(image.runs.some((run) => run.includes(`chown ${owner}:${owner} ${dataDir}`))).toBe(true);
  });

  // npm ci runs the postinstall script in the install stage, before the rest of the sources are copied.
  it('gives the install stage every file the postinstall script loads, and the migrations it applies', () => {
    const install = image.stages.find((stage) =>
      stage.instructions.some(
        (instruction) =>
          instruction.getKeyword() === 'RUN' && /\bnpm ci\b/.test(instruction.getArgumentsContent() ?? ''),
      ),
    );
    const copied = (install?.instructions ?? [])
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .flatMap((instruction) =>
        instruction
          .getArguments()
          .map((argument) => argument.getValue())
          .slice(0, -1),
      );
    const covered = (path: string) =>
      copied.some((source) => path === source || path.startsWith(`${source.replace(/\/$/, '')}/`));
    const needed = [...listLocalModules(postinstallScript()), 'src/db/migrations/meta/_journal.json'];
    expect(needed.length).toBeGreaterThan(3);
    expect(needed.filter((path) => !covered(path))).toEqual([]);
  });

  it('fails the build when the template is missing, looking where the app copies it from', () => {
    const template = relative(repoRootPath, PGLITE_TEMPLATE_DIR);
    expect(image.runs.some((run) => run.includes(`test -s ${template}/PG_VERSION`))).toBe(true);
  });

  it('compiles src in the install stage and fails the build without the compiled start script', () => {
    const script = readStartCommand().args.at(-1) ?? '';
    expect(script).toBe('build/main.js');
    expect(image.contextCopies).toEqual(
      expect.arrayContaining(['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.ts']),
    );
    expect(image.runs.some((run) => run.includes(`test -s ${script}`))).toBe(true);
  });

  it('runs from the compiled build, with package.json and the example office beside it', () => {
    expect(image.finalCopies).toContainEqual({
      from: 'build',
      sources: ['/app/build'],
      destination: './build',
    });
    expect(
      image.finalCopies.some(
        (copy) =>
          copy.from === undefined &&
          copy.sources.indexOf('package.json') >= 0 &&
          copy.sources.indexOf('office.example.yaml') > copy.sources.indexOf('package.json'),
      ),
    ).toBe(true);
  });
});

describe('.dockerignore', () => {
  const lines = readRepoFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('sends the builder only what the Dockerfile copies (never .env, office.yaml, .data or .git)', () => {
    expect(lines[0]).toBe('*');
    const allowed = lines.slice(1).map((line) => line.replace(/^!/, ''));
    expect(lines.slice(1).every((line) => line.startsWith('!'))).toBe(true);
    const covers = (entry: string, path: string) => path === entry || path.startsWith(`${entry}/`);
    const copied = image.contextCopies;
    expect(copied.filter((path) => !allowed.some((entry) => covers(entry, path)))).toEqual([]);
    expect(allowed.filter((entry) => !copied.some((path) => covers(entry, path)))).toEqual([]);
  });
});

function postinstallScript(): string {
  return /^tsx (\S+)$/.exec(packageJson.scripts.postinstall ?? '')?.[1] ?? '';
}

/** `file` and the repository files it loads through relative imports, and theirs, as repository paths. */
function listLocalModules(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const imports = [...readRepoFile(file).matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)];
  for (const [, specifier] of imports) listLocalModules(join(dirname(file), specifier ?? ''), seen);
  return [...seen];
}

/** The bare package names a file loads at run time (type-only imports are erased and do not count). */
function readRuntimePackages(text: string): string[] {
  const patterns = [
    /\bimport\s+(?!type\b)[^'";]*?\bfrom\s*['"]([^'".][^'"]*)['"]/g,
    /\bexport\s+(?!type\b)[^'";]*?\bfrom\s*['"]([^'".][^'"]*)['"]/g,
    /\bimport\s*\(\s*['"]([^'".][^'"]*)['"]\s*\)/g,
    /\bimport\s*['"]([^'".][^'"]*)['"]/g,
    /\brequire(?:\.resolve)?\s*\(\s*['"]([^'".][^'"]*)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => {
      const specifier = match[1] ?? '';
      const parts = specifier.split('/');
      return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
    }),
  );
}

function listTypeScript(directory: string): string[] {
  return readdirSync(join(repoRootPath, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listTypeScript(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the code the image runs', () => {
  // The image installs with --omit=dev: a devDependency imported here would install fine and fail at start.
  it('loads only node built-ins and packages in dependencies (src and the postinstall script)', () => {
    const postinstall = postinstallScript();
    expect(postinstall).not.toBe('');
    const files = [...listTypeScript('src'), postinstall];
    const outside = files.flatMap((file) =>
      readRuntimePackages(readRepoFile(file))
        .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))
        .filter((name) => !(name in packageJson.dependencies))
        .map((name) => `${file} loads ${name}`),
    );
    expect(outside).toEqual([]);
    // The install scripts run in that install too: the template with tsx, the build with TypeScript.
    expect(packageJson.scripts.prepare).toBe('npm run build');
    expect(packageJson.dependencies).toHaveProperty('tsx');
    expect(packageJson.dependencies).toHaveProperty('typescript');
  });

  it('readRuntimePackages ignores type-only imports and relative paths', () => {
    const text = [
      "import type { A } from 'ws';",
      "import { b } from '@slack/bolt/dist/x';",
      "import c from './c.ts';",
      "const d = await import('luxon');",
      "require.resolve('@expo-google-fonts/inter/400Regular/x.ttf');",
      "export { e } from 'zod';",
    ].join('\n');
    expect(readRuntimePackages(text).sort()).toEqual(
      ['@expo-google-fonts/inter', '@slack/bolt', 'luxon', 'zod'].sort(),
    );
  });
});

interface ComposeService {
  image?: string;
  build?: unknown;
  restart?: string;
  init?: boolean;
  stop_grace_period?: string;
  env_file?: string | string[];
  environment?: Record<string, string>;
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

describe('compose.yaml', () => {
  const compose = parse(readRepoFile('compose.yaml')) as {
    services: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  };
  const db = compose.services.db ?? {};
  const app = compose.services.app ?? {};

  it('runs PostgreSQL 15 with its data in a named volume and a pg_isready health check', () => {
    expect(db.image).toMatch(/^postgres:15([.-]|$)/);
    const data = (db.volumes ?? []).find(
      (volume): volume is string =>
        typeof volume === 'string' && volume.endsWith(':/var/lib/postgresql/data'),
    );
    const name = data?.split(':')[0] ?? '';
    expect(Object.keys(compose.volumes ?? {})).toContain(name);
    expect(db.healthcheck?.test).toEqual(expect.arrayContaining(['pg_isready']));
    expect(db.restart).toBe('unless-stopped');
  });

  it('builds the app from this Dockerfile and reads its settings from .env', () => {
    expect(app.build).toBe('.');
    expect(app.env_file).toBe('.env');
    expect(app.restart).toBe('unless-stopped');
  });

  it('points DATABASE_URL at the db service, as the user, password and database it creates', () => {
    const url = new URL((app.environment?.DATABASE_URL ?? '').replace(/\$\{[^}]+\}/g, 'secret'));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(db.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
    const passwordVariable = /\$\{(\w+)/.exec(db.environment?.POSTGRES_PASSWORD ?? '')?.[1];
    expect(passwordVariable).toBeDefined();
    expect(app.environment?.DATABASE_URL).toContain(`\${${passwordVariable}`);
  });

  it('starts the app once the database is healthy', () => {
    expect(app.depends_on?.db?.condition).toBe('service_healthy');
  });

  it("publishes the image's port on this machine only, for a reverse proxy in front", () => {
    expect(app.ports).toEqual([`127.0.0.1:${image.exposed[0]}:${image.exposed[0]}`]);
  });

  it('mounts office.yaml where the app looks for it by default, read-only, never creating it', () => {
    const office = (app.volumes ?? []).find(
      (volume) => typeof volume === 'object' && volume.source === './office.yaml',
    );
    expect(office).toMatchObject({
      type: 'bind',
      target: `${image.workdir}/office.yaml`,
      read_only: true,
      bind: { create_host_path: false },
    });
  });

  it('runs an init and gives frontdesk longer to stop than its own deadline', () => {
    const deadlineMs = Number(
      /const STOP_DEADLINE_MS = ([\d_]+);/.exec(readRepoFile('src/main.ts'))?.[1]?.replaceAll('_', ''),
    );
    expect(deadlineMs).toBeGreaterThan(0);
    expect(app.init).toBe(true);
    expect(toSeconds(app.stop_grace_period ?? '10s')).toBeGreaterThan(deadlineMs / 1000);
  });
});

describe('.env.example', () => {
  const text = readRepoFile('.env.example');
  const assignments = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)];

  it('names every variable src/config/env.ts reads, and the password compose needs', () => {
    const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(
      readRepoFile('src/config/env.ts'),
    )?.[1];
    const read = [...(schema ?? '').matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(10);
    const named = assignments.map((match) => match[1]);
    expect(named).toEqual(expect.arrayContaining([...read, 'POSTGRES_PASSWORD']));
  });

  it('holds no value that is set, so no secret can hide in it', () => {
    const set = assignments.filter((match) => !match[0].startsWith('#') && match[2] !== '');
    expect(set.map((match) => match[0])).toEqual([]);
  });
});
