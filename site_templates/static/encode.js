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

// Runs of up to 3 Han characters: every bigram; longer runs: adjacent bigrams plus a last
// overlapping one (each bigram costs one index chunk on a first query).
export function encodeQuery(text) {
  const tokens = [];
  const plain = (part) => { for (const w of part.toLowerCase().split(/\s+/)) if (w) tokens.push(w); };
  let pos = 0;
  for (const m of text.matchAll(HAN)) {
    plain(text.slice(pos, m.index));
    const run = Array.from(m[0]).map(encodeChar);
    if (run.length <= 3) {
      if (run.length === 1) tokens.push(run[0]);
      else for (let i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
    } else {
      const starts = [];
      for (let i = 0; i < run.length - 1; i += 2) starts.push(i);
      if (starts[starts.length - 1] !== run.length - 2) starts.push(run.length - 2);
      for (const i of starts) tokens.push(run[i] + run[i + 1]);
    }
    pos = m.index + m[0].length;
  }
  plain(text.slice(pos));
  return tokens.join(" ");
}

// A run of Han characters cut into words, to rank pages by the words of a query typed as a
// sentence (search.js mostWords): the trade's words (`dict`, static/words.json) by longest
// match, the rest by `segmenter` (Intl.Segmenter: ICU's dictionary knows 之后 and 一遍, not 平账
// or 代扣), its single characters glued together again (平/账 -> 平账, 外/卡 -> 外卡); a character
// left alone (吗, 办) is no word. Without a segmenter the rest is one word.
export function cutRun(run, dict, segmenter) {
  const chars = Array.from(run);
  const longest = Math.max(0, ...[...dict].map((w) => w.length));
  const words = [];
  let rest = "";
  const flush = () => {
    if (!rest) return;
    const pieces = segmenter ? [...segmenter.segment(rest)].map((s) => s.segment) : [rest];
    let glued = "";
    for (const piece of [...pieces, ""]) {
      if (Array.from(piece).length === 1) { glued += piece; continue; }
      if (Array.from(glued).length > 1) words.push(glued);
      glued = "";
      if (piece) words.push(piece);
    }
    rest = "";
  };
  for (let i = 0; i < chars.length;) {
    let n = Math.min(longest, chars.length - i);
    while (n >= 2 && !dict.has(chars.slice(i, i + n).join(""))) n--;
    if (n >= 2) { flush(); words.push(chars.slice(i, i + n).join("")); i += n; }
    else { rest += chars[i]; i++; }
  }
  flush();
  return words;
}

// The words of a query typed as a sentence (cutRun), each as its overlapping bigrams encoded,
// and each other word (DCC) as itself: [[平账], [之后], [还要], [一遍]] for 平账之后还要再对一遍吗
// (还/要/再/对 glue to 还要再对: [还要, 要再, 再对]).
export function sentenceWords(text, dict, segmenter) {
  const words = [];
  const plain = (part) => { for (const w of part.toLowerCase().split(/\s+/)) if (w) words.push([w]); };
  let pos = 0;
  for (const m of text.matchAll(HAN)) {
    plain(text.slice(pos, m.index));
    for (const word of cutRun(m[0], dict, segmenter)) {
      const run = Array.from(word).map(encodeChar);
      words.push(run.slice(1).map((code, i) => run[i] + code));
    }
    pos = m.index + m[0].length;
  }
  plain(text.slice(pos));
  return words;
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
