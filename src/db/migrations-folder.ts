import { fileURLToPath } from 'node:url';

/** The SQL migrations drizzle-kit writes, applied at start and baked into the embedded database template. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
