// «Finn eksempler»: Pagefind search with facets. The state lives in the URL query
// (?q=…&region=…&innsatsomrade=…&sorter=nyeste), so a link can be shared and the back button works.
// Within one facet the chosen values are combined with OR, across facets with AND; the count next
// to each value is the number of hits you get when you tick it.
//
// The page arrives in its start state, made at build time (generator/pages/discovery.py): the
// facets with their counts and the newest examples. Nothing here changes it until the visitor
// searches, so nothing moves while the page loads.
const root = document.getElementById("eb-finn");
const config = JSON.parse(root.dataset.config);
const siteRoot = new URL(config.root, document.baseURI);
// Each hit shown needs its own small download (Pagefind's fragment, 1–2.5 KB): a search shows
// the first FIRST_SIZE, «Vis flere treff» PAGE_SIZE more each time.
const FIRST_SIZE = 5;
const PAGE_SIZE = 10;
const EXCERPT_WORDS = 30; // as Pagefind's own excerpts
const $ = (id) => document.getElementById(id);
const input = $("eb-finn-q"), facetBox = $("eb-fasetter"), list = $("eb-treffliste");
const heading = $("eb-antall"), more = $("eb-flere"), reset = $("eb-nullstill"), sorter = $("eb-sorter");
const filterButton = $("eb-filtrer");
const keys = config.facets.map(([key]) => key);
// Narrow screens: the facets are behind «Filtrer» (sok.css), so the hits follow the search field.
const wideQuery = window.matchMedia("(min-width: 45em)");
const touch = window.matchMedia("(pointer: coarse)").matches;
const openFacets = new Set([...facetBox.querySelectorAll("details[open]")].map((d) => d.dataset.key));
let pagefind, results = [], shown = 0, token = 0, staticMode = true, lastCounts = {};
// Facets whose filter data Pagefind has fetched: counted together with the hits from then on.
const fetchedFacets = new Set();

const norsk = new Intl.NumberFormat("nb-NO");
const plural = (n, one, many) => `${norsk.format(n)} ${n === 1 ? one : many}`;
const dateFormat = new Intl.DateTimeFormat("nb-NO", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

// The names of the facet values, from the facets the page arrived with (every value in use).
const labels = {};
for (const box of facetBox.querySelectorAll("input")) {
  (labels[box.name] ||= {})[box.value] = box.parentElement.firstChild.nextSibling.textContent.trim();
}
// The start state, to go back to when the search field and the filters are emptied.
const startFacets = [...facetBox.children].map((n) => n.cloneNode(true));
const startHits = [...list.children].map((n) => n.cloneNode(true));
const startCount = heading.textContent;

function readState() {
  const p = new URLSearchParams(location.search);
  const sel = {};
  for (const k of keys) sel[k] = p.getAll(k).filter(Boolean);
  return { q: (p.get("q") || "").trim(), sort: p.get("sorter") === "nyeste" ? "nyeste" : "", sel };
}

function writeState(state, push) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const k of keys) for (const v of state.sel[k]) p.append(k, v);
  if (state.sort) p.set("sorter", state.sort);
  const url = location.pathname + (p.toString() ? "?" + p : "");
  if (url !== location.pathname + location.search) {
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
}

// Only example pages carry facet values, so a ticked value already limits the hits to examples;
// `type` is needed only when there is no search word (Pagefind then lists what the filters match).
function filters(state, except) {
  const f = state.q ? {} : { type: "eksempel" };
  for (const k of keys) {
    if (k !== except && state.sel[k].length) f[k] = { any: state.sel[k] };
  }
  return f;
}

function hasFilters(state) { return keys.some((k) => state.sel[k].length); }
function selectedCount(state) { return keys.reduce((n, k) => n + state.sel[k].length, 0); }

// The facet panel: always shown on a wide screen; on a narrow one, when «Filtrer» has opened it.
function panelOpen() { return wideQuery.matches || filterButton.getAttribute("aria-expanded") === "true"; }

