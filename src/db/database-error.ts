/** The database cannot be reached or opened; the message says where, never with credentials. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
  override name = 'DatabaseUnavailableError';
}
