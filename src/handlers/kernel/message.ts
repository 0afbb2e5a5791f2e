import type { PlatformName } from '../../domain/people.ts';
import { wholeCharactersWithin } from '../../domain/whole-characters.ts';

/** The chat platforms a message can come from or go to; the sandbox is the local web chat. */
export type Platform = PlatformName;

export interface Field {
  label: string;
  value: string;
}

export interface Section {
  heading: string;
  lines: string[];
}

/** A button names what it acts on in `value`; who may press it is decided on the server when pressed. */
export interface Button {
  label: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  /** asked before the press is sent: a Slack confirm dialog, a confirm step on Teams and in the sandbox */
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

/**
 * The one message model every platform renders. Text is plain: renderers escape it for their markup,
 * so nothing a user typed can become a mention, a link or a formatting trick.
 */
export interface Message {
  /** one-line summary: the notification text and the fallback where blocks cannot show */
  text: string;
  title?: string;
  lines?: string[];
  /** headed groups of lines after `lines`, such as the huddle digest's "Out today" */
  sections?: Section[];
  fields?: Field[];
  buttons?: Button[];
  /** files to download, such as an export's link in Teams and the sandbox; only frontdesk's own addresses */
  links?: Link[];
  /** pictures frontdesk serves, such as a report's charts */
  images?: Image[];
  /** small print under the message, such as who decided and when */
  note?: string;
}

/** A link frontdesk made (never one a person typed): `label` is plain text. */
export interface Link {
  label: string;
  url: string;
}

/** A picture at an address frontdesk serves, with the words that stand for it. */
export interface Image {
  url: string;
  alt: string;
}

/** Text cut to a platform's limit, ending in an ellipsis when it was cut; renderers cut before escaping. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${wholeCharactersWithin(text, max - 1)}…`;
}

/**
 * The lines shown under a message's title, the same on every platform: its lines when it has any; else
 * nothing when it has a title, which already says what `text` says; else `text`.
 */
export function bodyLines(message: Message): readonly string[] {
  if (message.lines && message.lines.length > 0) return message.lines;
  return message.title ? [] : [message.text];
}

export type FormInput =
  | {
      kind: 'text' | 'textarea';
      id: string;
      label: string;
      optional?: boolean;
      maxLength?: number;
      initial?: string;
    }
  | { kind: 'date'; id: string; label: string; optional?: boolean; initial?: string }
  | {
      kind: 'number';
      id: string;
      label: string;
      optional?: boolean;
      min?: number;
      max?: number;
      initial?: number;
    }
  | {
      kind: 'select';
      id: string;
      label: string;
      optional?: boolean;
      options: SelectOption[];
      initial?: string;
      /**
       * the name its options are also listed under (`Feature.choiceLists`), for a platform that finds a list too
       * long to send whole by search as the person types
       */
      searchList?: string;
    };

/** One choice of a select; `group` is the heading it is listed under where a platform groups long lists. */
export interface SelectOption {
  label: string;
  value: string;
  group?: string;
}

/** A form the platform shows in place of a text command: a Slack modal, a Teams card, a sandbox form. */
export interface Form {
  formId: string;
  title: string;
  /** without one the form is read-only, such as a details view, and offers only Close */
  submitLabel?: string;
  /** read-only lines shown above the inputs */
  lines?: string[];
  inputs: FormInput[];
  /** carried back untouched on submit; never trusted for authorisation */
  metadata?: string;
}

export type ChannelRole = 'approvals' | 'huddle' | 'complaints';

export interface Recipient {
  platform: Platform;
  userId: string;
}

/** Something to send besides the direct answer; written to the outbox in the state change's transaction. */
export type Effect =
  | { kind: 'post'; channel: ChannelRole; message: Message; cardKey?: string }
  /** `platform` limits it to the one platform the message is on, such as a direct message's */
  | { kind: 'update'; cardKey: string; message: Message; platform?: Platform }
  /** `cardKey` lets a later update redraw this direct message, as a card's, e.g. to take away a used button */
  | { kind: 'dm'; to: Recipient; message: Message; cardKey?: string }
  /**
   * the card is redrawn from the database soon after this commits, by the feature that owns its reference
   * (`Feature.cards`): however many changes ask for one card before then, it is drawn and sent once
   */
  | { kind: 'redraw'; cardKey: string };

/**
 * A file made for the person who asked (an export, a report's chart), for them alone: Slack uploads it into
 * their direct messages with the bot; Teams and the sandbox get a link that works for 24 hours (a CSV once).
 */
export interface Attachment {
  /** the file's name, like `time-off-2026.csv` */
  name: string;
  contentType: 'text/csv' | 'image/png';
  content: Uint8Array;
  /** what it is, shown beside it: `Time off, 2026 (CSV, 45 requests)` */
  title: string;
}

/** What a handler decided: the answer to the person who acted, an optional form, and effects. */
export interface Outcome {
  reply?: Message;
  form?: Form;
  /** per form input id, what is wrong with a submitted form; the form stays open to be corrected */
  formErrors?: Record<string, string>;
  /** the reply quotes confidential text: it is not kept for retried deliveries, which get a notice instead */
  confidentialReply?: boolean;
  /**
   * the reply gives back what was typed into a form that has closed: a platform whose answers vanish (Slack's
   * ephemeral notes go on a reload) sends it where it stays, so the text is not lost a second time
   */
  keepReply?: boolean;
  /** files for the person who acted, sent with the reply; never kept for retried deliveries */
  attachments?: Attachment[];
  /**
   * The message whose button started this (pressed, or opening the form now submitted), as it should read
   * now, such as a confirmation without the button just used; platforms that can redraw it do.
   */
  source?: Message;
  /**
   * The change touched the acting person's own things, which their Home lists, and sends nothing (a private
   * follow-up, their own credential): a Home drawn before it is redrawn.
   */
  changesOwnHome?: boolean;
  effects: Effect[];
}

/** An answer to the actor alone, with nothing else sent. */
export function replyOnly(message: Message): Outcome {
  return { reply: message, effects: [] };
}
