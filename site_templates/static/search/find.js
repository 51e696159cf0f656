// A typed query -> the ranked records to show (search.js pages through them): the query's
// words (query.js), the records holding them ranked (rank.js), each candidate then checked
// against its text when its display data arrives.
import { holdsPhrases, queryWords } from "./query.js";
import { rank } from "./rank.js";

/** The ranked records for `query` under `filters`: {words, hits: [{id, score}], exact, partial, dropped(hit)}. */
export async function find(index, query, filters) {
  const words = queryWords(query);
  const hits = words.length ? await rank(index, words, filters) : [];
  const found = { words, hits, exact: hits.length, partial: 0 };
  found.dropped = (hit) => { if (hit.partial) found.partial--; else found.exact--; };
  return found;
}

/** Whether `record` (display data of `hit`) holds the query's checked words as written. */
export function accepts(record, hit, found) {
  return hit.partial || holdsPhrases(record.text, found.words);
}

/** The strings to mark in `record`'s excerpt: the query's words. */
export function marks(record, found) {
  return found.words.map((w) => w.text);
}
