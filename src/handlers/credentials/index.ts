import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { credentialsDigest } from './digest.ts';
import { credentialsHome } from './home.ts';
import { CREDENTIAL_FORMS } from './ids.ts';
import { addFromText, buildAddForm, renew, submitAddForm } from './intake.ts';
import { exportAll, listAll, listMine } from './lists.ts';
import { credentialRemindersJob } from './reminders.ts';
import { removeFromText } from './removal.ts';

const MANAGERS_ONLY = (managers: string) =>
  `Only ${managers} can do that. /creds mine shows your own credentials.`;

/** Bare `/creds`: the form to record one for managers, your own list for everyone else. */
async function runCredsCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (text.trim() === '' && ctx.actor.isManager) return { form: buildAddForm(ctx), effects: [] };
  if (text.trim() === '') return listMine(ctx);
  return {
    reply: {
      text: 'Write /creds mine, or (managers) /creds add, /creds renew, /creds remove, /creds list, /creds export.',
    },
    effects: [],
  };
}

/** `/creds`: licences, certifications and the practice's documents that expire, never lapsing unnoticed. */
export const credentialsFeature: Feature = {
  command: 'creds',
  usage: {
    summary: 'Licences and certifications that expire',
    lines: [
      '/creds mine — your credentials and when they expire',
      '/creds add Grace Kim "RN license" 2027-03-31 [number] — (managers) records a person’s credential, or corrects the one recorded; /creds add practice "CLIA certificate" 2027-06-30 for the practice’s own',
      '/creds renew CR-4 2029-03-31 [number] — (managers) records a renewal, with its new number if given',
      '/creds remove CR-4 — (managers) retires one no longer needed (someone who left): it leaves the huddle, reminders and lists, and the export keeps it marked removed',
      '/creds list · /creds list expiring — (managers) every credential · those lapsed or expiring within 30 days',
      '/creds export — (managers) every credential as CSV',
      '/creds — (managers) opens a form to record one',
    ],
  },
  run: runCredsCommand,
  subcommands: [
    { words: ['mine'], maxArgs: 0, run: (_rest, ctx) => listMine(ctx) },
    { words: ['add'], managerOnly: MANAGERS_ONLY, run: addFromText },
    { words: ['renew'], managerOnly: MANAGERS_ONLY, run: renew },
    { words: ['remove'], managerOnly: MANAGERS_ONLY, run: removeFromText },
    { words: ['list'], maxArgs: 1, managerOnly: MANAGERS_ONLY, run: listAll },
    { words: ['export'], maxArgs: 0, managerOnly: MANAGERS_ONLY, run: (_rest, ctx) => exportAll(ctx) },
  ],
  actions: {},
  forms: { [CREDENTIAL_FORMS.add]: submitAddForm },
  jobs: [credentialRemindersJob],
  digest: credentialsDigest,
  home: credentialsHome,
};
