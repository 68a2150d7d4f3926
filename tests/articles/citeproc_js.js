#!/usr/bin/env node
// Render CSL-JSON items with citeproc-js (through citation-js), the processor Zotero uses, so
// the Python tests can compare articles/csl.py with it.
//
//   node tests/articles/citeproc_js.js STYLE.csl [STYLE.csl ...] < items.json
//
// stdin: a JSON array of CSL-JSON items (distinct ids). stdout: JSON
//   {"versions": {...}, "results": [{"<STYLE.csl as given>": {"text": "...", "html": "..."}, ...}, ...]}
// with one bibliography entry per item and style, in the order of the items. Exit status 3 (and a
// message on stderr) when the npm packages are not installed: run `npm install`.
"use strict";

const fs = require("fs");

let Cite, plugins, citeprocVersion;
try {
  ({ Cite, plugins } = require("@citation-js/core"));
  require("@citation-js/plugin-csl");
  citeprocVersion = require("citeproc/package.json").version;
} catch (error) {
  if (error.code !== "MODULE_NOT_FOUND") throw error;
  process.stderr.write(`citeproc-js is not installed (${error.message.split("\n")[0]}); run npm install\n`);
  process.exit(3);
}

const styleFiles = process.argv.slice(2);
const styles = plugins.config.get("@csl").styles;
styleFiles.forEach((file, index) => styles.add(`healthsite-${index}`, fs.readFileSync(file, "utf8")));

// The one entry inside citation-js's <div class="csl-bib-body"><div class="csl-entry">…</div></div>.
function entry(cite, template, format) {
  const [[, text]] = cite.format("bibliography", { template, format, lang: "en-US", asEntryArray: true });
  return format === "html" ? text.trim().replace(/^<div[^>]*>/, "").replace(/<\/div>$/, "") : text.replace(/\n$/, "");
}

const items = JSON.parse(fs.readFileSync(0, "utf8"));
const results = items.map((item) => {
  const cite = new Cite(item);
  const rendered = {};
  styleFiles.forEach((file, index) => {
    rendered[file] = { text: entry(cite, `healthsite-${index}`, "text"), html: entry(cite, `healthsite-${index}`, "html") };
  });
  return rendered;
});
process.stdout.write(JSON.stringify({
  versions: {
    "@citation-js/core": require("@citation-js/core/package.json").version,
    "@citation-js/plugin-csl": require("@citation-js/plugin-csl/package.json").version,
    citeproc: citeprocVersion,
  },
  results,
}));
