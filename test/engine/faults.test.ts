import * as assert from "assert";
import * as fs from "fs";
import { write } from "../helpers/fixtures";
import { requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

/** Processes still running for a project's sandbox (their environment names its account file). */
function leftOver(root: string): number[] {
    const marker = `VECTORA_SANDBOX_ACCOUNT=${root}/`;
    return fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
            try {
                return fs
                    .readFileSync(`/proc/${p}/environ`, "utf8")
                    .split("\0")
                    .some((v) => v.startsWith(marker));
            } catch {
                return false;
            }
        })
        .map(Number);
}

/** A policy pack folder whose entry does what `body` says instead of serving. */
function brokenPack(root: string, name: string, body: string): string {
    write(root, `${name}/PulumiPolicy.yaml`, "runtime: nodejs\n");
    write(root, `${name}/package.json`, JSON.stringify({ name, version: "1.0.0", main: "index.js" }));
    write(root, `${name}/index.js`, body);
    return `${root}/${name}`;
}

describe("engine: a provider or policy pack that fails ends the sandbox command in bounded time, with a clear line", function () {
    this.timeout(10 * 60_000);
    let root: string;
    before(() => {
        requireEngine();
        root = sandboxProject();
    });

    it("a provider that crashes: the CLI reports it and exits non-zero", () => {
        const started = Date.now();
        const run = sandbox(root, ["preview", "--stack", "dev"], { VECTORA_SANDBOX_PROVIDER_FAULT: "crash" });
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.match(`${run.out}${run.err}`, /crashing on purpose \(VECTORA_SANDBOX_PROVIDER_FAULT=crash\)/);
        assert.ok(Date.now() - started < 120_000);
    });

    it("a provider that hangs: stopped at the sandbox's bound, with everything it started", () => {
        const started = Date.now();
        const run = sandbox(root, ["preview", "--stack", "stage"], {
            VECTORA_SANDBOX_PROVIDER_FAULT: "hang",
            VECTORA_SANDBOX_TIMEOUT: "8",
        });
        assert.strictEqual(run.code, 124, tail(run));
        assert.match(
            run.err,
            /error: sandbox pulumi preview did not finish within 8 s and was stopped with every plugin it started \(a provider or policy pack that hangs\?\)/,
        );
        assert.ok(Date.now() - started < 60_000);
        assert.deepStrictEqual(leftOver(root), [], "the CLI, its language host, program and provider are all stopped");
    });

    it("a policy pack that crashes at start: the CLI says it failed to start, and nothing is deployed", () => {
        const pack = brokenPack(root, "crashing-pack", 'throw new Error("this pack is broken on purpose");\n');
        const run = sandbox(root, ["preview", "--stack", "dev", "--policy-pack", pack]);
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.match(`${run.out}${run.err}`, /this pack is broken on purpose/);
    });

    it("a policy pack that never answers: stopped at the sandbox's bound", () => {
        const pack = brokenPack(root, "silent-pack", "setInterval(() => undefined, 1000);\n");
        const run = sandbox(root, ["preview", "--stack", "dev", "--policy-pack", pack], { VECTORA_SANDBOX_TIMEOUT: "6" });
        assert.strictEqual(run.code, 124, tail(run));
        assert.match(run.err, /did not finish within 6 s/);
        assert.deepStrictEqual(leftOver(root), []);
    });
});
