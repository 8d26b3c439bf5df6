// «Finn eksempler»: Pagefind search with facets. The state lives in the URL query
// (?q=…&region=…&innsatsomrade=…&sorter=nyeste), so a link can be shared and the back button works.
// Within one facet the chosen values are combined with OR, across facets with AND; the count next
// to each value is the number of hits you get when you tick it.
const root = document.getElementById("eb-finn");
const config = JSON.parse(root.dataset.config);
const siteRoot = new URL(config.root, document.baseURI);
// Hits are shown 10 at a time: each needs its own small download (Pagefind's fragment).
const PAGE_SIZE = 10;
const $ = (id) => document.getElementById(id);
const input = $("eb-finn-q"), facetBox = $("eb-fasetter"), list = $("eb-treffliste");
const heading = $("eb-antall"), more = $("eb-flere"), reset = $("eb-nullstill"), sorter = $("eb-sorter");
const keys = config.facets.map(([key]) => key);
// On a phone the facets start closed (with «(1 valgt)» in the heading), so the hits are near the top.
const wide = window.matchMedia("(min-width: 45em)").matches;
const openFacets = new Set(wide ? ["innsatsomrade", "region"] : []);
let pagefind, results = [], shown = 0, token = 0, staticMode = false, lastCounts = {};

const norsk = new Intl.NumberFormat("nb-NO");
const plural = (n, one, many) => `${norsk.format(n)} ${n === 1 ? one : many}`;

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

// Counts are fetched only for the facets that show them: the open ones and those with a choice.
// Pagefind downloads a facet's filter data (≈ 10 KB per facet at 5 000 examples) only when a
// search names that facet; `facet: []` names it without narrowing the hits.
function shownFacets(state) { return keys.filter((k) => openFacets.has(k) || state.sel[k].length); }

function naming(f, ks) {
  const out = { ...f };
  for (const k of ks) if (!(k in out)) out[k] = [];
  return out;
}

function syncOpen() {
  facetBox.querySelectorAll("details").forEach((d) => d.open ? openFacets.add(d.dataset.key) : openFacets.delete(d.dataset.key));
}

// Before anything is typed or ticked, the page shows what the build computed (facet totals and
// the newest examples): an empty Pagefind search would download every index chunk at once.
function showStart(state) {
  const start = config.start;
  results = [];
  staticMode = true;
  lastCounts = start.counts;
  renderFacets(state, start.counts);
  heading.textContent = start.total ? plural(start.total, "eksempel", "eksempler") + ", nyeste først" : "Ingen eksempler ennå.";
  reset.hidden = true;
  sorter.value = "nyeste";
  sorter.disabled = true;
  list.replaceChildren(...start.newest.map((d) => renderResult({ url: d.url, excerpt: d.excerpt, meta: { title: d.title, sted: d.sted, dato: d.dato } })));
  shown = start.newest.length;
  more.hidden = shown >= start.total;
}

async function run(state, force) {
  const mine = ++token;
  if (!force && !state.q && !hasFilters(state)) { showStart(state); return; }
  staticMode = false;
  syncOpen();
  const need = shownFacets(state);
  // Without filters, a query searches every page (examples and pages about the reform).
  const base = filters(state);
  const newest = state.sort === "nyeste" || !state.q;
  const options = { filters: naming(base, need) };
  if (newest) options.sort = { dato: "desc" };
  const main = await pagefind.search(state.q || null, options);
  // Counts per shown facet: for a facet with a selection, count without that facet's own filter.
  // (Pages about the reform among the hits have no facet values: they add to no count.)
  const counts = {};
  for (const k of need) {
    if (state.sel[k].length) {
      const other = await pagefind.search(state.q || null, { filters: naming(filters(state, k), [k]) });
      counts[k] = other.filters[k] || {};
    } else {
      counts[k] = main.filters[k] || {};
    }
  }
  if (mine !== token) return;
  results = main.results;
  lastCounts = counts;
  renderFacets(state, counts);
  list.replaceChildren();
  shown = 0;
  await showMore(mine);
  // The count (an aria-live region) changes only once the list it describes is in place.
  if (mine === token) renderCount(state);
}

