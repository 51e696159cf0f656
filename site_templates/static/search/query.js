// A typed query -> its words (mirrors chatmine/searching/query.py): split on whitespace, a
// "quoted phrase" one word; each word with its index terms and whether it must be checked as
// written in a record's text (a Han word of three characters or more, a quoted phrase).
import { indexTerms, isHan, normalize } from "./terms.js";

const PIECE = /"([^"]*)"|(\S+)/gu;

/** The words of `query`: [{text, terms, check}], those without a term left out. */
export function queryWords(query) {
  const words = [];
  for (const m of query.matchAll(PIECE)) {
    const quoted = m[1] !== undefined;
    const text = quoted ? m[1] : m[2];
    const terms = [...new Set(indexTerms(text))];
    if (!terms.length) continue;
    const han = isHan(text.replace(/\s+/gu, ""));
    words.push({ text, terms, check: quoted ? terms.length > 1 : han && Array.from(text).length >= 3 });
  }
  return words;
}

/** What a record's text is compared in: normalized, whitespace removed. */
export function compact(text) {
  return normalize(text).replace(/\s+/gu, "");
}

/** Whether a record's text holds every checked word as written. */
export function holdsPhrases(text, words) {
  const checked = words.filter((w) => w.check);
  if (!checked.length) return true;
  const hay = compact(text);
  return checked.every((w) => hay.includes(compact(w.text)));
}

/** A run of Han characters cut into words: the trade's words (`dict`) by longest match, the
 * characters between them glued into one word; a character left alone is no word. */
export function cutRun(run, dict) {
  const chars = Array.from(run);
  let longest = 0;
  for (const w of dict) longest = Math.max(longest, Array.from(w).length);
  const words = [];
  let rest = "";
  const flush = () => { if (Array.from(rest).length > 1) words.push(rest); rest = ""; };
  for (let i = 0; i < chars.length;) {
    let n = Math.min(longest, chars.length - i);
    while (n >= 2 && !dict.has(chars.slice(i, i + n).join(""))) n--;
    if (n >= 2) { flush(); words.push(chars.slice(i, i + n).join("")); i += n; } else { rest += chars[i]; i++; }
  }
  flush();
  return words;
}
