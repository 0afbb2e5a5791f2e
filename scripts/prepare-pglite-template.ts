// Run by `npm install` (postinstall): builds the empty PGlite data directory that a first start copies,
// so `npm start` on a fresh clone does not spend seconds in initdb. Failing here only makes that first
// start slower, so any problem is a warning, never a failed install.
import { renameSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_TEMPLATE_DIR } from '../src/db/pglite-template.ts';

// Built beside its place and renamed into it, so a first start never copies a half-made template.
const building = `${PGLITE_TEMPLATE_DIR}.building`;
try {
  rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
  rmSync(building, { recursive: true, force: true });
  const database = await PGlite.create(building);
  await database.close();
  renameSync(building, PGLITE_TEMPLATE_DIR);
} catch (error) {
  rmSync(building, { recursive: true, force: true });
  process.stderr.write(
    `frontdesk: could not prepare the embedded database template (${error instanceof Error ? error.message : String(error)}); the first start will be slower\n`,
  );
}
