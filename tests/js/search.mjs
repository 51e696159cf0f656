// The browser's search modules run by node over an index folder on disk (tests/test_search_parity.py).
// Usage: node tests/js/search.mjs [INDEX_DIR] < requests.json > answers.json
// A request is {"terms": text} (terms.js indexTerms) or {"query": text, "filters": {...}, "top": n}
// (the first n results search.js would show: candidates checked against their text as there).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL("../../site_templates/static/search/", import.meta.url));
const { indexTerms } = await import(join(here, "terms.js"));
const { openIndex } = await import(join(here, "index.js"));
const find = await import(join(here, "find.js"));

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
  const found = await find.find(index, request.query, request.filters || {});
  const out = [];
  for (const hit of found.hits) {
    if (out.length >= (request.top || 10)) break;
    if (find.accepts(await index.record(hit.id), hit, found)) out.push(hit.id);
  }
  return { ids: out, exact: found.exact, partial: found.partial };
}

const requests = JSON.parse(readFileSync(0, "utf8"));
const index = folder ? await openIndex(load) : null;
const answers = [];
for (const request of requests) {
  answers.push("terms" in request ? indexTerms(request.terms) : await shown(index, request));
}
process.stdout.write(JSON.stringify(answers));
