// Search box on the home page: Pagefind, made precise for Chinese (see chatmine/webindex.py).
// The index holds every run of Han characters as overlapping bigrams written in ASCII;
// encodeQuery() turns a typed query into the same tokens, so 网联 never matches 联网 and
// 渠道对账 needs 渠道 and 对账. Pagefind (library, wasm, index chunks) loads on first use.
// A classic script, not a module: Chrome refuses module scripts from file://, and then the
// box would do nothing at all; this way a reader who opened the folder from disk is told why.
(() => {
const ROOT = document.body.dataset.root || "";
const KIND = { qa: ["问答", 0], talk: ["讨论", 0], article: ["文章", 1], day: ["聊天记录", 2] };
const PAGE = 6;
// Fewer pages than this hold every word of a query of three words or more: the pages holding
// most of them are listed after those ("网联 断直连 什么时候" has one page with all of them on the
// whole archive; a reader wants the discussions of 断直连 too).
const FEW = 5;

// Pagefind's excerpt as DOM nodes: decoded to Chinese, hits in <mark>, never parsed as live HTML
// (DOMParser documents are inert; only their text is kept).
function excerptNode(excerpt) {
  const toText = (html) => new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  const p = document.createElement("p");
  p.className = "excerpt";
  for (const piece of codec.decodeExcerpt(excerpt || "", toText)) {
    if (piece.mark) { const m = document.createElement("mark"); m.textContent = piece.text; p.append(m); }
    else p.append(piece.text);
  }
  return p;
}

let pagefind = null;
let codec = null;
const SCRIPT_URL = document.currentScript.src;
async function loadPagefind() {
  if (!pagefind) {
    codec = await import(new URL("encode.js", SCRIPT_URL).href);
    pagefind = await import(new URL(ROOT + "pagefind/pagefind.js", document.baseURI).href);
    // No worker: it would be one more 41 KB download on the first query.
    await pagefind.options({ noWorker: true, excerptLength: 48 });
  }
  return pagefind;
}

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const more = document.getElementById("search-more");
const filterBox = document.getElementById("search-filters");
const chosen = {};
let current = { results: [], shown: 0, serial: 0 };

function resultNode(data) {
  const meta = data.meta || {};
  const li = document.createElement("li");
  const kind = KIND[meta.kind] || KIND.day;
  const badge = document.createElement("span");
  badge.className = "kind " + (meta.kind || "day");
  badge.textContent = kind[0];
  const a = document.createElement("a");
  a.className = "r-title";
  a.href = ROOT + (meta.href || data.url.replace(/^\//, ""));
  a.textContent = meta.title || a.href;
  const info = document.createElement("div");
  info.className = "meta";
  info.textContent = [meta.date, meta.group, meta.topic].filter(Boolean).join(" · ");
  li.append(badge, a, info, excerptNode(data.excerpt));
  return li;
}

// The trade's words (static/words.json, fetched the first time a query needs cutting, not on
// every first query) and the browser's segmenter, to cut a query typed as a sentence (sentence.js cutRun).
let dict = null;
let sentence = null;
const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
async function sentenceWords(query) {
  if (!dict) {
    const words = fetch(new URL("words.json", SCRIPT_URL).href).then((r) => (r.ok ? r.json() : []), () => []);
    sentence = await import(new URL("sentence.js", SCRIPT_URL).href);
    dict = new Set(await words);
  }
  return sentence.sentenceWords(query, dict, segmenter);
}

// For a word it cannot find, Pagefind searches for the longest of its prefixes it can
// (pagefind#315): 丁丁丁 found pages holding 丁, or a character whose code begins like 丁's.
// A word is in the index wherever it occurs or nowhere, so the first result tells: if it
// lacks a word of the query, every result does, and nothing matches the query.
async function holdsEveryWord(result, encoded) {
  result.loaded = await result.data();
  const words = result.loaded.content.toLowerCase().split(/[^a-z0-9]+/);
  return encoded.split(/[^a-z0-9]+/).filter(Boolean).every((q) => words.some((w) => w.startsWith(q)));
}

// A question typed whole ("平账之后还要再对吗") seldom has all its words in one page, and
// Pagefind returns only pages holding every word. Then the query is cut into words
// (sentence.js sentenceWords: 平账 / 之后 / 还要再对 / 一遍, 吗 dropped), each word into its pairs, each
// pair searched alone, and the pages holding enough pairs (below) are ranked by what
// they hold of each word: its share of the word's pairs, times the word's weight, which is its
// rarest pair's idf squared (as in Lucene's classic TF-IDF; idf = ln(1 + pages / pages holding
// it)). "外卡收单 DCC": the pages on DCC and 外卡 come before those on 外卡收单 alone. Cut into
// words, a pair across two of them (遍吗 of 一遍吗, rare and meaningless) is never searched, and
// 平账, the rare word the question is about, weighs as a word, where counting the pairs of one
// run of Chinese put a page on 无人货架 that happens to say 还要 and 一遍 first.
// `groups`: the query's words, each as its encoded pairs.
async function mostWords(pf, groups, filters) {
  const words = [...new Set(groups.flat())];
  if (words.length < 3) return [];
  const total = Number(input.dataset.pages) || 1;
  const found = new Map();
  for (const word of words) {
    const search = await pf.search(word, { filters });
    if (search.results.length && (await holdsEveryWord(search.results[0], word))) found.set(word, search.results);
  }
  const pages = new Map();
  for (const group of groups) {
    const held = group.filter((w) => found.has(w));
    if (!held.length) continue;
    const rarest = Math.min(...held.map((w) => found.get(w).length));
    const weight = Math.log(1 + total / rarest) ** 2 / group.length;
    for (const word of held) {
      for (const r of found.get(word)) {
        const page = pages.get(r.id) || { result: r, words: new Set(), weight: 0, score: 0 };
        if (page.words.has(word)) continue;  // a pair typed twice counts once
        page.words.add(word);
        page.weight += weight;
        page.score += r.score;
        pages.set(r.id, page);
      }
    }
  }
  // Enough: two pairs, or one for every three words of a long sentence (a word of three or four
  // characters is two or three pairs: counting pairs, 对账文件 would ask for more than 对账 and 文件).
  const enough = Math.max(2, Math.ceil(groups.length / 3));
  return [...pages.values()].filter((p) => p.words.size >= enough)
    .sort((a, b) => b.weight - a.weight || b.score - a.score).map((p) => p.result);
}

// Pagefind's excerpt of a page found by one word marks that word only. For pages listed
// for holding most words: the stretch of EXCERPT tokens holding the most distinct words,
// each occurrence marked (the same <mark> form Pagefind writes, so one decoder serves).
const EXCERPT = 40;
function excerptOfWords(content, words) {
  const tokens = content.split(/\s+/).filter(Boolean);
  const hit = tokens.map((t) => {
    const lower = t.toLowerCase();
    return words.findIndex((w) => lower.startsWith(w));
  });
  let best = 0, bestCount = -1;
  for (let start = 0; start < Math.max(1, tokens.length - EXCERPT + 1); start++) {
    const count = new Set(hit.slice(start, start + EXCERPT).filter((i) => i >= 0)).size;
    if (count > bestCount) { best = start; bestCount = count; }
  }
  const escape = (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return tokens.slice(best, best + EXCERPT)
    .map((t, i) => (hit[best + i] >= 0 ? `<mark>${escape(t)}</mark>` : escape(t))).join(" ");
}

async function showMore() {
  const { serial, words } = current;
  const batch = current.results.slice(current.shown, current.shown + PAGE);
  const datas = await Promise.all(batch.map(async (r) => (r.loaded = r.loaded || await r.data())));
  if (serial !== current.serial) return;
  if (words) for (const d of datas) d.excerpt = excerptOfWords(d.content, words);
  // Within a page, pages holding every word first, Q&A before articles before day logs
  // (ranking already weights them so); then those holding most words, in their own order
  // (mostWords: what they hold outweighs what kind of page holds it).
  const rank = (d, i) => (batch[i].partial ? 10 + i : (KIND[d.meta.kind] || KIND.day)[1]);
  const order = datas.map((d, i) => [rank(d, i), i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  datas.splice(0, datas.length, ...order.map(([, i]) => datas[i]));
  for (const d of datas) list.append(resultNode(d));
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

async function run(query) {
  const serial = ++current.serial;
  list.replaceChildren();
  more.hidden = true;
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "搜索中…";
  let search;
  try {
    const pf = await loadPagefind();
    const encoded = codec.encodeQuery(query);
    const filters = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v));
    search = await pf.search(encoded, { filters });
    if (search.results.length && !(await holdsEveryWord(search.results[0], encoded))) search = { results: [] };
    if (search.results.length < FEW) {
      const grouped = await sentenceWords(query);
      const words = [...new Set(grouped.flat())];
      const exact = new Set(search.results.map((r) => r.id));
      const some = (await mostWords(pf, grouped, filters)).filter((r) => !exact.has(r.id));
      for (const r of some) r.partial = true;
      if (some.length) search = { results: [...search.results, ...some], exact: exact.size, partial: some.length, words };
    }
  } catch (err) {
    // Opened from disk (file://) the browser refuses to load the index.
    status.textContent = location.protocol === "file:"
      ? "直接打开文件时无法搜索：请用 chatmine serve 或任意网页服务器打开本站。"
      : "搜索索引加载失败，请稍后再试。";
    return;
  }
  if (serial !== current.serial) return;
  current = { results: search.results, shown: 0, serial, words: search.words };
  status.textContent = !search.results.length ? "没有找到结果，换个说法试试？"
    : search.partial && !search.exact ? `没有同时含有所有词语的结果；找到 ${search.results.length} 条含有其中大部分的结果`
    : search.partial ? `找到 ${search.exact} 条含有所有词语的结果，另有 ${search.partial} 条含有其中大部分`
    : `找到 ${search.results.length} 条结果`;
  await showMore();
  if (search.results.length) showFilterToggle();
}

function showFilterToggle() {
  if (filterBox.dataset.ready) return;
  filterBox.dataset.ready = "1";
  filterBox.hidden = false;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "more";
  button.textContent = "按话题、群、年份筛选";
  button.addEventListener("click", buildFilters, { once: true });
  filterBox.append(button);
}

// Filter values load only when asked for: they are not needed for a first query.
async function buildFilters() {
  const pf = await loadPagefind();
  const all = await pf.filters();
  filterBox.replaceChildren();
  for (const [name, label] of [["topic", "话题"], ["group", "群"], ["year", "年份"]]) {
    if (!all[name]) continue;
    const select = document.createElement("select");
    select.setAttribute("aria-label", label);
    select.append(new Option(`全部${label}`, ""));
    for (const value of Object.keys(all[name]).sort()) select.append(new Option(`${value}（${all[name][value]}）`, value));
    select.addEventListener("change", () => { chosen[name] = select.value ? [select.value] : null; run(input.value); });
    filterBox.append(select);
  }
}

if (input) {
  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 250); });
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  more.addEventListener("click", showMore);
  const q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
}
})();
