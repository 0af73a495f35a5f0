/**
 * The emoji the bot writes, drawn as small inline SVG images (our own drawings, no font or
 * image set to license): a browser without an emoji font would show ⛔ ✅ 🎉 as empty boxes.
 * Keyed by code points as Slack's rich_text gives them; an emoji not drawn here stays text.
 */
const svg = (body: string) =>
  `<svg class="bk-emoji-img" viewBox="0 0 20 20" width="1.2em" height="1.2em" aria-hidden="true" focusable="false">${body}</svg>`;

const HOURGLASS =
  '<path d="M5 2h10M5 18h10" stroke="#8d6e63" stroke-width="2" stroke-linecap="round"/><path d="M6 3h8c0 4-3 5-3 7s3 3 3 7H6c0-4 3-5 3-7S6 7 6 3z" fill="#e3f2fd" stroke="#90a4ae"/>';

const DRAWINGS: Record<string, string> = {
  // warning
  '26a0-fe0f':
    '<path d="M10 1.5 19 18H1z" fill="#ffcc32" stroke="#e0a800" stroke-linejoin="round"/><rect x="9" y="7" width="2" height="6" rx="1" fill="#333"/><circle cx="10" cy="15.3" r="1.1" fill="#333"/>',
  // no_entry
  '26d4': '<circle cx="10" cy="10" r="9" fill="#e53935"/><rect x="4" y="8.5" width="12" height="3" rx="1" fill="#fff"/>',
  // white_check_mark
  '2705':
    '<rect x="1" y="1" width="18" height="18" rx="4" fill="#43a047"/><path d="M5 10.5l3.2 3.2L15 6.8" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>',
  // x
  '274c': '<path d="M4 4l12 12M16 4 4 16" stroke="#e53935" stroke-width="3.4" stroke-linecap="round"/>',
  // tada
  '1f389':
    '<path d="M2 18 6.5 6.5l7 7z" fill="#f4a624"/><path d="M4.2 12.3l3.5 3.5M5.6 8.8l5.6 5.6" stroke="#e53935" stroke-width="1.2"/><path d="M11 3c1 1.5 0 3 1 4M14 6c2-1 3 0 4-1M13 2.5h.1M17.5 9.5h.1M16 2h.1" stroke="#7e57c2" stroke-width="1.4" stroke-linecap="round" fill="none"/><circle cx="15.5" cy="12.5" r="1" fill="#29b6f6"/><circle cx="9" cy="2.5" r="1" fill="#66bb6a"/>',
  // hourglass
  '231b': `${HOURGLASS}<path d="M7.5 16.5h5L10 13z" fill="#ffb300"/>`,
  // hourglass_flowing_sand
  '23f3': `${HOURGLASS}<path d="M7.3 5h5.4L10 8.5z" fill="#ffb300"/><path d="M10 9v5" stroke="#ffb300"/><path d="M8 16.5h4L10 14.5z" fill="#ffb300"/>`,
  // information_source
  '2139-fe0f':
    '<rect x="1" y="1" width="18" height="18" rx="4" fill="#1e88e5"/><circle cx="10" cy="5.5" r="1.5" fill="#fff"/><rect x="8.7" y="8.5" width="2.6" height="7.5" rx="1" fill="#fff"/>',
  // grey_question
  '2754':
    '<path d="M6.5 7a3.5 3.5 0 1 1 5 3.2c-1 .5-1.5 1.2-1.5 2.3v.5" fill="none" stroke="#9e9e9e" stroke-width="2.6" stroke-linecap="round"/><circle cx="10" cy="16.5" r="1.6" fill="#9e9e9e"/>',
  // alarm_clock
  '23f0':
    '<circle cx="10" cy="11" r="7" fill="#fff" stroke="#e53935" stroke-width="2"/><path d="M10 7v4l2.5 2" stroke="#333" stroke-width="1.4" fill="none" stroke-linecap="round"/><path d="M2 5.5 5 2.5M18 5.5 15 2.5" stroke="#e53935" stroke-width="2" stroke-linecap="round"/>',
  // calendar
  '1f4c5':
    '<rect x="2" y="3" width="16" height="15" rx="2" fill="#fff" stroke="#9e9e9e"/><path d="M2 5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v2H2z" fill="#e53935"/><path d="M5 10h2M9 10h2M13 10h2M5 13h2M9 13h2M13 13h2M5 16h2M9 16h2" stroke="#757575" stroke-width="1.5"/>',
  // clipboard
  '1f4cb':
    '<rect x="3" y="3" width="14" height="16" rx="2" fill="#a1887f"/><rect x="5" y="5" width="10" height="12" fill="#fff"/><rect x="7" y="1.5" width="6" height="3" rx="1" fill="#9e9e9e"/><path d="M7 9h6M7 12h6M7 15h4" stroke="#9e9e9e"/>',
  // wrench
  '1f527':
    '<path d="M12.5 2.5a4.5 4.5 0 0 0-4.2 6.1L2.8 14.1a1.8 1.8 0 0 0 2.6 2.6l5.5-5.5a4.5 4.5 0 0 0 6.1-4.2l-2.6 2.6-2.5-.6-.6-2.5z" fill="#90a4ae" stroke="#607d8b"/>',
  // bell
  '1f514':
    '<path d="M10 2.5a5 5 0 0 0-5 5v4l-2 3h14l-2-3v-4a5 5 0 0 0-5-5z" fill="#ffc107" stroke="#e0a800"/><circle cx="10" cy="16.5" r="2" fill="#e0a800"/>',
  // sparkles
  '2728':
    '<path d="M8 2l1.6 5.4L15 9l-5.4 1.6L8 16l-1.6-5.4L1 9l5.4-1.6z" fill="#ffc107"/><path d="M15.5 12l.8 2.2 2.2.8-2.2.8-.8 2.2-.8-2.2-2.2-.8 2.2-.8z" fill="#ffca28"/>',
  // arrows_counterclockwise
  '1f504':
    '<rect x="1" y="1" width="18" height="18" rx="4" fill="#1e88e5"/><path d="M14.5 8A5 5 0 0 0 5.6 7M5.5 12a5 5 0 0 0 8.9 1" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M4.5 4.5v3.2h3.2M15.5 15.5v-3.2h-3.2" fill="none" stroke="#fff" stroke-width="1.8"/>',
};

/** The drawing of an emoji by its code points ("2705", "26a0-fe0f"), if there is one. */
export function emojiImage(unicode: string): string | undefined {
  const body = DRAWINGS[unicode.toLowerCase()] ?? DRAWINGS[`${unicode.toLowerCase()}-fe0f`];
  return body ? svg(body) : undefined;
}
