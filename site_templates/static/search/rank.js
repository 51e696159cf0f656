// The one ranking (mirrors chatmine/searching/rank.py): BM25 over the index terms of a query's
// words, times the record kind's weight, for the records holding every term (and every filter
// value asked for); score rounded to 1e-6, ties newest (largest id) first.
import { KINDS } from "./index.js";

export const K1 = 1.2;
export const B = 0.75;

/** Where `id` sits in the ascending `ids`, or -1. */
function find(ids, id) {
  let lo = 0, hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] === id) return mid;
    if (ids[mid] < id) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** idf of a term held by `df` of `n` records. */
export function idf(n, df) {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The pseudo-terms of the chosen filters: {group, topic, year: value or "", answered: bool}. */
export function filterTerms(filters) {
  const terms = [];
  for (const name of ["group", "topic", "year"]) if (filters && filters[name]) terms.push(`\u0001${name}:${filters[name]}`);
  if (filters && filters.answered) terms.push("\u0001answered");
  return terms;
}

/** The records holding every term of `terms` and every filter value: [{id, score}], best first. */
export async function rankTerms(index, terms, filters) {
  const { meta } = index;
  const lists = await Promise.all([...terms, ...filterTerms(filters)].map((t) => index.postings(t)));
  if (!lists.length || lists.some((p) => !p.ids.length)) return [];
  const scored = lists.slice(0, terms.length);
  const shortest = lists.reduce((a, b) => (b.ids.length < a.ids.length ? b : a));
  const avg = meta.tokens / meta.records;
  const idfs = scored.map((p) => idf(meta.records, p.ids.length));
  const hits = [];
  for (const id of shortest.ids) {
    const at = lists.map((p) => find(p.ids, id));
    if (at.some((i) => i < 0)) continue;
    const doc = scored[0].docs[at[0]];
    const norm = K1 * (1 - B + B * meta.lengths[doc >> 2] / avg);
    let score = 0;
    for (let t = 0; t < scored.length; t++) {
      const tf = scored[t].tfs[at[t]];
      score += idfs[t] * tf * (K1 + 1) / (tf + norm);
    }
    score *= meta.kinds[KINDS[doc & 3]];
    hits.push({ id, score: Math.round(score * 1e6) / 1e6 });
  }
  return hits.sort((a, b) => b.score - a.score || b.id - a.id);
}

/** A query's words ranked: the records holding every term of every word. */
export async function rank(index, words, filters) {
  return rankTerms(index, [...new Set(words.flatMap((w) => w.terms))], filters);
}
