// Run by `npm install` (postinstall): builds the empty PGlite data directory that a first start copies,
// so `npm start` on a fresh clone does not spend seconds in initdb. Failing here only makes that first
// start slower, so any problem is a warning, never a failed install.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_TEMPLATE_PATH } from '../src/db/pglite-template.ts';

try {
  rmSync(PGLITE_TEMPLATE_PATH, { force: true });
  const database = await PGlite.create();
  const dump = await database.dumpDataDir('gzip');
  await database.close();
  mkdirSync(dirname(PGLITE_TEMPLATE_PATH), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
} catch (error) {
  process.stderr.write(
    `frontdesk: could not prepare the embedded database template (${error instanceof Error ? error.message : String(error)}); the first start will be slower\n`,
  );
}
