import type { z } from 'zod';

/**
 * A refused form's errors by input id, for the platform to show beside each input: the first message for
 * each field, and one that names no field on `fallback`, the input it most likely concerns.
 */
export function readFormErrors(error: z.ZodError, fallback: string): Record<string, string> {
  const formErrors: Record<string, string> = {};
  for (const issue of error.issues) formErrors[String(issue.path[0] ?? fallback)] ??= issue.message;
  return formErrors;
}