function renderCount(state) {
  const n = results.length;
  const what = state.q || hasFilters(state) ? plural(n, "treff", "treff") : plural(n, "eksempel", "eksempler") + ", nyeste først";
  heading.textContent = n ? what.charAt(0).toUpperCase() + what.slice(1) : "Ingen treff. Prøv et annet ord eller fjern et filter.";
  reset.hidden = !hasFilters(state);
  sorter.value = state.sort || (state.q ? "relevans" : "nyeste");
  sorter.disabled = !state.q;
}

function label(key, value) {
  return (config.labels[key] && config.labels[key][value]) || value;
}

// How each facet orders its values comes with the facet (generator/model/taxonomy.py):
// «newest» (years), «count» (most hits first), «labels» (the order of the labels).
const orders = Object.fromEntries(config.facets.map(([key, , order]) => [key, order]));

function orderedValues(key, counts, selected) {
  const values = new Set([...Object.keys(counts).filter((v) => counts[v] > 0), ...selected]);
  const known = Object.keys(config.labels[key] || {});
  if (orders[key] === "newest") return [...values].sort().reverse();
  if (orders[key] === "count") {
    return [...values].sort((a, b) => (counts[b] || 0) - (counts[a] || 0) || label(key, a).localeCompare(label(key, b), "nb"));
  }
  return [...values].sort((a, b) => known.indexOf(a) - known.indexOf(b));
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

function renderFacets(state, counts) {
  const was = focusedFacet();
  facetBox.querySelectorAll("details").forEach((d) => d.open ? openFacets.add(d.dataset.key) : openFacets.delete(d.dataset.key));
  const parts = [];
  for (const [key, title] of config.facets) {
    const selected = state.sel[key];
    const loaded = key in counts;
    const values = loaded ? orderedValues(key, counts[key], selected) : [];
    if (loaded && !values.length) continue;
    const details = document.createElement("details");
    details.dataset.key = key;
    details.className = "eb-fasett";
    details.open = openFacets.has(key) || (wide && selected.length > 0);
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

async function showMore(mine) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== token) return;
  for (const d of data) list.append(renderResult(d));
  shown += batch.length;
  more.hidden = shown >= results.length;
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
  if (d.meta.sted || d.meta.dato) {
    const meta = document.createElement("p");
    meta.className = "eb-treff__meta";
    meta.textContent = [d.meta.sted, d.meta.dato].filter(Boolean).join(" · ");
    li.append(meta);
  } else {
    li.classList.add("eb-treff--side");
  }
  const excerpt = document.createElement("p");
  // Pagefind's excerpt is the page's own indexed text, HTML-escaped, with <mark> around hits.
  excerpt.innerHTML = d.excerpt;
  li.append(excerpt);
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

let typing;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => { const s = stateFromForm(); writeState(s, false); run(s); }, 250);
});
$("eb-finn-skjema").addEventListener("submit", (ev) => {
  ev.preventDefault();
  clearTimeout(typing);
  const s = stateFromForm();
  writeState(s, true);
  run(s);
});
// A facet opened for the first time since the last search: fetch its counts now.
facetBox.addEventListener("toggle", (ev) => {
  const d = ev.target;
  if (d.tagName !== "DETAILS" || !d.open || staticMode || d.dataset.key in lastCounts) return;
  openFacets.add(d.dataset.key);
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
  if (!staticMode) return showMore(token);
  // «Vis flere» on the start view: now the full (empty-term) search is worth its download.
  const keep = shown;
  await run(readState(), true);
  while (shown < keep + 20 && shown < results.length) await showMore(token);
});
window.addEventListener("popstate", () => { const s = readState(); input.value = s.q; run(s); });

(async () => {
  root.hidden = false;
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
    await pagefind.init();
  } catch (err) {
    heading.textContent = "Søket kunne ikke lastes. Bruk lenkene til regioner, kommuner og innsatsområder i menyen.";
    return;
  }
  const s = readState();
  input.value = s.q;
  await run(s);
  root.dataset.klar = "ja";
})();