// Counts are fetched only for the facets a visitor sees: the open ones and those with a choice,
// in a panel that is shown. Pagefind downloads a facet's filter data (≈ 12 KB per facet at
// 5 000 examples) only when a search names that facet; `facet: []` names it without narrowing.
// A facet whose data is not fetched yet is counted after the hits are shown (run), so the hits
// do not wait for it.
function shownFacets(state) {
  return panelOpen() ? keys.filter((k) => openFacets.has(k) || state.sel[k].length) : [];
}

function naming(f, ks) {
  const out = { ...f };
  for (const k of ks) if (!(k in out)) out[k] = [];
  return out;
}

function syncOpen() {
  facetBox.querySelectorAll("details").forEach((d) => d.open ? openFacets.add(d.dataset.key) : openFacets.delete(d.dataset.key));
}

function showStart() {
  results = [];
  staticMode = true;
  lastCounts = {};
  facetBox.replaceChildren(...startFacets.map((n) => n.cloneNode(true)));
  facetBox.querySelectorAll("details").forEach((d) => { d.open = openFacets.has(d.dataset.key); });
  list.replaceChildren(...startHits.map((n) => n.cloneNode(true)));
  heading.textContent = startCount;
  reset.hidden = true;
  sorter.value = "nyeste";
  sorter.disabled = true;
  shown = startHits.length;
  more.hidden = shown >= config.total;
  labelFilterButton({ sel: Object.fromEntries(keys.map((k) => [k, []])) });
}

async function run(state, force) {
  const mine = ++token;
  if (!force && !state.q && !hasFilters(state)) { showStart(); return; }
  staticMode = false;
  syncOpen();
  const need = shownFacets(state);
  // A ticked facet's data is fetched for the search itself; the others' only once in view.
  const now = need.filter((k) => fetchedFacets.has(k) || state.sel[k].length);
  const later = need.filter((k) => !now.includes(k));
  // Without filters, a query searches every page (examples and pages about the reform).
  const base = filters(state);
  const newest = state.sort === "nyeste" || !state.q;
  const options = { filters: naming(base, now) };
  if (newest) options.sort = { dato: "desc" };
  const main = await pagefind.search(state.q || null, options);
  // Counts per shown facet: for a facet with a selection, count without that facet's own filter.
  // (Pages about the reform among the hits have no facet values: they add to no count.)
  const counts = {};
  for (const k of now) {
    if (state.sel[k].length) {
      const other = await pagefind.search(state.q || null, { filters: naming(filters(state, k), [k]) });
      counts[k] = other.filters[k] || {};
    } else {
      counts[k] = main.filters[k] || {};
    }
    fetchedFacets.add(k);
  }
  if (mine !== token) return;
  results = main.results;
  lastCounts = counts;
  renderFacets(state, counts, later);
  shown = 0;
  await showMore(mine, true, FIRST_SIZE);
  // The count (an aria-live region) changes only once the list it describes is in place.
  if (mine !== token) return;
  renderCount(state);
  if (!later.length) return;
  // The facets not counted yet: their filter data now, after the hits (the same search, with
  // the word's index already loaded).
  const rest = await pagefind.search(state.q || null, { filters: naming(base, later) });
  for (const k of later) fetchedFacets.add(k);
  if (mine !== token) return;
  for (const k of later) counts[k] = rest.filters[k] || {};
  renderFacets(state, counts);
}

function renderCount(state) {
  const n = results.length;
  const what = state.q || hasFilters(state) ? plural(n, "treff", "treff") : plural(n, "eksempel", "eksempler") + ", nyeste først";
  heading.textContent = n ? what.charAt(0).toUpperCase() + what.slice(1) : "Ingen treff. Prøv et annet ord eller fjern et filter.";
  reset.hidden = !hasFilters(state);
  sorter.value = state.sort || (state.q ? "relevans" : "nyeste");
  sorter.disabled = !state.q;
}

function labelFilterButton(state) {
  const n = selectedCount(state);
  filterButton.textContent = n ? `Filtrer (${n} valgt)` : "Filtrer";
}

function label(key, value) {
  return (labels[key] && labels[key][value]) || value;
}

// How each facet orders its values comes with the facet (generator/model/taxonomy.py):
// «newest» (years), «count» (most hits first), «labels» (the order the page arrived with).
const orders = Object.fromEntries(config.facets.map(([key, , order]) => [key, order]));

