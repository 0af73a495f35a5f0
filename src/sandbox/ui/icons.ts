/** Inline SVG icons: emoji depend on the viewer's fonts (headless browsers often have none). */
const svg = (path: string, size = 16) =>
  `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${path}</svg>`;

export const ICONS = {
  lock: svg('<rect x="4" y="9" width="12" height="8" rx="1.5"/><path d="M7 9V6.5a3 3 0 0 1 6 0V9"/>', 14),
  home: svg('<path d="M3 9.5 10 3l7 6.5"/><path d="M5 8.5V17h10V8.5"/>', 40),
  file: svg('<path d="M5 2.5h6.5L15 6v11.5H5z"/><path d="M11.5 2.5V6H15"/>', 28),
  eye: svg(
    '<path d="M1.5 10S4.5 4.5 10 4.5 18.5 10 18.5 10 15.5 15.5 10 15.5 1.5 10 1.5 10z"/><circle cx="10" cy="10" r="2.5"/>',
    13,
  ),
  plus: svg('<path d="M10 4v12M4 10h12"/>', 14),
} as const;
