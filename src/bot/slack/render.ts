import type { KnownBlock, PlainTextOption, StaticSelect, View } from '@slack/web-api';
import type { Person } from '../../domain/people.ts';
import {
  type Button,
  bodyLines,
  cutText,
  type Form,
  type Message,
  type SelectOption,
} from '../../handlers/kernel/message.ts';

// Block Kit limits (see PLATFORM.md); text is cut with an ellipsis rather than rejected by Slack.
const LIMITS = { header: 150, section: 3000, field: 2000, fields: 10, button: 75, value: 2000, actions: 25 };
const MODAL_TITLE = 24;
const CONFIRM_LIMITS = { title: 100, text: 300, button: 30 };
// Slack's limit for a message's top-level text (the notification and the fallback).
const MESSAGE_TEXT = 40_000;
// Slack's limit for blocks in one message.
const MESSAGE_BLOCKS = 50;

/** Escapes Slack's three control characters so typed text cannot become a mention, link or command. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escaped text in pieces of at most `max` characters each, as Slack counts them (after escaping), split
 * on a line break or space where there is one, so a long text is shown whole across several blocks and an
 * entity such as `&amp;` is never cut in half.
 */
export function escapeInPieces(text: string, max: number): string[] {
  const escaped = escapeMrkdwn(text);
  // Nearly every text fits whole; only one that must be cut is walked character by character.
  if (escaped.length <= max) return escaped === '' ? [] : [escaped];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    let length = 0;
    let end = 0;
    while (end < rest.length) {
      // A whole character: an emoji's surrogate pair is never split between two pieces.
      const character = String.fromCodePoint(rest.codePointAt(end) ?? 0);
      const size = escapeMrkdwn(character).length;
      if (length + size > max) break;
      length += size;
      end += character.length;
    }
    if (end < rest.length) {
      const breakAt = Math.max(rest.lastIndexOf('\n', end - 1), rest.lastIndexOf(' ', end - 1));
      if (breakAt > end / 2) end = breakAt + 1;
    }
    pieces.push(escapeMrkdwn(rest.slice(0, end)));
    rest = rest.slice(end);
  }
  return pieces;
}

/** Escaped text of at most `max` characters after escaping, ending in an ellipsis when it was cut. */
function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  return `${escapeInPieces(text, max - 1)[0] ?? ''}…`;
}

/** A button's confirmation dialog; plain text, which Slack never parses for mentions, cut to its limits. */
function renderConfirm(confirm: NonNullable<Button['confirm']>) {
  const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: cutText(text, max) });
  return {
    title: plain(confirm.title, CONFIRM_LIMITS.title),
    text: plain(confirm.text, CONFIRM_LIMITS.text),
    confirm: plain(confirm.confirm, CONFIRM_LIMITS.button),
    deny: plain(confirm.deny, CONFIRM_LIMITS.button),
  };
}

/**
 * A bold label over escaped text, in at most `max` characters. Each part is cut on its own, so a long text
 * loses neither an entity nor the label's closing `*`; a label gets at most a header's length.
 */
function labelled(label: string, text: string, max: number): string {
  const head = `*${escapeWithin(label, LIMITS.header)}*\n`;
  return `${head}${escapeWithin(text, max - head.length)}`;
}

/** Action ids must be unique in a message: repeats of one action get `#n`, which the registrar strips. */
export function toSlackActionId(actionId: string, index: number): string {
  return index === 0 ? actionId : `${actionId}#${index}`;
}

/** The neutral action id of a Slack action id made by toSlackActionId. */
export function fromSlackActionId(slackActionId: string): string {
  return slackActionId.split('#')[0] ?? slackActionId;
}

/**
 * The reply model as a Slack message: blocks, and the top-level text that notifications show. That text is
 * parsed for mentions and links like any mrkdwn, so it is escaped too.
 */
export function replyToSlackMessage(message: Message): { text: string; blocks: KnownBlock[] } {
  return { text: escapeWithin(message.text, MESSAGE_TEXT), blocks: replyToBlocks(message) };
}

