// Run by `npm install` (postinstall): builds the PGlite data directory that a first start copies, initialised
// and with every migration applied, so `npm start` on a fresh clone neither spends seconds in initdb nor
// runs the migrations. Running them grows PGlite's WASM heap, which never shrinks: a first start that
// migrated held some 70 MB more for the life of the process than a restart. A start still applies any
// migration newer than the template. Failing here only makes that first start slower and larger, so any
// problem is a warning, never a failed install.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from '../src/db/migrations-folder.ts';
import { PGLITE_TEMPLATE_DIR } from '../src/db/pglite-template.ts';

// Built beside its place and renamed into it, so a first start never copies a half-made template.
const building = `${PGLITE_TEMPLATE_DIR}.building`;
try {
  rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
  rmSync(building, { recursive: true, force: true });
  // A fresh install has no node_modules/.cache, and PGlite makes only the last folder of its path.
  mkdirSync(dirname(building), { recursive: true });
  const database = await PGlite.create(building);
  try {
    await migrate(drizzle(database), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await database.close();
  }
  renameSync(building, PGLITE_TEMPLATE_DIR);
} catch (error) {
  rmSync(building, { recursive: true, force: true });
  process.stderr.write(
    `frontdesk: could not prepare the embedded database template (${error instanceof Error ? error.message : String(error)}); the first start will be slower\n`,
  );
}
