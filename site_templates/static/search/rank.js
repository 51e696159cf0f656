// The one ranking (exact copy of chatmine/search/rank.py, whose docstring holds the rules:
// same steps, same sums in the same order, Python's rounding): BM25 x kind weight over the
// records holding every word; for a sentence few records hold whole, the records holding some
// of its terms follow (partial); checked words verified when a record's data is fetched (few
// candidates: at once, before rule 2 is decided).
import { KINDS } from "./index.js";
import { cutSentence, holds, parse } from "./query.js";
import { HAN, normalize } from "./terms.js";

export const K1 = 1.2;
export const B = 0.75;
/** B of rule 2 (partial records). */
export const SOME_B = 0.9;
/** Fewer candidates than this holding every word: records holding some of them follow. */
export const FEW = 5;
const FILTER = "\u0001";

/** Python's round(x, 6) for a score: the nearest multiple of 1e-6, read back as a float. */
export function round6(x) {
  return Number(x.toFixed(6));
}

/** What BM25 needs of meta.json. */
class Stats {
  constructor(meta, b = B) {
    this.b = b;
    this.n = meta.records;
    this.avgdl = meta.tokens / Math.max(this.n, 1);
    this.lengths = meta.lengths;
  }
  idf(df) { return Math.log(1 + (this.n - df + 0.5) / (df + 0.5)); }
  part(tf, doc) {
    const dl = this.lengths[doc >> 2];
    return tf * (K1 + 1) / (tf + K1 * (1 - this.b + this.b * dl / this.avgdl));
  }
}

/** A term's postings as a Map id -> [tf, doc], each term fetched once per query. */
function postingsOf(index) {
  const cache = new Map();
  const fetchTerm = async (term) => {
    const p = await index.postings(term);
    const table = new Map();
    for (let i = 0; i < p.ids.length; i++) table.set(p.ids[i], [p.tfs[i], p.docs[i]]);
    return table;
  };
  return (term) => {
    if (!cache.has(term)) cache.set(term, fetchTerm(term));
    return cache.get(term);
  };
}

/** The pseudo-term of a filter value; "answered" is a filter without values. */
function filterTerms(name, values) {
  return name === "answered" ? [`${FILTER}answered`] : values.map((v) => `${FILTER}${name}:${v}`);
}

/** Ids passing every filter (one of its values), null when there is no filter. */
async function allowedIds(postings, filters) {
  let allowed = null;
  for (const name of Object.keys(filters).sort()) {
    const values = filters[name];
    if (!values || (name === "answered" ? !values : !values.length)) continue;
    const ids = new Set();
    for (const table of await Promise.all(filterTerms(name, values).map(postings))) for (const id of table.keys()) ids.add(id);
    allowed = allowed === null ? ids : new Set([...allowed].filter((id) => ids.has(id)));
  }
  return allowed;
}

/** Ids holding every term (and allowed), ascending. */
async function holding(postings, terms, allowed) {
  const tables = (await Promise.all(terms.map(postings))).sort((a, b) => a.size - b.size);
  let ids = [...tables[0].keys()];
  for (const table of tables.slice(1)) ids = ids.filter((id) => table.has(id));
  if (allowed !== null) ids = ids.filter((id) => allowed.has(id));
  return ids.sort((a, b) => a - b);
}

const HAN_CHAR = new RegExp(`[${HAN}]`, "u");
const LONG_RUN = new RegExp(`[${HAN}]{6,}`, "u");

const best = (a, b) => b.score - a.score || b.id - a.id;

/** Rank the records of `index` for `query` (rules 1 and 2): {words, some, order: [{id, score, partial}]}.
 * `filters`: name -> values (group, topic, year), answered -> true. */
export async function search(index, query, filters = {}) {
  const words = parse(query);
  const ranking = { words, some: [], order: [] };
  if (!words.length) return ranking;
  const { meta } = index;
  const stats = new Stats(meta);
  const postings = postingsOf(index);
  const terms = [...new Set(words.flatMap((w) => w.terms))];
  // A long run of Chinese is likely a sentence no record holds whole: words.json (rule 2's
  // excerpt words) is fetched beside the shards, not after them.
  if (words.some((w) => !w.quoted && LONG_RUN.test(normalize(w.text)))) index.words().catch(() => {});
  // Every shard at once, the filters' and the terms': one round trip.
  const [allowed] = await Promise.all([allowedIds(postings, filters), ...terms.map(postings)]);
  let found = await holding(postings, terms, allowed);
  if (found.length < FEW && words.some((w) => w.checked)) { // rule 3 at once: few records to read
    const records = await Promise.all(found.map((id) => index.record(id)));
    found = found.filter((id, i) => holds(records[i].text, words));
  }
  const weights = meta.kinds;
  const tables = await Promise.all(terms.map(postings));
  const scored = found.map((id) => {
    let total = 0;
    const doc = tables[0].get(id)[1];
    for (const table of tables) total += stats.idf(table.size) * stats.part(table.get(id)[0], doc);
    return { id, score: round6(weights[KINDS[doc & 3]] * total), partial: false };
  });
  ranking.order = scored.sort(best);
  const quoted = words.some((w) => w.quoted);
  if (found.length < FEW && !quoted && (words.length >= 3 || (!found.length && terms.length >= 2))) {
    // words.json only when a word has Chinese to cut: DCC is cut without it.
    const chinese = words.some((w) => HAN_CHAR.test(normalize(w.text)));
    ranking.some = cutSentence(words, chinese ? await index.words() : new Set());
    ranking.order.push(...someTerms(tables, new Stats(meta, SOME_B), allowed, new Set(found)));
  }
  return ranking;
}

/** Rule 2: records holding some of the query's terms (`tables`, in the query's order), not in
 * `exclude`, best first: the sum of rule 1 over the terms they hold, with SOME_B, no kind weight. */
function someTerms(tables, stats, allowed, exclude) {
  const totals = new Map();
  for (const table of tables) {
    if (!table.size) continue;
    const idf = stats.idf(table.size);
    for (const [id, [tf, doc]] of table) {
      if (!exclude.has(id) && (allowed === null || allowed.has(id))) totals.set(id, (totals.get(id) || 0) + idf * stats.part(tf, doc));
    }
  }
  const scored = [];
  for (const [id, total] of totals) scored.push({ id, score: round6(total), partial: true });
  return scored.sort(best);
}

/** Whether a result's display data passes the phrase check (rule 3): partial ones always do. */
export function accepts(ranking, hit, record) {
  return hit.partial || holds(record.text, ranking.words);
}

/** The next `count` results that pass the phrase check: [{id, score, partial, record}];
 * `ranking.cursor` says how far `order` has been taken (call again for more). The records of
 * as many results as are still wanted are fetched at once, then checked in order. */
export async function take(index, ranking, count) {
  const out = [];
  ranking.cursor = ranking.cursor || 0;
  while (out.length < count && ranking.cursor < ranking.order.length) {
    const batch = ranking.order.slice(ranking.cursor, ranking.cursor + count - out.length);
    ranking.cursor += batch.length;
    const records = await Promise.all(batch.map((hit) => index.record(hit.id)));
    batch.forEach((hit, i) => { if (accepts(ranking, hit, records[i])) out.push({ ...hit, record: records[i] }); });
  }
  return out;
}
