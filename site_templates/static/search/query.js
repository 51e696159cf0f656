// A typed query as words (exact copy of chatmine/search/query.py, whose docstring holds the
// rules): split on whitespace, "quoted text" one word; a word is its index terms, one Han
// character that character; a word of two terms or more is checked as written in a record's
// text; a sentence cut into the trade's words by longest match (words.json).
import { TOKEN_SOURCE, indexTerms, isHan, normalize } from "./terms.js";

// Python's \s (str.isspace), not JavaScript's: they differ on \x1c-\x1f, \x85 and \ufeff.
const SPACE_CLASS = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const QUOTED = new RegExp(`"([^"]*)"|([^${SPACE_CLASS}]+)`, "gu");
const SPACE = new RegExp(`[${SPACE_CLASS}]+`, "gu");
/** The longest word of words.json that cutting looks for. */
export const LONGEST = 8;
/** Fewer characters left uncut in a row are dropped from a cut sentence. */
export const UNCUT = 3;

const length = (text) => Array.from(text).length;

/** Normal form with all whitespace removed: what a checked word is looked for in. */
export function compact(text) {
  return normalize(text).replace(SPACE, "");
}

/** `text` as a word {text, terms, checked, quoted}, null when it has no terms. */
export function word(text, quoted = false) {
  const small = compact(text);
  const all = indexTerms(text);
  const terms = length(small) === 1 && isHan(small) ? [small] : [...new Set(all)];
  if (!terms.length) return null;
  return { text, terms, checked: all.length > 1, quoted };
}

/** The words of a query as typed, each once. */
export function parse(query) {
  const out = new Map();
  for (const m of query.matchAll(QUOTED)) {
    const found = word(m[1] ? m[1] : (m[2] || ""), Boolean(m[1]));
    if (found && !out.has(compact(found.text))) out.set(compact(found.text), found);
  }
  return [...out.values()];
}

/** The record's text holds every checked word as written. */
export function holds(recordText, words) {
  const text = compact(recordText);
  return words.every((w) => !w.checked || text.includes(compact(w.text)));
}

/** The words of a query typed as a sentence; quoted words stay whole. */
export function cutSentence(words, dictionary) {
  const out = new Map();
  for (const typed of words) {
    const parts = typed.quoted ? [typed.text] : cutText(typed.text, dictionary);
    for (const part of parts) {
      const found = word(part, typed.quoted);
      if (found && !out.has(compact(found.text))) out.set(compact(found.text), found);
    }
  }
  return [...out.values()];
}

/** `text` cut into words: Han runs by longest match, other runs of [a-z0-9] as they are. */
export function cutText(text, dictionary) {
  const out = [];
  for (const m of normalize(text).matchAll(new RegExp(TOKEN_SOURCE, "gu"))) {
    if (m[1]) out.push(...cutRun(m[1], dictionary));
    else out.push(m[0]);
  }
  return out;
}

/** A Han run by longest match: dictionary words, uncut stretches of UNCUT characters or more
 * as one word, shorter ones dropped. */
export function cutRun(run, dictionary) {
  const out = [];
  const chars = Array.from(run);
  let uncut = "";
  let i = 0;
  while (i < chars.length) {
    let size = Math.min(LONGEST, chars.length - i);
    while (size > 1 && !dictionary.has(chars.slice(i, i + size).join(""))) size--;
    if (size < 2) { uncut += chars[i]; i++; continue; }
    if (length(uncut) >= UNCUT) out.push(uncut);
    uncut = "";
    out.push(chars.slice(i, i + size).join(""));
    i += size;
  }
  if (length(uncut) >= UNCUT) out.push(uncut);
  return out;
}
