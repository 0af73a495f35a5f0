// Slack's overflow menu (⋯): the button opens a small menu; choosing an item sends the action.
// Clicking elsewhere or pressing Escape closes it, as in Slack.

function setOpen(root, open) {
  const button = root.querySelector('.bk-overflow-button');
  const menu = root.querySelector('.bk-overflow-menu');
  if (!button || !menu) return;
  menu.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) menu.querySelector('.bk-overflow-item')?.focus();
}

export function closeMenus(except) {
  for (const root of document.querySelectorAll('.bk-overflow')) if (root !== except) setOpen(root, false);
}

/** Handles a click on an overflow button or item; false when the click was not for a menu. */
export function overflowClick(el, dispatch) {
  const root = el.closest('.bk-overflow');
  closeMenus(root);
  if (!root) return false;
  if (el.classList.contains('bk-overflow-button')) {
    setOpen(root, root.querySelector('.bk-overflow-menu')?.hidden ?? false);
    return true;
  }
  if (el.classList.contains('bk-overflow-item')) {
    setOpen(root, false);
    dispatch(el);
    return true;
  }
  return false;
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeMenus();
});
