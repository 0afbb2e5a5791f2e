import { NOTHING_CHANGED, NOTHING_SAVED } from '../../handlers/kernel/copy.ts';
import { bodyLines, cutText, type Form, type Message } from '../../handlers/kernel/message.ts';

/**
 * The sandbox page shows whatever it is sent and keeps a conversation's history, so one pasted
 * 100,000-character line would flood it: any text shown is cut to `line` characters with an ellipsis, as on
 * Slack. Button values and ids are data sent back on a press and are never cut.
 */
export const SANDBOX_LIMITS = { line: 5000 } as const;

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Text to show, cut and then escaped, so a cut never splits an entity such as `&amp;`. */
function shown(text: string): string {
  return escapeHtml(cutText(text, SANDBOX_LIMITS.line));
}

/**
 * The message model says nothing of whether an answer did what was asked; every refusal ends by saying
 * nothing was saved or changed, so that ending is what marks one.
 */
export function isRefusal(message: Message): boolean {
  return [message.text, ...bodyLines(message)].some((line) => {
    const end = line.trimEnd();
    return end.endsWith(NOTHING_SAVED) || end.endsWith(NOTHING_CHANGED);
  });
}

/** The reply model as an HTML card; everything typed by people is escaped. */
export function replyToHtml(message: Message): string {
  const parts: string[] = [`<div class="card${isRefusal(message) ? ' refusal' : ''}">`];
  if (message.title) parts.push(`<div class="card-title">${shown(message.title)}</div>`);
  for (const line of bodyLines(message)) parts.push(`<div class="card-line">${shown(line)}</div>`);
  for (const section of message.sections ?? []) {
    parts.push(`<div class="card-section"><div class="card-heading">${shown(section.heading)}</div>`);
    for (const line of section.lines) parts.push(`<div class="card-line">${shown(line)}</div>`);
    parts.push('</div>');
  }
  if (message.fields && message.fields.length > 0) {
    parts.push('<dl class="card-fields">');
    for (const field of message.fields) {
      parts.push(`<div><dt>${shown(field.label)}</dt><dd>${shown(field.value)}</dd></div>`);
    }
    parts.push('</dl>');
  }
  if (message.buttons && message.buttons.length > 0) {
    parts.push('<div class="card-buttons">');
    for (const button of message.buttons) {
      parts.push(
        `<button type="button" class="card-button ${button.style ?? ''}" data-action-id="${escapeHtml(button.actionId)}" data-value="${escapeHtml(button.value)}"${button.confirm ? ` data-confirm="${escapeHtml(`${button.confirm.title}\n\n${button.confirm.text}`)}"` : ''}>${shown(button.label)}</button>`,
      );
    }
    parts.push('</div>');
  }
  for (const link of message.links ?? [])
    parts.push(`<a class="card-link" href="${escapeHtml(link.url)}" download>${shown(link.label)}</a>`);
  for (const image of message.images ?? [])
    parts.push(`<img class="card-image" src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}">`);
  if (message.note) parts.push(`<div class="card-note">${shown(message.note)}</div>`);
  parts.push('</div>');
  return parts.join('');
}

/** A form as an HTML form the sandbox page submits back as JSON. */
export function formToHtml(form: Form): string {
  const parts = [
    `<form class="card form" data-form-id="${escapeHtml(form.formId)}" data-metadata="${escapeHtml(form.metadata ?? '')}">`,
    `<div class="card-title">${shown(form.title)}</div>`,
  ];
  for (const line of form.lines ?? []) parts.push(`<div class="card-line">${shown(line)}</div>`);
  for (const input of form.inputs) {
    const id = escapeHtml(input.id);
    const required = input.optional ? '' : ' required';
    parts.push(`<label>${escapeHtml(input.label)}${input.optional ? ' (optional)' : ''}`);
    switch (input.kind) {
      case 'select':
        parts.push(`<select name="${id}"${required}>`);
        if (input.optional || input.initial === undefined) parts.push('<option value=""></option>');
        for (const option of input.options) {
          const selected = option.value === input.initial ? ' selected' : '';
          parts.push(
            `<option value="${escapeHtml(option.value)}"${selected}>${escapeHtml(option.label)}</option>`,
          );
        }
        parts.push('</select>');
        break;
      case 'textarea':
        parts.push(
          `<textarea name="${id}" maxlength="${input.maxLength ?? 3000}"${required}>${escapeHtml(input.initial ?? '')}</textarea>`,
        );
        break;
      case 'date':
        parts.push(`<input type="date" name="${id}" value="${escapeHtml(input.initial ?? '')}"${required}>`);
        break;
      case 'number':
        parts.push(`<input type="number" name="${id}" step="1" value="${input.initial ?? ''}"${required}>`);
        break;
      default:
        parts.push(
          `<input type="text" name="${id}" maxlength="${input.maxLength ?? 3000}" value="${escapeHtml(input.initial ?? '')}"${required}>`,
        );
    }
    parts.push(`<span class="form-error" data-error-for="${id}"></span></label>`);
  }
  parts.push('<div class="card-buttons">');
  if (form.submitLabel) {
    parts.push(`<button type="submit" class="primary">${escapeHtml(form.submitLabel)}</button>`);
  }
  parts.push(
    `<button type="button" class="form-cancel">${form.submitLabel ? 'Cancel' : 'Close'}</button></div></form>`,
  );
  return parts.join('');
}
