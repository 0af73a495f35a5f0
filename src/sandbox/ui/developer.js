// The developer panel: acts for one application's developer through the bot's intake API (the
// server does the calls), and shows what the bot sent them. Data is drawn with textContent only.
import { api, renderHooks } from './client.js';

const $ = (id) => document.getElementById(id);
const panel = { open: false, app: null, data: null, drawn: { questions: '', reply: '', profile: '', profileText: '' } };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const utc = (iso) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

let loading = null;
async function load() {
  if (!panel.open) return;
  const query = panel.app ? `?app=${encodeURIComponent(panel.app)}` : '';
  const request = fetch(`/sandbox/ui/developer${query}`).then((r) => (r.ok ? r.json() : null));
  loading = request;
  const data = await request.catch(() => null);
  if (loading !== request || !data) return;
  panel.data = data;
  draw();
}

let pending = null;
const scheduleLoad = () => {
  clearTimeout(pending);
  pending = setTimeout(() => load(), 150);
};

function drawInbox(inbox) {
  const box = $('dev-inbox');
  box.replaceChildren();
  if (inbox.length === 0) {
    box.append(el('div', 'dev-empty', 'Nothing sent to this developer yet.'));
    return;
  }
  for (const entry of [...inbox].reverse()) {
    const mail = el('article', 'dev-mail');
    mail.dataset.type = entry.type;
    const head = el('div', 'dev-mail-head');
    head.append(el('span', '', entry.label), el('span', 'dev-mail-at', utc(entry.at)));
    mail.append(head);
    let text = entry.text;
    // Each invite, move or cancellation as its webhook carried it: the meeting's time then, not now.
    const meeting = entry.meeting;
    if (!text && meeting) {
      const minutes = meeting.durationMinutes ? `, ${meeting.durationMinutes} minutes` : '';
      text =
        meeting.status === 'cancelled'
          ? `Calendar cancellation: the meeting of ${utc(meeting.startsAt)} is off.`
          : `Calendar invite: ${utc(meeting.startsAt)}${minutes}, with the solution architect.${
              meeting.movedFrom ? ` (Moved from ${utc(meeting.movedFrom)}.)` : ''
            }`;
    }
    if (entry.roles?.length) mail.append(el('div', 'dev-mail-text', `Roles: ${entry.roles.join(', ')}`));
    if (text) mail.append(el('div', 'dev-mail-text', text));
    box.append(mail);
  }
}

function drawQuestionnaire(app) {
  const section = $('dev-questionnaire-section');
  section.hidden = !app.questionnaire;
  if (!app.questionnaire) return;
  const key = `${app.id}/${app.questionnaire.version}`;
  if (panel.drawn.questions === key) return;
  panel.drawn.questions = key;
  $('dev-q-version').textContent = `v${app.questionnaire.version} · prefilled with sample answers, edit any`;
  const list = $('dev-questions');
  list.replaceChildren();
  for (const q of app.questionnaire.questions) {
    const row = el('div', 'dev-question');
    const id = `dev-answer-${q.id}`;
    const label = el('label', '', `${q.id}. ${q.text}`);
    label.htmlFor = id;
    const area = el('textarea', 'dev-text');
    area.id = id;
    area.rows = 3;
    area.dataset.questionId = q.id;
    area.value = q.prefill;
    row.append(label, area);
    list.append(row);
  }
}

function draw() {
  const { applications, app, inbox } = panel.data;
  const select = $('dev-app');
  select.replaceChildren();
  if (applications.length === 0) select.append(el('option', '', 'No applications yet'));
  for (const a of applications) {
    const option = el('option', '', `#${a.id} ${a.organization} · ${a.stage} · ${a.status}`);
    option.value = String(a.id);
    select.append(option);
  }
  $('developer-pane').dataset.app = app ? String(app.id) : '';
  if (!app) {
    $('dev-summary').textContent = 'Post a sample application first.';
    $('dev-inbox').replaceChildren();
    $('dev-questionnaire-section').hidden = true;
    return;
  }
  select.value = String(app.id);
  $('dev-summary').textContent = `Profile ${app.profileId} · ${app.stage} · ${app.status}${
    app.productionSince ? ` · live since ${utc(app.productionSince)}` : ''
  }`;
  drawInbox(inbox);
  drawQuestionnaire(app);
  const replyKey = `${app.id}/${app.openQuestions.join('|')}`;
  if (panel.drawn.reply !== replyKey) {
    panel.drawn.reply = replyKey;
    $('dev-reply').value = app.reply;
  }
  // The profile box follows what intake holds until someone edits it.
  const profile = $('dev-profile');
  const text = JSON.stringify(app.submission, null, 2);
  if (panel.drawn.profile !== String(app.id) || profile.value === panel.drawn.profileText) {
    panel.drawn.profile = String(app.id);
    panel.drawn.profileText = text;
    profile.value = text;
    $('dev-profile-errors').replaceChildren();
  }
}

/** Below this width the channel would be squeezed between the thread and the panel: the thread gives way. */
const ROOM_FOR_BOTH_PX = 1600;

function setOpen(open) {
  if (open && window.innerWidth < ROOM_FOR_BOTH_PX && !$('thread-pane').hidden) $('thread-close').click();
  panel.open = open;
  $('developer-pane').hidden = !open;
  document.body.dataset.developer = open ? 'open' : 'closed';
  if (open) load();
}

function issuesOf(outcome) {
  try {
    return JSON.parse(outcome?.body ?? '{}').issues ?? [];
  } catch {
    return [];
  }
}

async function act(button, path, body) {
  button.disabled = true;
  try {
    const outcome = await api(path, { app: panel.data?.app?.id, ...body });
    await load();
    return outcome;
  } finally {
    button.disabled = false;
  }
}

renderHooks.push(() => scheduleLoad());

document.addEventListener('click', async (e) => {
  const button = e.target.closest('button');
  if (!button) return;
  if (button.id === 'developer-open') return setOpen(!panel.open);
  if (button.id === 'developer-close') return setOpen(false);
  if (button.id === 'dev-send-answers') {
    const answers = [...document.querySelectorAll('#dev-questions textarea')].map((t) => ({
      questionId: t.dataset.questionId,
      answer: t.value,
    }));
    return act(button, '/sandbox/ui/developer/answers', { answers });
  }
  if (button.id === 'dev-send-reply') return act(button, '/sandbox/ui/developer/reply', { text: $('dev-reply').value });
  if (button.id === 'dev-go-live') return act(button, '/sandbox/ui/developer/go-live', {});
  if (button.id === 'dev-restricted-call')
    return act(button, '/sandbox/ui/developer/restricted-call', { operation: $('dev-operation').value });
  if (button.id === 'dev-resubmit') {
    const errors = $('dev-profile-errors');
    errors.replaceChildren();
    let profile;
    try {
      profile = JSON.parse($('dev-profile').value);
    } catch (error) {
      errors.append(el('li', '', `Not valid JSON: ${error.message}`));
      return;
    }
    const outcome = await act(button, '/sandbox/ui/developer/profile', { profile });
    for (const issue of issuesOf(outcome)) errors.append(el('li', '', `${issue.path}: ${issue.message}`));
    if (outcome?.level === 'ok') panel.drawn.profile = '';
    if (outcome?.level === 'ok') load();
  }
});

document.addEventListener('change', (e) => {
  if (e.target.id !== 'dev-app') return;
  panel.app = e.target.value;
  panel.drawn = { questions: '', reply: '', profile: '', profileText: '' };
  load();
});