/**
 * A message's lines (a section's under its bold heading) in pieces of at most a section's length after
 * escaping, split between lines; a line longer than a section is spread over pieces of its own, never cut
 * (typed text given back must come back whole). Each piece counts the lines that end in it, so what does
 * not fit can be counted.
 */
function linesToPieces(lines: readonly string[], heading: string): { text: string; lines: number }[] {
  const pieces: { text: string; lines: number }[] = [];
  let text = heading;
  let started = heading !== '';
  let count = 0;
  const flush = () => {
    // Slack rejects an empty section.
    if (text.trim() !== '') pieces.push({ text, lines: count });
    text = '';
    started = false;
    count = 0;
  };
  for (const line of lines.flatMap((line) => line.split('\n'))) {
    // An empty line keeps its place as a blank line between others.
    for (const part of line === '' ? [''] : escapeInPieces(line, LIMITS.section)) {
      if (started && text.length + 1 + part.length > LIMITS.section) flush();
      text = started ? `${text}\n${part}` : part;
      started = true;
    }
    count += 1;
  }
  flush();
  return pieces;
}

/**
 * The pieces that fit in `room` blocks; when some do not, the last block counts the lines left out, so a
 * long list never loses its end without a word.
 */
function fitPieces(pieces: readonly { text: string; lines: number }[], room: number): string[] {
  if (pieces.length <= room) return pieces.map((piece) => piece.text);
  const shown = pieces.slice(0, Math.max(room - 1, 0));
  const left = pieces.slice(shown.length).reduce((sum, piece) => sum + piece.lines, 0);
  return [
    ...shown.map((piece) => piece.text),
    `…and ${left} more ${left === 1 ? 'line' : 'lines'} not shown here`,
  ];
}

/** The blocks of a message other than its text sections: header, fields, buttons, links, images, note. */
function countOtherBlocks(message: Message): number {
  const present = [
    message.title,
    message.fields && message.fields.length > 0,
    message.buttons && message.buttons.length > 0,
    message.note,
  ].filter(Boolean).length;
  return present + (message.links ?? []).length + (message.images ?? []).length;
}

/** The reply model as Block Kit blocks, at most `maxBlocks` of them (Slack's 50 in a message). */
export function replyToBlocks(message: Message, maxBlocks = MESSAGE_BLOCKS): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (message.title) {
    blocks.push({
      type: 'header',
      text: { type: 'plain_text', text: cutText(message.title, LIMITS.header), emoji: true },
    });
  }
  const pieces = [
    ...linesToPieces(bodyLines(message), ''),
    ...(message.sections ?? []).flatMap((section) =>
      linesToPieces(section.lines, `*${escapeWithin(section.heading, LIMITS.header)}*`),
    ),
  ];
  const textBlocks = fitPieces(pieces, maxBlocks - countOtherBlocks(message)).map(
    (text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }),
  );
  blocks.push(...textBlocks);
  if (message.fields && message.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: message.fields.slice(0, LIMITS.fields).map((field) => ({
        type: 'mrkdwn' as const,
        text: labelled(field.label, field.value, LIMITS.field),
        verbatim: true,
      })),
    });
  }
  if (message.buttons && message.buttons.length > 0) {
    const seen = new Map<string, number>();
    blocks.push({
      type: 'actions',
      elements: message.buttons.slice(0, LIMITS.actions).map((button) => {
        const index = seen.get(button.actionId) ?? 0;
        seen.set(button.actionId, index + 1);
        return {
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: cutText(button.label, LIMITS.button), emoji: true },
          action_id: toSlackActionId(button.actionId, index),
          value: cutText(button.value, LIMITS.value),
          ...(button.style ? { style: button.style } : {}),
          ...(button.confirm ? { confirm: renderConfirm(button.confirm) } : {}),
        };
      }),
    });
  }
  for (const link of message.links ?? []) {
    const label = escapeMrkdwn(cutText(link.label, LIMITS.header)).replace(/\|/g, '¦');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `<${link.url.replace(/[<>|]/g, encodeURIComponent)}|${label}>`,
        verbatim: true,
      },
    });
  }
  for (const image of message.images ?? []) {
    blocks.push({ type: 'image', image_url: image.url, alt_text: cutText(image.alt, LIMITS.button * 26) });
  }
  if (message.note) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeWithin(message.note, LIMITS.section), verbatim: true }],
    });
  }
  return blocks;
}

