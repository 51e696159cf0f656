// Search box on the home page: Pagefind, made precise for Chinese (see chatmine/webindex.py).
// The index holds every run of Han characters as overlapping bigrams written in ASCII;
// encodeQuery() turns a typed query into the same tokens, so 网联 never matches 联网 and
// 渠道对账 needs 渠道+道对+对账. Pagefind (library, wasm, index chunks) loads on first use.
const ROOT = document.body.dataset.root || "";
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
const KIND = { qa: ["问答", 0], article: ["文章", 1], day: ["聊天记录", 2] };
const PAGE = 8;

export function encodeChar(ch) {
  let n = ch.codePointAt(0);
  let out = "";
  for (let i = 0; i < 4; i++) { out = String.fromCharCode(97 + (n % 26)) + out; n = Math.floor(n / 26); }
  return out;
}

// Mirrors chatmine.webindex.encode_text (tests compare the two).
export function encodeQuery(text) {
  const spaced = text.trim().replace(HAN, (run) => {
    const chars = Array.from(run).map(encodeChar);
    const grams = chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
    return " " + grams.join(" ") + " ";
  });
  return spaced.split(/\s+/).filter(Boolean).join(" ");
}

// What to highlight: whole Han runs and words of the query, and each run's bigrams as a
// fallback (a page matches when it holds all bigrams, even apart).
function highlightTerms(query) {
  const terms = new Set();
  for (const word of query.toLowerCase().split(/[\s"“”'‘’,，。.!！?？、;；:：()（）]+/)) {
    if (!word) continue;
    terms.add(word);
    for (const run of word.match(HAN) || []) {
      const chars = Array.from(run);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i] + chars[i + 1]);
    }
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

// The excerpt: about 90 characters of the record's own text around the first hit, as DOM
// nodes (text is never parsed as HTML).
function excerptNode(text, terms) {
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) { at = lower.indexOf(t); if (at >= 0) break; }
  const start = Math.max(0, at - 30);
  const slice = text.slice(start, start + 100).replace(/\s+/g, " ");
  const sliceLower = slice.toLowerCase();
  const marked = new Array(slice.length).fill(false);
  for (const t of terms) {
    for (let i = sliceLower.indexOf(t); i >= 0; i = sliceLower.indexOf(t, i + t.length)) {
      for (let j = i; j < i + t.length; j++) marked[j] = true;
    }
  }
  const p = document.createElement("p");
  p.className = "excerpt";
  if (start > 0) p.append("…");
  let i = 0;
  while (i < slice.length) {
    let j = i;
    while (j < slice.length && marked[j] === marked[i]) j++;
    if (marked[i]) { const m = document.createElement("mark"); m.textContent = slice.slice(i, j); p.append(m); }
    else p.append(slice.slice(i, j));
    i = j;
  }
  if (start + 100 < text.length) p.append("…");
  return p;
}

let pagefind = null;
async function loadPagefind() {
  if (!pagefind) {
    pagefind = await import(new URL(ROOT + "pagefind/pagefind.js", document.baseURI).href);
    // No worker: it would be one more 41 KB download on the first query.
    await pagefind.options({ noWorker: true, excerptLength: 20 });
  }
  return pagefind;
}

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const more = document.getElementById("search-more");
const filterBox = document.getElementById("search-filters");
const chosen = {};
let current = { results: [], shown: 0, terms: [], serial: 0 };

function resultNode(data, terms) {
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
  li.append(badge, a, info, excerptNode(meta.text || "", terms));
  return li;
}

async function showMore() {
  const { serial } = current;
  const batch = current.results.slice(current.shown, current.shown + PAGE);
  const datas = await Promise.all(batch.map((r) => r.data()));
  if (serial !== current.serial) return;
  // Within a page, Q&A before articles before day logs (ranking already weights them so).
  datas.sort((x, y) => (KIND[x.meta.kind] || KIND.day)[1] - (KIND[y.meta.kind] || KIND.day)[1]);
  for (const d of datas) list.append(resultNode(d, current.terms));
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

async function run(query) {
  const serial = ++current.serial;
  const encoded = encodeQuery(query);
  list.replaceChildren();
  more.hidden = true;
  if (!encoded) { status.textContent = ""; return; }
  status.textContent = "搜索中…";
  const pf = await loadPagefind();
  const filters = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v));
  const search = await pf.search(encoded, { filters });
  if (serial !== current.serial) return;
  current = { results: search.results, shown: 0, terms: highlightTerms(query), serial };
  status.textContent = search.results.length ? `找到 ${search.results.length} 条结果` : "没有找到结果，换个说法试试？";
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
