// Trunk post_build hook: moves the inline module script that Trunk writes
// into index.html (it boots the wasm) into its own file, so the page's
// Content-Security-Policy can forbid inline script altogether.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("externalize-boot-script: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
const indexPath = join(dir, "index.html");
const html = readFileSync(indexPath, "utf8");
const inline = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error("externalize-boot-script: no inline module script found in index.html");
  process.exit(1);
}
const code = match[1].trim() + "\n";
const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
const file = `boot-${hash}.js`;
writeFileSync(join(dir, file), code);
const out = html.replace(inline, `<script type="module" src="./${file}"></script>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(out)) {
  console.error("externalize-boot-script: an inline script is still left in index.html");
  process.exit(1);
}
writeFileSync(indexPath, out);
console.log(`externalize-boot-script: boot script moved to ${file}`);
