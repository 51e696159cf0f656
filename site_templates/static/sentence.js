// A query typed as a sentence, cut into words (search.js mostWords). Loaded with
// static/words.json only when a query needs cutting, not on every first query.
import { encodeChar, queryPieces } from "./encode.js";

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
// and each other word (DCC) as itself: [[平账], [之后], [还要, 要再, 再对], [一遍]] for
// 平账之后还要再对一遍吗 (还/要/再/对 glue to 还要再对).
export function sentenceWords(text, dict, segmenter) {
  const words = [];
  for (const { han, word } of queryPieces(text)) {
    if (!han) { words.push([word]); continue; }
    for (const cut of cutRun(han, dict, segmenter)) {
      const run = Array.from(cut).map(encodeChar);
      words.push(run.slice(1).map((code, i) => run[i] + code));
    }
  }
  return words;
}