function orderedValues(key, counts, selected) {
  const values = new Set([...Object.keys(counts).filter((v) => counts[v] > 0), ...selected]);
  const known = Object.keys(labels[key] || {});
  if (orders[key] === "newest") return [...values].sort().reverse();
  if (orders[key] === "count") {
    return [...values].sort((a, b) => (counts[b] || 0) - (counts[a] || 0) || label(key, a).localeCompare(label(key, b), "nb"));
  }
  const at = (v) => { const i = known.indexOf(v); return i < 0 ? known.length : i; };
  return [...values].sort((a, b) => at(a) - at(b));
}

// The facets are rebuilt after every change; a keyboard user keeps focus on the same checkbox
// (or, if that value is gone, on its facet's heading) instead of being thrown back to the page top.
function focusedFacet() {
  const el = document.activeElement;
  if (!el || !facetBox.contains(el)) return null;
  const details = el.closest("details");
  return { key: details && details.dataset.key, name: el.name, value: el.tagName === "INPUT" ? el.value : null };
}

function restoreFocus(was) {
  if (!was) return;
  const box = was.value === null ? null : [...facetBox.querySelectorAll("input")]
    .find((b) => b.name === was.name && b.value === was.value);
  const summary = facetBox.querySelector(`details[data-key="${was.key}"] > summary`);
  (box || summary || heading).focus();
}

// The same markup as the start state's facets (templates/finn-eksempler.html). `pending`: facets
// being counted: they keep the values they show, without their (old) counts, and aria-busy.
function renderFacets(state, counts, pending = []) {
  const was = focusedFacet();
  syncOpen();
  labelFilterButton(state);
  const parts = [];
  for (const [key, title] of config.facets) {
    const old = pending.includes(key) && facetBox.querySelector(`details[data-key="${key}"]`);
    if (old) {
      old.setAttribute("aria-busy", "true");
      // Hidden, not removed: the lines keep their size, so nothing below them moves.
      for (const c of old.querySelectorAll(".eb-fasett__antall")) c.style.visibility = "hidden";
      parts.push(old);
      continue;
    }
    const selected = state.sel[key];
    const loaded = key in counts;
    const values = loaded ? orderedValues(key, counts[key], selected) : [];
    if (loaded && !values.length) continue;
    const details = document.createElement("details");
    details.dataset.key = key;
    details.className = "eb-fasett";
    details.open = openFacets.has(key);
    const summary = document.createElement("summary");
    summary.textContent = title + (selected.length ? ` (${selected.length} valgt)` : "");
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.className = "eb-skjult";
    legend.textContent = title;
    const ul = document.createElement("ul");
    for (const value of values) {
      const li = document.createElement("li");
      const lab = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = key;
      box.value = value;
      box.checked = selected.includes(value);
      const count = document.createElement("span");
      count.className = "eb-fasett__antall";
      count.textContent = norsk.format(counts[key][value] || 0);
      lab.append(box, " " + label(key, value) + " ", count);
      li.append(lab);
      ul.append(li);
    }
    if (loaded) {
      fieldset.append(legend, ul);
    } else {  // counted when opened (the toggle listener below)
      const wait = document.createElement("p");
      wait.className = "eb-fasett__venter";
      wait.textContent = "Henter valgene …";
      fieldset.append(legend, wait);
    }
    details.append(summary, fieldset);
    parts.push(details);
  }
  facetBox.replaceChildren(...parts);
  restoreFocus(was);
}

async function showMore(mine, fresh, size = PAGE_SIZE) {
  const batch = results.slice(shown, shown + size);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== token) return;
  const items = data.map(renderResult);
  if (fresh) list.replaceChildren(...items); else list.append(...items);
  shown += batch.length;
  more.hidden = shown >= results.length;
}

