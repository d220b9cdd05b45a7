// Starts a compiled command (`npm run preview`, `audit`, ...) without type-checking first: type checks belong to
// `npm test`, and running tsc on every command cost 4-6 s even when nothing had changed. The compiled tree is
// rebuilt only when it is out of date: the content of a TypeScript source, a tsconfig or package-lock.json differs
// from what the last build compiled (a hash of them all is kept beside the build), or a compiled file is missing
// (tsc's incremental build info alone would not notice a deleted output and would emit nothing). Content, not
// modification times: a file restored from git or a copied tree can carry a time older than the last build.
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import process from "node:process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = path.join(ROOT, ".build", "launch-stamp");
const PROJECTS = [
    { tsconfig: "policy/tsconfig.json", outDir: "policy/bin", buildInfo: "policy/bin/.tsbuildinfo", base: "policy" },
    { tsconfig: "tsconfig.json", outDir: ".build", buildInfo: ".build/tsconfig.tsbuildinfo", base: "" },
];
const SKIP = new Set(["node_modules", ".build", ".git", "policy/bin", "sandbox/engine", "test/fixtures"]);

/** Every TypeScript source the two tsconfigs compile (declaration files excepted). */
function sources(dir, found = []) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory() && !SKIP.has(entry.name) && !SKIP.has(path.relative(ROOT, abs))) {
            sources(abs, found);
        } else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
            found.push(path.relative(ROOT, abs));
        }
    }
    return found;
}

/** Where tsc writes the JavaScript for a source, by the project that compiles it. */
function outputsOf(rel) {
    const js = rel.replace(/\.ts$/, ".js");
    const outs = [path.join(ROOT, ".build", js)];
    if (rel.startsWith("policy/")) {
        outs.push(path.join(ROOT, "policy/bin", js.slice("policy/".length)));
    }
    return outs;
}

/** Every input of the build: the sources the tsconfigs compile, the tsconfigs themselves and the lock file. */
function inputs() {
    // The folders and files tsconfig.json compiles ("cli/**/*.ts" -> cli), so that a new one is watched too.
    const include = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")).include;
    const roots = include.map((pattern) => pattern.replace(/\/\*\*\/\*\.ts$/, ""));
    const files = roots.flatMap((r) => {
        const abs = path.join(ROOT, r);
        if (!fs.existsSync(abs)) {
            return [];
        }
        return fs.statSync(abs).isDirectory() ? sources(abs) : [r];
    });
    return { sourceFiles: files, all: [...new Set([...files, ...PROJECTS.map((p) => p.tsconfig), "package-lock.json"])].sort() };
}

/** One hash of the inputs' names and bytes: any change of content, a file added or removed, changes it. */
function inputsHash(files) {
    const hash = createHash("sha256");
    for (const file of files) {
        let bytes;
        try {
            bytes = fs.readFileSync(path.join(ROOT, file));
        } catch {
            // Unreadable: tsc will say why; the hash differs from any build's, so it runs.
            bytes = Buffer.from(`unreadable ${Date.now()}`);
        }
        hash.update(`${file}\0${createHash("sha256").update(bytes).digest("hex")}\n`);
    }
    return hash.digest("hex");
}

/** Why the compiled tree cannot be trusted, or undefined when it can; and the inputs' hash it was judged on. */
function staleness() {
    const { sourceFiles, all } = inputs();
    const hash = inputsHash(all);
    let built;
    try {
        built = fs.readFileSync(STAMP, "utf8").trim();
    } catch {
        return { reason: "no previous build", hash };
    }
    if (built !== hash) {
        return { reason: "a source, a tsconfig or package-lock.json changed since the last build", hash };
    }
    for (const file of sourceFiles) {
        for (const out of outputsOf(file)) {
            if (!fs.existsSync(out)) {
                return { reason: `${path.relative(ROOT, out)} is missing`, hash };
            }
        }
    }
    return { reason: undefined, hash };
}

/**
 * Compiles both projects (tsc type-checks as it goes). When an output is missing, the build info is dropped
 * first so that tsc writes every file again. The stamp records the hash of the inputs as they were when the build
 * started: a source saved while tsc ran differs from it, and the next command compiles again.
 */
function build(missingOutput, hash) {
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    for (const project of PROJECTS) {
        if (missingOutput) {
            fs.rmSync(path.join(ROOT, project.buildInfo), { force: true });
        }
        const args = [tsc, "-p", path.join(ROOT, project.tsconfig), "--pretty", String(Boolean(process.stdout.isTTY))];
        const run = spawnSync(process.execPath, args, { stdio: "inherit" });
        if (run.status !== 0) {
            process.stderr.write(`error: the TypeScript build failed (${project.tsconfig}); fix the errors above and run it again\n`);
            process.exit(run.status ?? 2);
        }
    }
    fs.mkdirSync(path.dirname(STAMP), { recursive: true });
    fs.writeFileSync(STAMP, `${hash}\n`);
}

const [mode, command, ...args] = process.argv.slice(2);
if (mode === "build") {
    const { reason, hash } = staleness();
    build(/is missing$/.test(reason ?? ""), hash);
} else if (mode === "run" && command) {
    const { reason, hash } = staleness();
    if (reason !== undefined) {
        process.stderr.write(`compiling first (${reason})\n`);
        build(/is missing$/.test(reason), hash);
    }
    const result = spawnSync(process.execPath, [path.join(ROOT, ".build", `${command}.js`), ...args], { stdio: "inherit" });
    process.exitCode = result.status ?? 128 + (result.signal ? os.constants.signals[result.signal] : 0);
} else {
    process.stderr.write("usage: node scripts/launch.mjs build | run <compiled path without .js> [args]\n");
    process.exitCode = 2;
}