/** A form as a Slack modal; `privateMetadata` carries the adapter's routing data back on submit. */
export function formToModal(form: Form, privateMetadata: string): View {
  const view: View = {
    type: 'modal',
    callback_id: form.formId,
    title: { type: 'plain_text', text: cutText(form.title, MODAL_TITLE) },
    ...(form.submitLabel
      ? { submit: { type: 'plain_text' as const, text: cutText(form.submitLabel, MODAL_TITLE) } }
      : {}),
    close: { type: 'plain_text', text: form.submitLabel ? 'Cancel' : 'Close' },
    private_metadata: privateMetadata,
    blocks: form.inputs.map((input): KnownBlock => {
      const label = { type: 'plain_text' as const, text: cutText(input.label, 2000) };
      const base = { type: 'input' as const, block_id: input.id, label, optional: input.optional ?? false };
      switch (input.kind) {
        case 'date':
          return {
            ...base,
            element: {
              type: 'datepicker',
              action_id: input.id,
              ...(input.initial ? { initial_date: input.initial } : {}),
            },
          };
        case 'number':
          return {
            ...base,
            element: {
              type: 'number_input',
              action_id: input.id,
              is_decimal_allowed: false,
              ...(input.min !== undefined ? { min_value: String(input.min) } : {}),
              ...(input.max !== undefined ? { max_value: String(input.max) } : {}),
              ...(input.initial !== undefined ? { initial_value: String(input.initial) } : {}),
            },
          };
        case 'select': {
          const options = input.options.map((option) => ({
            text: { type: 'plain_text' as const, text: cutText(option.label, SELECT_LIMITS.text) },
            value: option.value,
          }));
          const initial = options.find((option) => option.value === input.initial);
          const listed =
            options.length <= SELECT_LIMITS.options
              ? { options }
              : { option_groups: groupSelectOptions(input.options, options) };
          return {
            ...base,
            element: {
              type: 'static_select',
              action_id: input.id,
              ...listed,
              ...(initial ? { initial_option: initial } : {}),
            },
          };
        }
        default:
          return {
            ...base,
            element: {
              type: 'plain_text_input',
              action_id: input.id,
              multiline: input.kind === 'textarea',
              ...(input.maxLength ? { max_length: input.maxLength } : {}),
              ...(input.initial ? { initial_value: input.initial } : {}),
            },
          };
      }
    }),
  };
  // A read-only form (a details view) shows its lines above any inputs.
  return { ...view, blocks: [...linesToBlocks(form.lines ?? []), ...view.blocks] };
}

// Slack's static_select: at most 100 options, or at most 100 groups of at most 100; texts up to 75 characters.
const SELECT_LIMITS = { options: 100, groups: 100, text: 75 };
// The heading of options without a group when others have one.
const UNGROUPED = 'Other';
type SelectGroup = NonNullable<StaticSelect['option_groups']>[number];

/**
 * A long select's options under headings, as Slack needs past 100: by their `group` in the order groups first
 * appear, those without one last under "Other" (or, when none has a group, under their positions, "1–100"),
 * a group over 100 split into "Exam room (1)", "Exam room (2)"…. Every option is kept: more than 100 groups
 * is an error, which the office config rules out for the supplies catalog.
 */
