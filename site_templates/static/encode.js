// The query and excerpt codec for the search index; mirrors chatmine/webindex.py (tests
// run both on the same strings). No DOM here, so node can import it too.
export const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
const TOKEN = /^(?:[A-Z]{4}|[A-Z]{8})$/;
const BREAK = "｜";

export function encodeChar(ch) {
  let n = ch.codePointAt(0);
  let out = "";
  for (let i = 0; i < 4; i++) { out = String.fromCharCode(97 + (n % 26)) + out; n = Math.floor(n / 26); }
  return out;
}

function decodeChar(letters) {
  let n = 0;
  for (const c of letters.toLowerCase()) n = n * 26 + (c.charCodeAt(0) - 97);
  const ch = String.fromCodePoint(n);
  return /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]$/u.test(ch) ? ch : null;
}

// A query's pieces in order: each run of Han characters whole ({han}), each other word
// lowercased ({word}). encodeQuery and sentence.js read a query through it.
export function queryPieces(text) {
  const pieces = [];
  const plain = (part) => { for (const w of part.toLowerCase().split(/\s+/)) if (w) pieces.push({ word: w }); };
  let pos = 0;
  for (const m of text.matchAll(HAN)) {
    plain(text.slice(pos, m.index));
    pieces.push({ han: m[0] });
    pos = m.index + m[0].length;
  }
  plain(text.slice(pos));
  return pieces;
}

// Runs of up to 3 Han characters: every bigram; longer runs: adjacent bigrams plus a last
// overlapping one (each bigram costs one index chunk on a first query).
export function encodeQuery(text) {
  const tokens = [];
  for (const { han, word } of queryPieces(text)) {
    if (!han) { tokens.push(word); continue; }
    const run = Array.from(han).map(encodeChar);
    if (run.length <= 3) {
      if (run.length === 1) tokens.push(run[0]);
      else for (let i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
    } else {
      const starts = [];
      for (let i = 0; i < run.length - 1; i += 2) starts.push(i);
      if (starts[starts.length - 1] !== run.length - 2) starts.push(run.length - 2);
      for (const i of starts) tokens.push(run[i] + run[i + 1]);
    }
  }
  return tokens.join(" ");
}

// Pagefind's excerpt (encoded tokens, hits wrapped in <mark>) back to readable pieces:
// [{text, mark}], with overlapping bigrams merged into runs of Chinese again.
export function decodeExcerpt(excerpt, toText) {
  const text = toText(excerpt.replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002"));
  const chars = [];  // {ch, mark, han}
  let inMark = false;
  let lastHan = false;
  for (const raw of text.split(/\s+/)) {
    let token = "";
    let marked = false;
    for (const c of raw) {
      if (c === "\u0001") inMark = true;
      else if (c === "\u0002") inMark = false;
      else { token += c; if (inMark) marked = true; }
    }
    if (!token) continue;
    let core = token;
    if (!TOKEN.test(core) && /^[A-Z]+\.$/.test(core)) core = core.slice(0, -1);  // Pagefind ends an excerpt with "."
    const han = TOKEN.test(core) ? [core.slice(0, 4), core.slice(4)].filter(Boolean).map(decodeChar) : null;
    if (han && han.every(Boolean)) {
      if (lastHan && han.length === 2 && chars[chars.length - 1].ch === han[0]) {
        if (marked) chars[chars.length - 1].mark = true;
        chars.push({ ch: han[1], mark: marked, han: true });
      } else {
        for (const ch of han) chars.push({ ch, mark: marked, han: true });
      }
      lastHan = true;
    } else if (token === BREAK) {
      // The break between two messages of a record (chatmine/site.py MESSAGE_BREAK): a space each side.
      if (chars.length && chars[chars.length - 1].ch === " ") chars.pop();
      if (chars.length) for (const ch of ` ${BREAK} `) chars.push({ ch, mark: false, han: false });
      lastHan = false;
    } else {
      const last = chars[chars.length - 1];
      if (last && !last.han && last.ch !== " ") chars.push({ ch: " ", mark: false, han: false });
      for (const ch of token) chars.push({ ch, mark: marked, han: false });
      lastHan = false;
    }
  }
  const pieces = [];
  for (const c of chars) {
    const last = pieces[pieces.length - 1];
    if (last && last.mark === c.mark) last.text += c.ch; else pieces.push({ text: c.ch, mark: c.mark });
  }
  return pieces;
}
