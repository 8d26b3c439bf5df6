// Query a built site's Pagefind index from Node, with the browser's own search code
// (site/pagefind/pagefind.js and its WebAssembly): the files are read from disk instead of fetched.
//
//   node tests/pagefind_query.mjs SITE_DIR OPTIONS_JSON QUERY...
//
// OPTIONS_JSON: what the page passes to pagefind.options() (discovery.RANKING as `ranking`).
// Prints JSON: one list per query of {url, type, title, score, content, locations}, best first.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [siteDir, optionsJson, ...queries] = process.argv.slice(2);
const site = path.resolve(siteDir);
globalThis.fetch = async (url) => {
  const file = path.join(site, decodeURIComponent(new URL(url, "http://site/").pathname));
  if (!file.startsWith(site + path.sep)) throw new Error(`outside the site: ${url}`);
  return new Response(fs.readFileSync(file));
};
const pagefind = await import(pathToFileURL(path.join(site, "pagefind", "pagefind.js")).href);
await pagefind.options({ basePath: "http://site/pagefind/", baseUrl: "/", ...JSON.parse(optionsJson) });
await pagefind.init();
const out = [];
for (const query of queries) {
  const found = await pagefind.search(query);
  out.push(await Promise.all(found.results.map(async (r) => {
    const d = await r.data();
    return { url: d.url, type: (d.filters.type || [])[0] || null, title: d.meta.title, score: r.score,
             content: d.content, locations: d.locations, filters: d.filters, meta: d.meta };
  })));
}
process.stdout.write(JSON.stringify(out));
