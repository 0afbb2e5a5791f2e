import type { CheckReadingRow } from '../../db/repositories/checks.ts';
import { formatDay, getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames } from '../kernel/copy.ts';
import { formatCheckReference } from './card.ts';

/**
 * Who may correct a reading: whoever recorded it, until the end of the office day it was due; a manager,
 * any reading. Undefined when `ctx.actor` may; else why not.
 */
export function explainCannotCorrect(row: CheckReadingRow, ctx: HandlerContext): string | undefined {
  if (ctx.actor.isManager) return undefined;
  if (row.recordedByKey !== ctx.actor.key)
    return `Only ${row.recordedByName}, who recorded ${formatCheckReference(row)}, or ${managerNames(ctx.office)} can correct it.`;
  if (getOfficeDay(ctx.now, ctx.zone) !== row.day)
    return `${formatCheckReference(row)} was due ${formatDay(row.day, ctx.zone)}: you can correct a reading only on the day it was due. Ask ${managerNames(ctx.office)} to correct it.`;
  return undefined;
}
