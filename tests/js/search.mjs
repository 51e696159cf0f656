// The browser's search modules run by node over an index folder on disk (tests/test_search_parity.py).
// Usage: node tests/js/search.mjs [INDEX_DIR] < requests.json > answers.json
// A request is {"terms": text} (terms.js indexTerms), {"words": query} (query.js parse and
// cutSentence) or {"query": text, "filters": {...}, "top": n} (rank.js search, then take: the
// first n results search.js would show, [id, score, partial] each, and the sentence's cut words),
// or {"excerpt": text, "needles": [...]} (excerpt.js: the pieces' texts, marked ones in 【】).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL("../../site_templates/static/search/", import.meta.url));
const { indexTerms } = await import(join(here, "terms.js"));
const { openIndex } = await import(join(here, "index.js"));
const rank = await import(join(here, "rank.js"));
const query = await import(join(here, "query.js"));
const { excerpt } = await import(join(here, "excerpt.js"));

const folder = process.argv[2];
const load = async (path) => {
  try {
    return await readFile(join(folder, path));
  } catch (err) {
    if (err.code === "ENOENT") return null;
    throw err;
  }
};

async function shown(index, request) {
  const ranking = await rank.search(index, request.query, request.filters || {});
  const results = await rank.take(index, ranking, request.top || 10);
  return { results: results.map((r) => [r.id, r.score, r.partial]), some: ranking.some.map((w) => w.text) };
}

/** The words of a query as typed and as a sentence cut with the index's words.json. */
async function words(index, text) {
  const typed = query.parse(text);
  return { words: typed.map((w) => [w.text, w.terms, w.checked, w.quoted]),
           cut: query.cutSentence(typed, await index.words()).map((w) => w.text) };
}

const requests = JSON.parse(readFileSync(0, "utf8"));
const index = folder ? await openIndex(load) : null;
const answers = [];
for (const request of requests) {
  answers.push("terms" in request ? indexTerms(request.terms)
    : "excerpt" in request ? excerpt(request.excerpt, request.needles).map((p) => (p.mark ? `【${p.text}】` : p.text)).join("")
    : "words" in request ? await words(index, request.words) : await shown(index, request));
}
process.stdout.write(JSON.stringify(answers));
