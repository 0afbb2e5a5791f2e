import type { HandlerContext } from '../kernel/context.ts';
import { DECIDE_IN_APPROVALS, NOTHING_SAVED } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepButton, stepFormHandler } from '../kernel/workflow.ts';
import {
  approveButton,
  cancelCommand,
  cancelWithReason,
  deny,
  managerStep,
  noNote,
  supplyRequestKind,
} from './decisions.ts';
import { exportMonth } from './export.ts';
import { suppliesHome } from './home.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from './ids.ts';
import {
  buildRequestForm,
  CATALOG_CHOICES,
  chooseFromButton,
  fileFromText,
  listCatalogChoices,
  submitRequestForm,
} from './intake.ts';
import { listOpen } from './lists.ts';
import { listPendingSupplies, suppliesDigest } from './loaders.ts';
import { recordStock } from './stock.ts';

async function runSuppliesCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  return text === '' ? { form: buildRequestForm(ctx.office), effects: [] } : fileFromText(text, ctx);
}

/** `/supplies`: requests against the catalog; Approve / Deny, Mark ordered, Mark received; stock counts and export. */
export const suppliesFeature: Feature = {
  command: 'supplies',
  usage: {
    summary: 'Ask for supplies',
    lines: [
      '/supplies — opens a form with the catalog (type to search), quantity, urgency and a note',
      '/supplies 4 nitrile gloves m [note] — asks for an item by name or code (GLV-M); close matches are offered as buttons; "urgent" in the note marks it urgent',
      '/supplies 1 printer toner - the HP one — an item not in the catalog, with a note after " - "',
      '/supplies list — open requests and items below par with what to reorder',
      '/supplies cancel SR-7 — withdraws a pending request; a manager may cancel an approved order until it is received, with a reason',
      '/supplies stock GLV-M 6 · /supplies stock nitrile gloves m 6 — (managers) records a count, by code or name',
      '/supplies export [2026-11] — (managers) this or that month’s requests as CSV',
    ],
  },
  run: runSuppliesCommand,
  subcommands: [
    { words: ['list'], run: (_rest, ctx) => listOpen(ctx) },
    {
      words: ['stock', 'count'],
      managerOnly: (managers) => `Only ${managers} can record stock counts. ${NOTHING_SAVED}`,
      run: (rest, ctx) => recordStock(rest.split(' '), ctx),
    },
    {
      words: ['export', 'csv'],
      managerOnly: (managers) => `Only ${managers} can export supply requests.`,
      run: exportMonth,
    },
    {
      words: ['cancel', 'withdraw'],
      run: cancelCommand,
    },
  ],
  actions: {
    [SUPPLIES_ACTIONS.approve]: approveButton,
    [SUPPLIES_ACTIONS.deny]: stepButton(supplyRequestKind, deny),
    [SUPPLIES_ACTIONS.markOrdered]: stepButton(supplyRequestKind, managerStep('ordered', noNote)),
    [SUPPLIES_ACTIONS.markReceived]: stepButton(supplyRequestKind, managerStep('received', noNote)),
    [SUPPLIES_ACTIONS.choose]: chooseFromButton,
  },
  choiceLists: { [CATALOG_CHOICES]: listCatalogChoices },
  forms: {
    [SUPPLIES_FORMS.request]: submitRequestForm,
    [SUPPLIES_FORMS.denyReason]: stepFormHandler(supplyRequestKind, deny),
    [SUPPLIES_FORMS.cancelReason]: stepFormHandler(supplyRequestKind, cancelWithReason),
  },
  digest: suppliesDigest,
  pending: listPendingSupplies,
  home: suppliesHome,
  homeButtonsAt: DECIDE_IN_APPROVALS,
};
