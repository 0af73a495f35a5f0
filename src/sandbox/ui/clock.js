// The sandbox clock: shows the sandbox time (in the acting person's zone) and jumps it forward.
import { api, renderHooks } from './client.js';

const $ = (id) => document.getElementById(id);

function format(at, timeZone) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

renderHooks.push((snap) => {
  if (!snap.clock) return;
  const at = new Date(snap.clock.now);
  const ahead = snap.clock.offsetMs !== 0;
  const now = $('clock-time');
  now.textContent = `${format(at, snap.user.tz)}${ahead ? ` · +${snap.clock.offsetDays} days` : ' · real time'}`;
  now.classList.toggle('is-ahead', ahead);
  const banner = $('clock-banner');
  banner.hidden = !ahead;
  banner.textContent = ahead
    ? `Sandbox time: ${format(at, snap.user.tz)} (${snap.user.tz}), ${snap.clock.offsetDays} days ahead of real time. "back to now" returns; what happened meanwhile stays.`
    : '';
  document.body.dataset.clockOffsetDays = String(snap.clock.offsetDays);
});

document.addEventListener('click', async (e) => {
  const button = e.target.closest('button[data-clock]');
  if (!button) return;
  for (const b of document.querySelectorAll('button[data-clock]')) b.disabled = true;
  try {
    await api('/sandbox/ui/clock', { to: button.dataset.clock });
  } finally {
    for (const b of document.querySelectorAll('button[data-clock]')) b.disabled = false;
  }
});
