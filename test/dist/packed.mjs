// The packed package, installed the way a user installs it: `npm pack`, then an empty project that
// installs the tarball with vitest, fast-check and fastify, and runs there, unchanged but for
// being copied, the consumer tests of customer-context/testing and the two copyable examples.
// One packed install serves all of them. better-sqlite3 is linked from this checkout instead of
// being compiled a second time (about 75 s of CPU for the same native addon).
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "cc-packed-"));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });

try {
  run("npm", ["pack", "--silent", "--pack-destination", dir], root);
  const tarball = `customer-context-${own.version}.tgz`;
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
  );
  const dev = own.devDependencies;
  run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      `./${tarball}`,
      `vitest@${dev.vitest}`,
      `fast-check@${dev["fast-check"]}`,
      `fastify@${dev.fastify}`,
    ],
    dir,
  );
  symlinkSync(join(root, "node_modules", "better-sqlite3"), join(dir, "node_modules", "better-sqlite3"), "dir");
  for (const name of ["bindings", "file-uri-to-path"]) {
    try {
      symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name), "dir");
    } catch {}
  }
  cpSync(join(root, "test/dist/consumer"), join(dir, "consumer"), { recursive: true });
  for (const example of ["framework-plugin", "webhooks-server"]) {
    cpSync(join(root, "examples", example), join(dir, "examples", example), { recursive: true });
  }
  run("npx", ["vitest", "run", "--root", dir, "--dir", dir], dir);
  console.log("packed install: consumer tests and examples passed");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
