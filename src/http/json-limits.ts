/**
 * The deepest nesting any body of ours can use: the application's `securityAnswers` (array)
 * of objects inside the body object. Anything deeper can only be an attack on the parser.
 */
export const MAX_JSON_DEPTH = 3;
/** At most this many issues are answered, each cut to a readable length; the rest are counted. */
export const MAX_ISSUES = 50;
const MAX_ISSUE_TEXT = 300;

/**
 * Whether raw JSON text nests deeper than `max`, found by one linear pass over the bytes
 * (brackets outside strings), before anything builds or walks a structure from it.
 */
export function nestsDeeperThan(raw: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

type Issue = { path: string; message: string };

const cut = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}…` : text);

/** The issues a caller is shown: the first MAX_ISSUES, each cut short, and how many more there were. */
export function cappedIssues(issues: readonly Issue[]): Issue[] {
  const shown = issues.slice(0, MAX_ISSUES).map((i) => ({ path: cut(i.path), message: cut(i.message) }));
  const more = issues.length - shown.length;
  return more > 0 ? [...shown, { path: '(body)', message: `and ${more} more issue${more === 1 ? '' : 's'}` }] : shown;
}
