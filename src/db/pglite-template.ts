import { fileURLToPath } from 'node:url';

/**
 * Where `npm install` leaves an empty, initialised PGlite data directory (a tarball). A first start copies
 * it instead of running initdb, which takes seconds on a small machine.
 */
export const PGLITE_TEMPLATE_PATH = fileURLToPath(
  new URL('../../node_modules/.cache/frontdesk/pglite-template.tgz', import.meta.url),
);
