// The excerpt of a result: a stretch of the record's text around the query's words, as pieces
// [{text, mark}] (search.js turns them into DOM nodes; the text is never parsed as HTML).
import { normalize } from "./terms.js";

export const LENGTH = 90;
const BEFORE = 12;

/** The text normalized character by character, and for each normalized code unit its place in `text`. */
function mapped(text) {
  let out = "";
  const at = [];
  let i = 0;
  for (const ch of text) {
    const n = normalize(ch);
    out += n;
    for (let k = 0; k < n.length; k++) at.push(i);
    i += ch.length;
  }
  at.push(i);
  return { out, at };
}

/** Where each needle occurs in `text`: [start, end) ranges in `text`, sorted, overlaps merged. */
export function hits(text, needles) {
  const { out, at } = mapped(text);
  const found = [];
  needles.forEach((needle, which) => {
    const n = normalize(needle);
    if (!n) return;
    for (let pos = out.indexOf(n); pos >= 0; pos = out.indexOf(n, pos + 1)) {
      const word = /^[a-z0-9]/.test(n);
      if (word && (/[a-z0-9]/.test(out[pos - 1] || "") || /[a-z0-9]/.test(out[pos + n.length] || ""))) continue;
      found.push({ start: at[pos], end: at[pos + n.length], which });
    }
  });
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The stretch of about LENGTH characters of `text` holding the most distinct needles, hits marked. */
export function excerpt(text, needles) {
  const found = hits(text, needles);
  let best = 0, bestCount = -1;
  for (let i = 0; i < found.length; i++) {
    const seen = new Set();
    for (let j = i; j < found.length && found[j].end - found[i].start <= LENGTH; j++) seen.add(found[j].which);
    if (seen.size > bestCount) { best = i; bestCount = seen.size; }
  }
  const chars = Array.from(text);
  let start = found.length ? Math.max(0, Array.from(text.slice(0, found[best].start)).length - BEFORE) : 0;
  const end = Math.min(chars.length, start + LENGTH);
  start = Math.max(0, Math.min(start, end - LENGTH));
  // A cut inside the break between two messages (" ｜ ", site.MESSAGE_BREAK) would show half of it.
  let stop = end;
  while (stop < chars.length && stop > start && /[\s｜]/.test(chars[stop - 1])) stop--;
  while (start > 0 && start < stop && /[\s｜]/.test(chars[start])) start++;
  const from = chars.slice(0, start).join("").length;
  const to = from + chars.slice(start, stop).join("").length;
  const pieces = [];
  if (start > 0) pieces.push({ text: "…", mark: false });
  let pos = from;
  for (const h of found) {
    if (h.end <= pos || h.start >= to) continue;
    const s = Math.max(h.start, pos), e = Math.min(h.end, to);
    if (s > pos) pieces.push({ text: text.slice(pos, s), mark: false });
    pieces.push({ text: text.slice(s, e), mark: true });
    pos = e;
  }
  if (pos < to) pieces.push({ text: text.slice(pos, to), mark: false });
  if (stop < chars.length) pieces.push({ text: "…", mark: false });
  return pieces;
}
