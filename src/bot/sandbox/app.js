// The sandbox chat page: a "you" view with your own command answers, and the channels and direct
// messages the bot delivered. Cards arrive as HTML already escaped by the server; what the page adds
// itself (what you typed, errors, times) goes in as text only.
//
// The page is polled every second but never redrawn: each view keeps one element per message id and a
// poll only adds, replaces (when the server's version of a message changed) or drops messages. A form
// half filled in, and how far you scrolled, survive other people's posts that way.
const state = {
  as: '',
  view: 'you',
  /** your commands and their answers: the server keeps none of them, so neither does a reload */
  mine: [],
  conversations: {},
  /** name → { root, items: Map(id → element), scrollTop }, built once and kept while you switch views */
  views: new Map(),
  navKey: '',
  polls: 0,
  applied: 0,
  /** hh:mm on each message, and the whole date and time when you point at it */
  clock: null,
  stamp: null,
};
const $ = (id) => document.getElementById(id);
// How close to the bottom still counts as reading the newest messages, which new ones then follow.
const AT_END_PX = 48;

async function api(path, body) {
  const response = await fetch(
    path,
    body
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {},
  );
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function label(name) {
  if (name === 'you') return 'You (answers only you see)';
  if (name.startsWith('dm:')) return 'Direct messages';
  return `# ${name.slice('channel:'.length)}`;
}

function renderNav() {
  const names = ['you', ...Object.keys(state.conversations)];
  const key = [state.view, ...names].join('\n');
  if (key === state.navKey) return;
  state.navKey = key;
  $('conversations').replaceChildren(
    ...names.map((name) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label(name);
      button.dataset.view = name;
      if (name === state.view) button.className = 'active';
      button.onclick = () => show(name);
      return button;
    }),
  );
}

function viewFor(name) {
  let view = state.views.get(name);
  if (!view) {
    const root = document.createElement('div');
    root.className = 'view';
    root.dataset.emptyText =
      name === 'you' ? 'Type a command below, like /timeoff help.' : 'Nothing here yet.';
    view = { root, items: new Map(), scrollTop: undefined };
    state.views.set(name, view);
  }
  return view;
}

/** The card itself: the server's escaped HTML, or text the page set as text. */
function cardFor(entry) {
  if (entry.html !== undefined) {
    const template = document.createElement('template');
    template.innerHTML = entry.html;
    return template.content;
  }
  const card = document.createElement('div');
  card.className = `card ${entry.kind}`;
  const line = document.createElement('div');
  line.className = 'card-line';
  line.textContent = entry.text;
  card.append(line);
  return card;
}

function buildMessage(entry) {
  const message = document.createElement('article');
  message.className = `message ${entry.kind}`;
  message.dataset.id = entry.id;
  message.dataset.version = entry.version;
  const at = new Date(entry.at);
  const time = document.createElement('time');
  time.dateTime = at.toISOString();
  time.textContent = state.clock.format(at);
  time.title = state.stamp.format(at);
  message.append(time, cardFor(entry));
  return message;
}

/** Makes the view show `entries` in order, touching only the messages that are new, changed or gone. */
function sync(view, entries) {
  let added = false;
  let previous = null;
  const wanted = new Set();
  for (const entry of entries) {
    wanted.add(entry.id);
    let element = view.items.get(entry.id);
    if (!element || element.dataset.version !== entry.version) {
      const fresh = buildMessage(entry);
      if (element) element.replaceWith(fresh);
      else added = true;
      element = fresh;
      view.items.set(entry.id, element);
    }
    const next = previous ? previous.nextSibling : view.root.firstChild;
    if (element !== next) view.root.insertBefore(element, next);
    previous = element;
  }
  for (const [id, element] of view.items) {
    if (wanted.has(id)) continue;
    element.remove();
    view.items.delete(id);
  }
  return added;
}

function isShown(view) {
  return view.root.parentNode === $('feed');
}

function atEnd(feed) {
  return feed.scrollHeight - feed.scrollTop - feed.clientHeight < AT_END_PX;
}

function update(name, entries, follow = false) {
  const feed = $('feed');
  const view = viewFor(name);
  const following = isShown(view) && (follow || atEnd(feed));
  if (sync(view, entries) && following) feed.scrollTop = feed.scrollHeight;
}

function show(name) {
  const feed = $('feed');
  const current = state.views.get(state.view);
  // A view left at its end is shown at its end again, newest messages included.
  if (current && isShown(current)) current.scrollTop = atEnd(feed) ? undefined : feed.scrollTop;
  state.view = name;
  const view = viewFor(name);
  feed.replaceChildren(view.root);
  feed.scrollTop = view.scrollTop ?? feed.scrollHeight;
  renderNav();
}

function showMine() {
  if (state.view !== 'you') show('you');
  update('you', state.mine, true);
}

function addMine(kind, content) {
  state.mine.push({ id: crypto.randomUUID(), version: '', at: new Date().toISOString(), kind, ...content });
}

