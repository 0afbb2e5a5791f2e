import { z } from 'zod';
import { toOneLine } from '../../domain/visible-text.ts';

/**
 * A refused form's errors by input id, for the platform to show beside each input: the first message for
 * each field, and one that names no field on `fallback`, the input it most likely concerns.
 */
export function readFormErrors(error: z.ZodError, fallback: string): Record<string, string> {
  const formErrors: Record<string, string> = {};
  for (const issue of error.issues) formErrors[String(issue.path[0] ?? fallback)] ??= issue.message;
  return formErrors;
}

/**
 * A one-line text input's value, trimmed, its line breaks and tabs read as spaces: the platforms' one-line
 * inputs send none, so one came in a crafted submission, and it would break the line the text is shown in
 * (the huddle's, a card's) into one the sender wrote.
 */
export const oneLineText = z.string().transform(toOneLine);