// -- excerpts -----------------------------------------------------------------------------
// Pagefind also indexed a copy of each page's words without æ/ø/å, after `config.marker`
// (search/relevance.py), so «trondelag» finds «Trøndelag». The excerpt is made here from the
// page's own text, before the marker: a hit in the copy is shown on the word it was made from.
// Pagefind's word positions count the text split at white space, as here.
const FOLD_1 = { "æ": "ae", "ø": "o" }, FOLD_2 = { "æ": "ae", "ø": "oe", "å": "aa" };
const bare = (w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
const folds = (w) => {
  const b = bare(w);
  return [b.replace(/[æø]/g, (c) => FOLD_1[c]), b.replace(/[æøå]/g, (c) => FOLD_2[c])];
};
// A word's occurrences after its first few on a page are indexed as a code that Pagefind reads
// as no word (search/relevance.py: `capped`, the same three strings): «(⁑code⁑).» → «(word).»
const CODE_START = "⁑", SIGNS = "!$%()+,-./:;=?@[]^`{|}\\";
const COMMON = "erntsialkodgmvfuphbåøjy", RARE = "cwxzqæéèêóòôüöäáàîí";
function decode(token) {
  const [before, code, after] = token.split(CODE_START);
  let out = "", upper = false, rare = false;
  for (const c of code) {
    if (c === "_") { upper = true; continue; }
    if (c === "~") { rare = true; continue; }
    const letter = (rare ? RARE : COMMON)[SIGNS.indexOf(c)] || "";
    out += upper ? letter.toUpperCase() : letter;
    upper = rare = false;
  }
  return before + out + (after || "");
}
const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function excerpt(d) {
  const words = d.content.split(/[\r\n\s]+/g);
  let end = words.indexOf(config.marker);
  if (end < 0) end = words.length;
  const coded = [];
  for (let i = 0; i < end; i++) {
    if (words[i].includes(CODE_START)) { words[i] = decode(words[i]); coded.push(i); }
  }
  let twins = null; // folded spelling → where the words it was made from are
  const score = new Map();
  for (const { location, balanced_score } of d.weighted_locations || []) {
    let at = [location];
    if (location >= end) {
      if (!twins) {
        twins = new Map();
        words.slice(0, end).forEach((w, i) => {
          if (/[æøå]/i.test(w)) for (const f of folds(w)) (twins.get(f) || twins.set(f, []).get(f)).push(i);
        });
      }
      at = twins.get(bare(words[location])) || [];
    }
    for (const i of at) score.set(i, (score.get(i) || 0) + (balanced_score || 1));
  }
  // A coded occurrence of a word that is a hit is a hit too (Pagefind has no position for it).
  if (coded.length && score.size) {
    const hit = new Map();
    for (const [i, s] of score) if (!hit.has(bare(words[i]))) hit.set(bare(words[i]), s);
    for (const i of coded) if (hit.has(bare(words[i]))) score.set(i, hit.get(bare(words[i])));
  }
  // The window of EXCERPT_WORDS words with the most weight of hits in it, as Pagefind picks it.
  let start = 0;
  if (end > EXCERPT_WORDS && score.size) {
    let best = -1, sum = 0;
    const at = (i) => score.get(i) || 0;
    for (let i = 0; i < EXCERPT_WORDS; i++) sum += at(i);
    for (let i = 0; i + EXCERPT_WORDS <= end; i++) {
      if (i > 0) sum += at(i + EXCERPT_WORDS - 1) - at(i - 1);
      if (sum > best) { best = sum; start = i; }
    }
  }
  const out = [];
  for (let i = start; i < Math.min(end, start + EXCERPT_WORDS); i++) {
    const w = escapeHtml(words[i]);
    out.push(score.has(i) ? `<mark>${w}</mark>` : w);
  }
  return out.join(" ");
}

function renderResult(d) {
  const li = document.createElement("li");
  li.className = "eb-treff";
  const h3 = document.createElement("h3");
  const a = document.createElement("a");
  a.href = d.url;
  a.textContent = d.meta.title || d.url;
  h3.append(a);
  li.append(h3);
  const f = d.filters || {};
  const kind = (f.type || [])[0];
  const meta = document.createElement("p");
  meta.className = "eb-treff__meta";
  meta.textContent = [
    config.kinds[kind] || config.kinds.side,
    (f.kommune || []).map((k) => label("kommune", k)).join(", "),
    (f.dato || []).map((iso) => dateFormat.format(new Date(iso + "T00:00:00Z")))[0],
  ].filter(Boolean).join(" · ");
  li.append(meta);
  if (kind !== "eksempel") li.classList.add("eb-treff--side");
  const text = document.createElement("p");
  // Our excerpt is the page's own text, HTML-escaped, with <mark> around hits.
  text.innerHTML = excerpt(d);
  li.append(text);
  return li;
}

function stateFromForm() {
  const sel = {};
  for (const k of keys) {
    sel[k] = [...facetBox.querySelectorAll(`input[name="${k}"]:checked`)].map((b) => b.value);
  }
  // Without a query the list is always newest first (the sort menu is disabled, whatever it shows).
  const sort = !sorter.disabled && sorter.value === "nyeste" && input.value.trim() ? "nyeste" : "";
  return { q: input.value.trim(), sort, sel };
}

// After Søk: the count and the first hits in view. On a phone the keyboard closes (it covers
// half the screen) and the page scrolls to the count if it is below the fold.
function bringHitsIntoView() {
  const box = heading.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight - 80) heading.scrollIntoView({ block: "start" });
}