/** `sourceId`: the message whose button was pressed, which a form it opens redraws once it is saved. */
function showOutcome(typed, outcome, sourceId) {
  if (typed) addMine('mine', { text: typed });
  if (outcome.reply) addMine('reply', { html: outcome.reply });
  if (outcome.form) addMine('form', { html: outcome.form, sourceId });
  if (outcome.error) addMine('error', { text: outcome.error });
  showMine();
  refresh();
}

/** Drops one of your messages for good, so no later poll or view switch brings it back. */
function close(element) {
  const id = element.closest('.message')?.dataset.id;
  state.mine = state.mine.filter((entry) => entry.id !== id);
  update('you', state.mine);
}

async function refresh() {
  if (!state.as) return;
  const as = state.as;
  const poll = ++state.polls;
  try {
    const data = await api(`/sandbox/api/conversations?as=${encodeURIComponent(as)}`);
    // Polls overlap; an older answer, or one for whoever the picker showed before, would undo a newer one.
    if (as !== state.as || poll < state.applied) return;
    state.applied = poll;
    state.conversations = data.conversations;
    for (const [name, entries] of Object.entries(data.conversations)) {
      update(
        name,
        entries.map((entry) => ({ ...entry, kind: 'post' })),
      );
    }
    renderNav();
  } catch {
    // The next poll tries again; the page keeps what it has.
  }
}

// Enter sends, as in a chat; Shift+Enter starts a new line, for a complaint or a note written in paragraphs.
$('command').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  $('compose').requestSubmit();
});

$('compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('command').value.trim();
  if (!text) return;
  $('command').value = '';
  try {
    showOutcome(
      text,
      await api('/sandbox/api/command', { as: state.as, text, deliveryId: crypto.randomUUID() }),
    );
  } catch (error) {
    showOutcome(text, { error: error.message });
  }
});

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action-id]');
  if (button) {
    // The browser's own dialog shows the text as plain text, so nothing typed can become markup there.
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    try {
      const outcome = await api('/sandbox/api/action', {
        as: state.as,
        actionId: button.dataset.actionId,
        value: button.dataset.value,
        deliveryId: crypto.randomUUID(),
      });
      const sourceId = button.closest('.message')?.dataset.id;
      redrawMine(sourceId, outcome.source);
      showOutcome('', outcome, sourceId);
    } catch (error) {
      showOutcome('', { error: error.message });
    }
    return;
  }
  const cancel = event.target.closest('button.form-cancel');
  if (cancel) close(cancel);
});

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-form-id]');
  if (!form) return;
  event.preventDefault();
  if (form.dataset.sending) return;
  form.dataset.sending = 'yes';
  const values = {};
  for (const [key, value] of new FormData(form).entries()) if (value !== '') values[key] = String(value);
  let outcome;
  try {
    outcome = await api('/sandbox/api/form', {
      as: state.as,
      formId: form.dataset.formId,
      values,
      metadata: form.dataset.metadata || undefined,
      // One id per drawn form, so a second click files nothing more; a refused try is not kept, so a
      // corrected one on the same form goes through.
      deliveryId: `form-${form.closest('.message')?.dataset.id ?? crypto.randomUUID()}`,
    });
  } catch (error) {
    showOutcome('', { error: error.message });
    return;
  } finally {
    delete form.dataset.sending;
  }
  for (const element of form.querySelectorAll('.form-error')) element.textContent = '';
  if (outcome.formErrors) {
    for (const [id, message] of Object.entries(outcome.formErrors)) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(id)}"]`);
      if (slot) slot.textContent = message;
    }
    return;
  }
  const opened = state.mine.find((entry) => entry.id === form.closest('.message')?.dataset.id);
  redrawMine(opened?.sourceId, outcome.source);
  close(form);
  showOutcome('', outcome);
});

/**
 * Redraws one of your messages (`id`: the one whose button was pressed, or opened the form just saved) as the
 * server says it reads now, its used button gone. Channel posts are never redrawn here: the server draws them.
 */
function redrawMine(id, html) {
  const source = state.mine.find((entry) => entry.id === id);
  if (!html || !source) return;
  source.html = html;
  source.version = crypto.randomUUID();
}

async function start() {
  const data = await api('/sandbox/api/people');
  $('office').textContent = data.office;
  // Times are the office's, as the bot's own messages give them.
  state.clock = new Intl.DateTimeFormat([], {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: data.timezone,
  });
  state.stamp = new Intl.DateTimeFormat([], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: data.timezone,
  });
  const select = $('person');
  for (const person of data.people) {
    const option = document.createElement('option');
    option.value = person.id;
    const roles = [person.role, person.manager && person.role !== 'manager' ? 'manager' : null].filter(
      Boolean,
    );
    option.textContent = roles.length > 0 ? `${person.name} — ${roles.join(', ')}` : person.name;
    select.appendChild(option);
  }
  state.as = localStorage.getItem('frontdesk.as') || data.people[0].id;
  select.value = state.as;
  select.onchange = () => {
    state.as = select.value;
    localStorage.setItem('frontdesk.as', state.as);
    state.mine = [];
    state.conversations = {};
    state.views = new Map();
    state.navKey = '';
    show('you');
    refresh();
  };
  show('you');
  await refresh();
  setInterval(refresh, 1000);
}

start();
