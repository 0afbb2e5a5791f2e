import { fileURLToPath } from 'node:url';

/**
 * Where `npm install` leaves an empty, initialised PGlite data directory. A first start copies it instead
 * of running initdb, which takes seconds on a small machine. It is a plain directory, not a tarball: PGlite
 * unpacks a tarball in memory, and the allocator keeps the 40 MB that took for the life of the process.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/frontdesk/pglite-template', import.meta.url),
);
