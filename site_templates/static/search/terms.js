// The index's tokens of a text (mirrors chatmine/search/terms.py index_terms; a test runs
// both over the same strings): NFKC, lowercased; a run of Han characters as its overlapping
// bigrams (a lone character as itself), a run of ASCII letters and digits as one token.
/** The Han character class of chatmine.tokens.HAN (inside a RegExp character class, flag u). */
export const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
/** A Han run (group 1) or a run of ASCII letters and digits: terms.py TOKEN. */
export const TOKEN_SOURCE = `([${HAN}]+)|[a-z0-9]+`;
const TOKEN = new RegExp(TOKEN_SOURCE, "gu");
const HAN_RUN = new RegExp(`^[${HAN}]`, "u");

/** The text as the index reads it: NFKC, then lowercase. */
export function normalize(text) {
  return text.normalize("NFKC").toLowerCase();
}

/** The tokens of `text`, in order, repeats kept. */
export function indexTerms(text) {
  const terms = [];
  for (const [run] of normalize(text).matchAll(TOKEN)) {
    if (!HAN_RUN.test(run)) { terms.push(run); continue; }
    const chars = Array.from(run);
    if (chars.length === 1) terms.push(run);
    else for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
  }
  return terms;
}

/** Whether `text` (one character or more) is made of Han characters only. */
export function isHan(text) {
  return new RegExp(`^[${HAN}]+$`, "u").test(text);
}