function groupSelectOptions(
  sources: readonly SelectOption[],
  options: readonly PlainTextOption[],
): SelectGroup[] {
  const byLabel = new Map<string, PlainTextOption[]>();
  const ungrouped: PlainTextOption[] = [];
  sources.forEach((source, index) => {
    const option = options[index];
    if (!option) return;
    if (source.group === undefined || source.group === UNGROUPED) ungrouped.push(option);
    else byLabel.set(source.group, [...(byLabel.get(source.group) ?? []), option]);
  });
  const groups = [...byLabel, [UNGROUPED, ungrouped] as const].flatMap(([label, members]) => {
    const parts = chunk(members, SELECT_LIMITS.options);
    return parts.map((part, at): SelectGroup => {
      const first = at * SELECT_LIMITS.options + 1;
      const suffix = parts.length > 1 ? ` (${at + 1})` : '';
      const text =
        byLabel.size === 0
          ? `${first}–${first + part.length - 1}`
          : `${cutText(label, SELECT_LIMITS.text - suffix.length)}${suffix}`;
      return { label: { type: 'plain_text', text }, options: part };
    });
  });
  if (groups.length > SELECT_LIMITS.groups)
    throw new RangeError(
      `a select of ${options.length} options needs ${groups.length} groups; Slack shows at most ${SELECT_LIMITS.groups}`,
    );
  return groups;
}

/** `items` in runs of at most `size`, in order. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}

/**
 * A form's read-only lines, one section each and a long line (a complaint's whole text) over as many as it
 * needs; Slack rejects an empty section, so blank lines are dropped.
 */
function linesToBlocks(lines: readonly string[]): KnownBlock[] {
  return lines
    .filter((line) => line.trim() !== '')
    .flatMap((line) => escapeInPieces(line, LIMITS.section))
    .map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece, verbatim: true } }));
}

// Slack takes at most 100 blocks in a Home tab.
const HOME_BLOCKS = 100;

/**
 * A person's home as a Slack Home tab, within Slack's 100 blocks: the person's own parts (those without
 * buttons) always, the cards they can act on while they fit, in the order given, each part under a divider;
 * a last line counts what did not fit, each still on its card in its channel.
 */
export function buildHomeView(person: Pick<Person, 'name'>, messages: readonly Message[]): View {
  const header: KnownBlock = {
    type: 'header',
    text: { type: 'plain_text', text: cutText(`frontdesk — ${person.name}`, LIMITS.header), emoji: true },
  };
  if (messages.length === 0)
    return {
      type: 'home',
      blocks: [
        header,
        { type: 'section', text: { type: 'mrkdwn', text: 'Nothing of yours is open.', verbatim: true } },
      ],
    };
  const parts = messages.map((message) => ({
    card: (message.buttons ?? []).length > 0,
    blocks: [{ type: 'divider' } as KnownBlock, ...replyToBlocks(message)],
  }));
  // The header and the line that counts what was left out.
  let room = HOME_BLOCKS - 2;
  const shown = new Set<number>();
  for (const card of [false, true])
    parts.forEach((part, index) => {
      if (part.card !== card || part.blocks.length > room) return;
      shown.add(index);
      room -= part.blocks.length;
    });
  const blocks = [header, ...parts.flatMap((part, index) => (shown.has(index) ? part.blocks : []))];
  const left = describeLeftOut(
    parts.filter((part, index) => part.card && !shown.has(index)).length,
    parts.filter((part, index) => !part.card && !shown.has(index)).length,
  );
  if (left) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: left, verbatim: true }] });
  return { type: 'home', blocks };
}

/** The Home tab's last line when parts did not fit: how many cards, and (hardly ever) lists of one's own. */
function describeLeftOut(cards: number, own: number): string | undefined {
  const said = [
    ...(cards > 0
      ? [`…and ${cards} more waiting: each is on its card in the approvals or huddle channel.`]
      : []),
    ...(own > 0
      ? [`${own} more of your lists did not fit here: /home shows ${own === 1 ? 'it' : 'them'}.`]
      : []),
  ];
  return said.length > 0 ? said.join(' ') : undefined;
}
