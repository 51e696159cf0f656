// The search index as the browser reads it (docs/search.md, written by chatmine/search/write.py).
// `load(path)` fetches a file of the index folder: an ArrayBuffer, or null when there is none (a
// missing shard holds no term); node passes a reader of the folder, the browser `fetchLoader`.
export const KINDS = ["qa", "talk", "article", "day"];
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** fnv1a32 of the term's UTF-8 bytes, the hash that picks its shard. */
export function fnv1a32(bytes) {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The shard file holding `term` among `shards` (meta.json): t/XYZ.bin, lowercase hex, at least
 * three digits (layout.py shard_path). */
export function shardPath(term, shards) {
  return `t/${(fnv1a32(utf8.encode(term)) % shards).toString(16).padStart(3, "0")}.bin`;
}

/** The display data file of record `id`. */
export function recordPath(id) {
  return `r/${Math.floor(id / 1000)}/${id}.json`;
}

/** An unsigned LEB128 reader over `bytes` from `pos`. */
function reader(bytes, pos = 0) {
  return {
    get pos() { return pos; },
    varint() {
      let value = 0, scale = 1, b;
      do {
        b = bytes[pos++];
        if (b === undefined) throw new Error("search index: shard ends inside a number");
        value += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
      return value;
    },
  };
}

/** A shard's terms -> their postings' bytes (docs/search.md). */
export function readShard(buffer) {
  const bytes = new Uint8Array(buffer);
  const r = reader(bytes);
  const count = r.varint();
  const names = [];
  let pos = r.pos, width = 1, start = 0;
  for (let i = 0; i < count; i++) {
    const end = bytes.indexOf(0, pos);
    names.push(text.decode(bytes.subarray(pos, end)));
    pos = end + 1;
  }
  while (bytes.length >= 256 ** width) width++;
  const base = pos + count * width, terms = new Map();
  for (const name of names) {
    let end = 0;
    for (let k = width; k--;) end = end * 256 + bytes[pos + k];
    pos += width;
    terms.set(name, bytes.subarray(base + start, base + end));
    start = end;
  }
  if (base + start > bytes.length) throw new Error("search index: shard too short");
  return terms;
}

/** A term's postings: {ids, tfs, docs}, ids ascending (Int32Array, Uint8Array, Uint8Array). */
export function readPostings(bytes) {
  const df = bytes.filter((b) => b < 0x80).length / 3; // a number's last byte is < 128
  const ids = new Int32Array(df), tfs = new Uint8Array(df), docs = new Uint8Array(df);
  const r = reader(bytes);
  let id = 0;
  for (let i = 0; i < df; i++) {
    id += r.varint();
    ids[i] = id;
    tfs[i] = r.varint();
    docs[i] = r.varint();
  }
  if (r.pos !== bytes.length) throw new Error("search index: postings do not match their count");
  return { ids, tfs, docs };
}

const NONE = { ids: new Int32Array(0), tfs: new Uint8Array(0), docs: new Uint8Array(0) };

/** The index folder read through `load`: meta, then postings and records on demand (cached). */
export async function openIndex(load) {
  const meta = JSON.parse(text.decode(await required(load, "meta.json")));
  if (meta.format !== 2) throw new Error(`search index: format ${meta.format}, this script reads format 2`);
  const shards = new Map();
  const records = new Map();
  let words = null;
  const shard = (path) => {
    if (!shards.has(path)) shards.set(path, load(path).then((b) => (b ? readShard(b) : new Map())));
    return shards.get(path);
  };
  return {
    meta,
    /** The postings of `term` (empty when no record holds it). */
    async postings(term) {
      const bytes = (await shard(shardPath(term, meta.shards))).get(term);
      return bytes ? readPostings(bytes) : NONE;
    },
    /** The display data of record `id`: {title, url, date, group, topic, kind, text, source, line}. */
    record(id) {
      if (!records.has(id)) records.set(id, required(load, recordPath(id)).then((b) => JSON.parse(text.decode(b))));
      return records.get(id);
    },
    /** The trade's words for cutting a sentence (words.json), fetched the first time it is asked for. */
    words() {
      words = words || load("words.json").then((b) => new Set(b ? JSON.parse(text.decode(b)) : []));
      return words;
    },
  };
}

async function required(load, path) {
  const bytes = await load(path);
  if (!bytes) throw new Error(`search index: ${path} is missing`);
  return bytes;
}

/** The browser's loader for the index folder at `base` (a URL): 404 is null, other failures throw. */
export function fetchLoader(base) {
  return async (path) => {
    const response = await fetch(new URL(path, base));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`search index: ${path}: HTTP ${response.status}`);
    return response.arrayBuffer();
  };
}
