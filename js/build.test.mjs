// The build (js/build.mjs): js/widget.js is what js/src and js/widget.css build, exports what
// src/index.js exports, and the build refuses sources that would not survive concatenation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { buildFiles, cssModule } from "./build.mjs";
import * as built from "./widget.js";
import * as sources from "./src/index.js";

const JS_DIR = fileURLToPath(new URL(".", import.meta.url));

test("js/widget.js and js/src/css.js are up to date (else: node js/build.mjs)", () => {
  for (const [path, text] of Object.entries(buildFiles())) {
    assert.ok(readFileSync(path, "utf8") === text, `${path} is stale: run node js/build.mjs`);
  }
});

test("the built file exports exactly what src/index.js exports", () => {
  assert.deepEqual(Object.keys(built).sort(), Object.keys(sources).sort());
  assert.equal(typeof built.default.render, "function");
  const text = readFileSync(join(JS_DIR, "widget.js"), "utf8");
  assert.ok(!/^import\b/m.test(text), "no imports left");
  assert.match(text, /^const widget = \{$/m); // the binding the standalone page calls
  assert.match(text, /^export default widget;$/m);
});

test("css.js holds widget.css verbatim, whatever it contains", async () => {
  const css = ".a::after { content: \"`${x}` \\\\ \"; }\n";
  const url = `data:text/javascript,${encodeURIComponent(cssModule(css))}`;
  assert.equal((await import(url)).CSS, css);
});

/** buildFiles() over in-memory sources {name: text}; widget.css is "". */
function buildFrom(files) {
  return buildFiles((path) => {
    const name = basename(path);
    if (name === "widget.css") return "";
    if (!(name in files)) throw new Error(`no ${name}`);
    return files[name];
  });
}

test("the build concatenates in dependency order and keeps only the entry's exports", () => {
  const out = Object.values(
    buildFrom({
      "index.js": 'import { b } from "./b.js";\nexport { a } from "./a.js";\nexport default { b };\n',
      "a.js": "export const a = 1;\n",
      "b.js": 'import { a } from "./a.js";\n\nexport function b() {\n  return a;\n}\n',
    }),
  )[1];
  assert.ok(out.indexOf("const a = 1;") < out.indexOf("function b()"));
  assert.match(out, /^export \{ a \};$/m);
  assert.ok(!/^export (const|function)/m.test(out));
  assert.ok(!/^import /m.test(out));
});

test("the build refuses what concatenation would break", () => {
  const entry = 'import { a } from "./a.js";\nexport default a;\n';
  const cases = [
    [{ "a.js": 'import { b } from "./b.js";\nexport const a = b;\n', "b.js": "const a = 2;\nexport const b = 1;\n" }, /`a` is declared in both/],
    [{ "a.js": 'import { b as c } from "./b.js";\nexport const a = c;\n', "b.js": "export const b = 1;\n" }, /renaming/],
    [{ "a.js": 'import b from "./b.js";\nexport const a = b;\n', "b.js": "export default 1;\n" }, /only `import \{ a, b \}/],
    [{ "a.js": 'import { b } from "./b.js";\nexport const a = 1;\n', "b.js": 'import { a } from "./a.js";\nexport const b = 1;\n' }, /import cycle: index.js -> a.js -> b.js -> a.js/],
    [{ "a.js": 'import { c } from "./b.js";\nexport const a = c;\n', "b.js": "export const b = 1;\n" }, /b.js does not export c/],
    [{ "a.js": "const a = 1;\nexport { a };\n" }, /only index.js may have/],
  ];
  for (const [files, error] of cases) assert.throws(() => buildFrom({ "index.js": entry, ...files }), error);
});

test("node js/build.mjs --check fails on a stale file; node js/build.mjs fixes it", () => {
  const dir = mkdtempSync(join(tmpdir(), "stickanim-build-"));
  try {
    for (const name of ["build.mjs", "widget.css", "widget.js", "src"]) {
      cpSync(join(JS_DIR, name), join(dir, name), { recursive: true });
    }
    const run = (...args) => spawnSync(process.execPath, [join(dir, "build.mjs"), ...args], { encoding: "utf8" });
    assert.equal(run("--check").status, 0);
    writeFileSync(join(dir, "widget.css"), `${readFileSync(join(dir, "widget.css"), "utf8")}.x { color: red; }\n`);
    const stale = run("--check");
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /widget\.js is not what/);
    assert.match(stale.stderr, /css\.js is not what/);
    assert.equal(run().status, 0);
    assert.equal(run("--check").status, 0);
    assert.ok(readFileSync(join(dir, "widget.js"), "utf8").includes(".x { color: red; }"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
