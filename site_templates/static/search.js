// Search box on the home page, over chatmine's own index (SITE/search/, docs/search.md).
// The modules (static/search/*.js) load on first use of the box; a query fetches meta.json,
// the shards of its terms and the display data of the results shown.
// A classic script, not a module: Chrome refuses module scripts from file://, and then the
// box would do nothing at all; this way a reader who opened the folder from disk is told why.
(() => {
const ROOT = document.body.dataset.root || "";
const KIND = { qa: "问答", talk: "讨论", article: "文章", day: "聊天记录" };
const PAGE = 6;
const SCRIPT_URL = document.currentScript.src;

let engine = null;
// The modules are asked for together (rank.js's imports among them) and meta.json beside them:
// one round trip each, not one after the other.
async function load() {
  if (!engine) {
    engine = (async () => {
      const base = new URL(ROOT + "search/", document.baseURI);
      const at = (name) => import(new URL(`search/${name}.js`, SCRIPT_URL).href);
      const meta = fetch(new URL("meta.json", base)).then((r) => (r.ok ? r.arrayBuffer() : null));
      const [index, rank, excerpt] = await Promise.all([at("index"), at("rank"), at("excerpt"), at("query"), at("terms")]);
      const fetchFile = index.fetchLoader(base);
      const opened = await index.openIndex((path) => (path === "meta.json" ? meta : fetchFile(path)));
      return { index: opened, rank, excerpt };
    })();
    engine.catch(() => { engine = null; });
  }
  return engine;
}

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const more = document.getElementById("search-more");
const filterBox = document.getElementById("search-filters");
const chosen = {};
let current = { serial: 0 };

function excerptNode(pieces) {
  const p = document.createElement("p");
  p.className = "excerpt";
  for (const piece of pieces) {
    if (piece.mark) { const m = document.createElement("mark"); m.textContent = piece.text; p.append(m); }
    else p.append(piece.text);
  }
  return p;
}

function resultNode(record, pieces) {
  const li = document.createElement("li");
  const badge = document.createElement("span");
  const kind = KIND[record.kind] ? record.kind : "day";
  badge.className = "kind " + kind;
  badge.textContent = KIND[kind];
  const a = document.createElement("a");
  a.className = "r-title";
  a.href = ROOT + record.url;
  a.textContent = record.title || record.url;
  const info = document.createElement("div");
  info.className = "meta";
  info.textContent = [record.date, record.group, record.topic].filter(Boolean).join(" · ");
  li.append(badge, a, info, excerptNode(pieces));
  return li;
}

// How many results: those holding every word (`exact`), those holding most (`partial`). Until
// every candidate's text has been read (`checked`), a count from which candidates lacking a
// word as written were dropped is an estimate ("约").
function summary(count) {
  const { exact, partial, misses, checked } = count;
  if (!exact && !partial) return "没有找到结果，换个说法试试？";
  if (!partial) return `找到${misses && !checked ? "约" : ""} ${exact} 条结果`;
  if (!exact) return `没有同时含有所有词语的结果；找到 ${partial} 条含有其中大部分的结果`;
  return `找到 ${exact} 条含有所有词语的结果，另有 ${partial} 条含有其中大部分`;
}

// The next PAGE results (rank.js take: a candidate lacking a word as written is dropped and
// the next one taken); each excerpt marks the query's words and the sentence's cut words.
async function showMore() {
  const state = current;
  const { engine: e, ranking, count } = state;
  const before = ranking.cursor || 0;
  const shown = await e.rank.take(e.index, ranking, PAGE);
  if (state !== current) return;
  const read = ranking.order.slice(before, ranking.cursor);
  const dropped = read.filter((hit) => !hit.partial).length - shown.filter((hit) => !hit.partial).length;
  count.exact -= dropped;
  count.misses = count.misses || dropped > 0;
  count.checked = ranking.cursor >= ranking.order.length;
  const marks = [...ranking.words, ...ranking.some].map((w) => w.text);
  for (const hit of shown) list.append(resultNode(hit.record, e.excerpt.excerpt(hit.record.text, marks)));
  status.textContent = summary(count);
  more.hidden = ranking.cursor >= ranking.order.length;
}

// `chosen`: the filters picked (rank.js search: name -> values, answered -> true).
async function run(query) {
  const serial = ++current.serial;
  current = { serial };
  const state = current;
  list.replaceChildren();
  more.hidden = true;
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "搜索中…";
  let e, ranking;
  try {
    e = await load();
    ranking = await e.rank.search(e.index, query, chosen);
  } catch (err) {
    if (state !== current) return;
    // Opened from disk (file://) the browser refuses to load the index.
    status.textContent = location.protocol === "file:"
      ? "直接打开文件时无法搜索：请用 chatmine serve 或任意网页服务器打开本站。"
      : "搜索索引加载失败，请稍后再试。";
    console.error(err);
    return;
  }
  if (state !== current) return;
  const partial = ranking.order.filter((hit) => hit.partial).length;
  Object.assign(state, { engine: e, ranking, count: { exact: ranking.order.length - partial, partial } });
  await showMore();
  if (state === current && ranking.order.length) showFilterToggle();
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

// The filter values are in meta.json, loaded with the first query.
async function buildFilters() {
  const { index } = await load();
  const all = index.meta.filters || {};
  filterBox.replaceChildren();
  for (const [name, label] of [["topic", "话题"], ["group", "群"], ["year", "年份"]]) {
    if (!all[name] || !all[name].length) continue;
    const select = document.createElement("select");
    select.setAttribute("aria-label", label);
    select.append(new Option(`全部${label}`, ""));
    for (const [value, count] of all[name]) select.append(new Option(`${value}（${count}）`, value));
    select.addEventListener("change", () => { chosen[name] = select.value ? [select.value] : []; run(input.value); });
    filterBox.append(select);
  }
  const answered = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.addEventListener("change", () => { chosen.answered = box.checked; run(input.value); });
  answered.append(box, " 只看有回答的问答");
  filterBox.append(answered);
}

if (input) {
  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 250); });
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  more.addEventListener("click", showMore);
  // The scripts and meta.json load as the reader starts to type, not after Enter.
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });
  const q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
}
})();
