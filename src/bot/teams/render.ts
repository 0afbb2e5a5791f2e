import { randomUUID } from 'node:crypto';
import {
  type Button,
  bodyLines,
  cutText,
  type Form,
  type FormInput,
  type Message,
} from '../../handlers/kernel/message.ts';
import { DEFAULT_SEARCH_RESULTS } from './typeahead.ts';

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export type AdaptiveCard = Record<string, unknown> & {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
};

/** Card data sent back by every button and form: `verb` is the action or form id. */
export interface CardSubmitData {
  verb: string;
  value?: string;
  metadata?: string;
  /** the activity id of the message whose button opened the form, to redraw it once the form is saved */
  source?: string;
  /**
   * One drawing of a form card, made when it is drawn. A Teams form card keeps a live Submit after it is sent
   * and every press is a new activity, so its submissions are keyed by this instead (teamsDeliveryId).
   */
  instance?: string;
}

/**
 * Teams' limits in the characters people see (escaping backslashes not counted). Teams documents no cap on one
 * TextBlock or fact but refuses a bot message over about 100 KB (413 MessageSizeTooBig), so a pasted
 * 100,000-character line is cut with an ellipsis, as on Slack, rather than costing the whole card. `actions` is
 * the most Teams shows on a card; it drops the rest without a word (PLATFORM.md).
 */
export const TEAMS_LIMITS = { text: 5000, factTitle: 150, factValue: 2000, actions: 5 } as const;

/**
 * The most a form card may weigh with every choice listed, in UTF-16 bytes, which is how Teams counts a bot
 * message. Teams documents 100 KB and advises keeping within 80 KB (older pages say 40 KB); a card for a
 * 400-item catalog (75 KB) was refused. Half of 80 KB leaves room for the activity around the card; past
 * it, a select Teams can search (typeahead.ts) lists only its first choices and finds the rest as typed.
 */
export const FORM_CARD_BUDGET_BYTES = 40_000;

/** Teams shows at most this many actions on a card; more buttons become choice inputs (renderButtons). */
export const MAX_TEAMS_ACTIONS = TEAMS_LIMITS.actions;

/**
 * Backslash-escapes the markdown Teams reads in a TextBlock, so typed text cannot become a link, a list or
 * formatting, and parts `{{`, which would start a date function (`{{DATE(…)}}`) Teams replaces with a date
 * of its own. Only punctuation can be escaped (a backslash before a digit is shown), so a numbered line
 * keeps its number and has its `.` or `)` escaped.
 */
