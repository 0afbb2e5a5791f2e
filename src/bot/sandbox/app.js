// The sandbox chat page: a "you" view with your own command answers, and the channels and direct
// messages the bot delivered. Cards arrive as HTML already escaped by the server.
const state = { as: '', view: 'you', mine: [], conversations: {} };
const $ = (id) => document.getElementById(id);

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
  $('conversations').innerHTML = '';
  for (const name of names) {
    const button = document.createElement('button');
    button.textContent = label(name);
    button.dataset.view = name;
    if (name === state.view) button.className = 'active';
    button.onclick = () => {
      state.view = name;
      render();
    };
    $('conversations').appendChild(button);
  }
}

function renderFeed() {
  const feed = $('feed');
  if (state.view === 'you') {
    feed.innerHTML = state.mine.map((entry) => entry.html).join('');
  } else {
    const cards = state.conversations[state.view] || [];
    feed.innerHTML = cards.length ? cards.join('') : '<p class="ephemeral">Nothing here yet.</p>';
  }
  feed.scrollTop = feed.scrollHeight;
}

function render() {
  renderNav();
  renderFeed();
}

function showOutcome(typed, outcome) {
  if (typed)
    state.mine.push({
      html: `<div class="card mine"><div class="card-line">${escapeText(typed)}</div></div>`,
    });
  if (outcome.reply) state.mine.push({ html: outcome.reply.replace('class="card"', 'class="card reply"') });
  if (outcome.form) state.mine.push({ html: outcome.form });
  state.view = 'you';
  render();
  refresh();
}

function escapeText(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

async function refresh() {
  if (!state.as) return;
  try {
    const data = await api(`/sandbox/api/conversations?as=${encodeURIComponent(state.as)}`);
    const changed = JSON.stringify(data.conversations) !== JSON.stringify(state.conversations);
    state.conversations = data.conversations;
    if (changed) render();
  } catch {
    // The next poll tries again; the page keeps what it has.
  }
}

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
    showOutcome(text, { reply: `<div class="card reply">${escapeText(error.message)}</div>` });
  }
});

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action-id]');
  if (button) {
    const outcome = await api('/sandbox/api/action', {
      as: state.as,
      actionId: button.dataset.actionId,
      value: button.dataset.value,
      deliveryId: crypto.randomUUID(),
    });
    showOutcome('', outcome);
    return;
  }
  const cancel = event.target.closest('button.form-cancel');
  if (cancel) cancel.closest('form').remove();
});

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-form-id]');
  if (!form) return;
  event.preventDefault();
  const values = {};
  for (const [key, value] of new FormData(form).entries()) if (value !== '') values[key] = String(value);
  const outcome = await api('/sandbox/api/form', {
    as: state.as,
    formId: form.dataset.formId,
    values,
    metadata: form.dataset.metadata || undefined,
    deliveryId: crypto.randomUUID(),
  });
  for (const element of form.querySelectorAll('.form-error')) element.textContent = '';
  if (outcome.formErrors) {
    for (const [id, message] of Object.entries(outcome.formErrors)) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(id)}"]`);
      if (slot) slot.textContent = message;
    }
    return;
  }
  const index = state.mine.findIndex((entry) => entry.html.includes(`data-form-id="${form.dataset.formId}"`));
  if (index >= 0) state.mine.splice(index, 1);
  showOutcome('', outcome);
});

async function start() {
  const data = await api('/sandbox/api/people');
  $('office').textContent = data.office;
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
    state.view = 'you';
    state.conversations = {};
    refresh().then(render);
  };
  render();
  await refresh();
  setInterval(refresh, 1000);
}

start();