let typing;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => { const s = stateFromForm(); writeState(s, false); run(s); }, 250);
});
$("eb-finn-skjema").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearTimeout(typing);
  if (touch) input.blur();
  const s = stateFromForm();
  writeState(s, true);
  await run(s);
  bringHitsIntoView();
});
filterButton.addEventListener("click", () => {
  const open = filterButton.getAttribute("aria-expanded") !== "true";
  filterButton.setAttribute("aria-expanded", String(open));
  // Opened after a search: count the facets that are now in view.
  if (open && !staticMode) run(stateFromForm());
});
// A facet opened for the first time since the last search: fetch its counts now. (Facets
// drawn open fire this too: they are counted already, or not shown — behind «Filtrer».)
facetBox.addEventListener("toggle", (ev) => {
  const d = ev.target;
  if (d.tagName !== "DETAILS") return;
  if (d.open) openFacets.add(d.dataset.key); else openFacets.delete(d.dataset.key);
  if (!d.open || staticMode || d.dataset.key in lastCounts || !panelOpen()) return;
  run(stateFromForm());
}, true);
facetBox.addEventListener("change", () => { const s = stateFromForm(); writeState(s, true); run(s); });
sorter.addEventListener("change", () => { const s = stateFromForm(); writeState(s, true); run(s); });
reset.addEventListener("click", () => {
  const s = { q: input.value.trim(), sort: "", sel: Object.fromEntries(keys.map((k) => [k, []])) };
  writeState(s, true);
  run(s);
});
more.addEventListener("click", async () => {
  if (!pagefind) return;
  if (!staticMode) return showMore(token);
  // «Vis flere» on the start view: now the full (empty-term) search is worth its download.
  const keep = shown;
  await run(readState(), true);
  while (shown < keep + 20 && shown < results.length) await showMore(token);
});
window.addEventListener("popstate", () => { const s = readState(); input.value = s.q; run(s); });

(async () => {
  const s = readState();
  input.value = s.q;
  // Arrived from a search elsewhere (the header, the home page): the start list is replaced by
  // the hits. «Vis flere» waits for them, so it does not jump up the page meanwhile.
  const searching = s.q || hasFilters(s);
  if (searching) more.hidden = true;
  // An empty search sent from elsewhere (the header's magnifier on a phone): type here.
  if (new URLSearchParams(location.search).has("q") && !s.q) input.focus();
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    // In the page, not in Pagefind's web worker: the worker is one more script to download
    // (pagefind-worker.js, 12 KB gzip) before the first hits, for searches that take a few ms.
    await pagefind.options({ baseUrl: siteRoot.pathname, ranking: config.ranking, noWorker: true });
    await pagefind.init();
  } catch (err) {
    heading.textContent = "Søket kunne ikke lastes. Bruk lenkene til regioner, kommuner og innsatsområder i menyen.";
    return;
  }
  if (searching) await run(s);
  root.dataset.klar = "ja";
})();