export function escapeTeamsMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>])/g, '\\$1')
    .replace(/^(\s*)([-+#])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2')
    .replace(/\{(?=\{)/g, '{\u2060');
}

/**
 * Text for a TextBlock or a fact, escaped, with each line break typed kept: Teams breaks a line there only
 * at a blank line (`\n\n`), so a complaint written in paragraphs would otherwise run into one. Cut before
 * escaping, so a cut never separates a backslash from the character it escapes.
 */
function toCardText(text: string, limit: number): string {
  return escapeTeamsMarkdown(cutText(text, limit)).replace(/\n/g, '\n\n');
}

function textBlock(text: string, extra: Record<string, unknown> = {}) {
  return { type: 'TextBlock', text: toCardText(text, TEAMS_LIMITS.text), wrap: true, ...extra };
}

/** The reply model as an Adaptive Card (schema 1.5); buttons are Action.Submit with the shared action ids. */
export function replyToAdaptiveCard(message: Message): AdaptiveCard {
  const body: unknown[] = [];
  if (message.title) body.push(textBlock(message.title, { weight: 'Bolder', size: 'Medium' }));
  for (const line of bodyLines(message)) body.push(textBlock(line, { spacing: 'Small' }));
  for (const section of message.sections ?? []) {
    body.push(textBlock(section.heading, { weight: 'Bolder', spacing: 'Medium' }));
    for (const line of section.lines) body.push(textBlock(line, { spacing: 'None' }));
  }
  if (message.fields && message.fields.length > 0) {
    body.push({
      type: 'FactSet',
      facts: message.fields.map((field) => ({
        title: toCardText(field.label, TEAMS_LIMITS.factTitle),
        value: toCardText(field.value, TEAMS_LIMITS.factValue),
      })),
    });
  }
  for (const image of message.images ?? [])
    body.push({ type: 'Image', url: image.url, altText: cutText(image.alt, TEAMS_LIMITS.text) });
  if (message.note) body.push(textBlock(message.note, { isSubtle: true, size: 'Small' }));
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: '1.5', body };
  if (message.buttons && message.buttons.length > 0) {
    const { inputs, actions } = renderButtons(message.buttons);
    body.push(...inputs);
    card.actions = actions;
  }
  // A download opens in the browser: the one card action that is not a press sent back to frontdesk.
  const links = (message.links ?? []).map((link) => ({
    type: 'Action.OpenUrl',
    title: cutText(link.label, TEAMS_LIMITS.text),
    url: link.url,
  }));
  if (links.length > 0) card.actions = [...((card.actions as unknown[] | undefined) ?? []), ...links];
  return card;
}

/** The id of the choice input that stands for the buttons sharing `actionId` on a card with too many. */
export function choiceInputId(actionId: string): string {
  return `choice_${actionId}`;
}

/**
 * A button as a submit; one that asks first opens an inline card with the question and the real submit,
 * since Adaptive Cards have no confirm dialog.
 */
function buttonToAction(button: Button) {
  const submit = {
    type: 'Action.Submit',
    title: button.label,
    data: { verb: button.actionId, value: button.value } satisfies CardSubmitData,
    ...(button.style ? { style: button.style === 'primary' ? 'positive' : 'destructive' } : {}),
  };
  if (!button.confirm) return submit;
  return {
    type: 'Action.ShowCard',
    title: button.label,
    card: {
      type: 'AdaptiveCard',
      body: [textBlock(button.confirm.title, { weight: 'Bolder' }), textBlock(button.confirm.text)],
      actions: [{ ...submit, title: button.confirm.confirm }],
    },
  };
}

/** The words every label starts with ("Book" for "Book Tue Dec 1, …" and "Book Wed Dec 2, …"). */
function sharedLeadingWords(labels: string[]): string {
  const [first = [], ...rest] = labels.map((label) => label.split(' '));
  let count = 0;
  while (count < first.length && rest.every((words) => words[count] === first[count])) count += 1;
  return first.slice(0, count).join(' ');
}

/**
 * Buttons as card actions. Up to TEAMS_LIMITS.actions they stay buttons; beyond that, the buttons sharing an
 * action id become one choice input (labels as choices, values as values) and one submit, so none is
 * dropped. The first choice is preselected, so the submit always carries a value, as a press would.
 */
function renderButtons(buttons: Button[]): { inputs: unknown[]; actions: unknown[] } {
  if (buttons.length <= TEAMS_LIMITS.actions) return { inputs: [], actions: buttons.map(buttonToAction) };
  const groups = new Map<string, Button[]>();
  for (const button of buttons) groups.set(button.actionId, [...(groups.get(button.actionId) ?? []), button]);
  const inputs: unknown[] = [];
  const actions: unknown[] = [];
  for (const [actionId, group] of groups) {
    const [first] = group;
    if (!first) continue;
    if (group.length === 1) {
      actions.push(buttonToAction(first));
      continue;
    }
    const title = sharedLeadingWords(group.map((button) => button.label)) || 'Submit';
    inputs.push({
      type: 'Input.ChoiceSet',
      id: choiceInputId(actionId),
      label: title,
      style: 'compact',
      value: first.value,
      choices: group.map((button) => ({ title: button.label, value: button.value })),
    });
    actions.push({
      type: 'Action.Submit',
      title,
      data: { verb: actionId } satisfies CardSubmitData,
      ...(first.style ? { style: first.style === 'primary' ? 'positive' : 'destructive' } : {}),
    });
  }
  return { inputs, actions };
}

/** A form as an Adaptive Card with inputs; its submit carries the form id, metadata and a new instance id back. */
export function formToAdaptiveCard(form: Form, source?: string): AdaptiveCard {
  const data: CardSubmitData = {
    verb: form.formId,
    ...(form.metadata ? { metadata: form.metadata } : {}),
    ...(source ? { source } : {}),
    instance: randomUUID(),
  };
  const listed = formCard(form, data, () => undefined);
  if (Buffer.byteLength(JSON.stringify(listed), 'utf16le') <= FORM_CARD_BUDGET_BYTES) return listed;
  return formCard(form, data, (input) => (input.kind === 'select' ? input.searchList : undefined));
}

/**
 * A select as a choice input: every choice listed, or, with a dataset, a typeahead (Adaptive Cards `Data.Query`)
 * that lists the first few and asks frontdesk for the rest as the person types (an `application/search` invoke).
 * Either way the value submitted is the chosen option's value.
 */
function choiceSet(
  input: Extract<FormInput, { kind: 'select' }>,
  common: Record<string, unknown>,
  dataset: string | undefined,
) {
  const choices = input.options.map((option) => ({ title: option.label, value: option.value }));
  const initial = input.initial ? { value: input.initial } : {};
  if (!dataset || choices.length <= DEFAULT_SEARCH_RESULTS)
    return { type: 'Input.ChoiceSet', ...common, style: 'compact', choices, ...initial };
  // Teams reads `choices.data` on cards of any version; 1.6, where the schema puts it, would cost the clients
  // that render only up to 1.5 the whole card.
  return {
    type: 'Input.ChoiceSet',
    ...common,
    style: 'filtered',
    placeholder: 'Type to search',
    choices: choices.slice(0, DEFAULT_SEARCH_RESULTS),
    'choices.data': { type: 'Data.Query', dataset },
    ...initial,
  };
}

function formCard(
  form: Form,
  data: CardSubmitData,
  datasetOf: (input: FormInput) => string | undefined,
): AdaptiveCard {
  const body: unknown[] = [textBlock(form.title, { weight: 'Bolder', size: 'Medium' })];
  for (const line of form.lines ?? []) body.push(textBlock(line, { spacing: 'Small' }));
  for (const input of form.inputs) {
    const common = {
      id: input.id,
      label: input.label,
      isRequired: !input.optional,
      ...(input.optional ? {} : { errorMessage: `Please fill in: ${input.label}` }),
    };
    switch (input.kind) {
      case 'date':
        body.push({ type: 'Input.Date', ...common, ...(input.initial ? { value: input.initial } : {}) });
        break;
      case 'number':
        body.push({
          type: 'Input.Number',
          ...common,
          ...(input.min !== undefined ? { min: input.min } : {}),
          ...(input.max !== undefined ? { max: input.max } : {}),
          ...(input.initial !== undefined ? { value: input.initial } : {}),
        });
        break;
      case 'select':
        body.push(choiceSet(input, common, datasetOf(input)));
        break;
      default:
        body.push({
          type: 'Input.Text',
          ...common,
          isMultiline: input.kind === 'textarea',
          ...(input.maxLength ? { maxLength: input.maxLength } : {}),
          ...(input.initial ? { value: input.initial } : {}),
        });
    }
  }
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: ADAPTIVE_CARD_SCHEMA, version: '1.5', body };
  // A read-only view (such as a complaint's details) has nothing to submit.
  if (form.submitLabel)
    card.actions = [{ type: 'Action.Submit', title: form.submitLabel, style: 'positive', data }];
  return card;
}
