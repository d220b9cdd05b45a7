import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { buildEngine, engineCacheDir, engineCacheRoot, findEngine } from "../../pulumi/cliBuild";
import { cliVersion, sdkVersion, versionMismatch } from "../../pulumi/pulumiVersions";
import { Sandbox, sandboxArgs, sandboxEnv, stackOf, writeStackConfig } from "../../sandbox/workspace";
import { REPO, copyProject, tempDir, write } from "../helpers/fixtures";

/** A sandbox of a project copy, without a CLI (these tests never start one). */
function sandboxOf(root: string): Sandbox {
    const dir = path.join(root, ".build", "sandbox");
    const configDir = path.join(dir, "config");
    fs.mkdirSync(configDir, { recursive: true });
    return {
        root,
        project: "vectora-inbox",
        dir,
        home: path.join(dir, "home"),
        stateDir: path.join(dir, "state"),
        configDir,
        accountFile: path.join(dir, "account.json"),
        engine: { pulumi: "pulumi", version: "0", source: "path" },
    };
}

/** Copies the CLI's Go module and the language host's sources into a project copy. */
function withEngineModule(root: string): void {
    for (const f of ["go.mod", "go.sum", "tools.go", "languagehost/main.go"]) {
        fs.mkdirSync(path.dirname(path.join(root, "sandbox/engine", f)), { recursive: true });
        fs.copyFileSync(path.join(REPO, "sandbox/engine", f), path.join(root, "sandbox/engine", f));
    }
}

function withPath<T>(value: string, run: () => T): T {
    const saved = process.env.PATH;
    process.env.PATH = value;
    try {
        return run();
    } finally {
        process.env.PATH = saved;
    }
}

describe("the sandbox", () => {
    it("pins the CLI v3.276.0 in its Go module, and the SDK the program runs with in package.json", () => {
        assert.strictEqual(cliVersion(REPO), "3.276.0");
        assert.strictEqual(
            sdkVersion(),
            JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).dependencies["@pulumi/pulumi"],
        );
        assert.strictEqual(versionMismatch(cliVersion(REPO), sdkVersion()), undefined);
    });

    it("accepts a CLI newer than the SDK within the major version, and refuses an older one or another major", () => {
        assert.strictEqual(versionMismatch("3.276.0", "3.248.0"), undefined);
        assert.match(versionMismatch("3.247.0", "3.248.0") ?? "", /pins the Pulumi CLI v3.247.0, older than @pulumi\/pulumi 3.248.0/);
        assert.match(versionMismatch("4.0.0", "3.248.0") ?? "", /another major version/);
    });

    it("caches the built CLI once per machine, keyed by its version and its module's sources, so that checkout copies share it", () => {
        const env = { VECTORA_ENGINE_CACHE: "/cache" };
        const copy = copyProject();
        withEngineModule(copy);
        assert.strictEqual(engineCacheRoot(env), "/cache");
        assert.strictEqual(engineCacheDir(copy, env), engineCacheDir(REPO, env));
        assert.match(engineCacheDir(REPO, env), /^\/cache\/v3\.276\.0-[0-9a-f]{16}$/);
        // The language host is rebuilt alone in its folder (test/sandbox/cliBuild.test.ts); the CLI's own sources move it.
        fs.appendFileSync(path.join(copy, "sandbox/engine/languagehost/main.go"), "\n// changed\n");
        assert.strictEqual(engineCacheDir(copy, env), engineCacheDir(REPO, env), "a host source is not another CLI");
        fs.appendFileSync(path.join(copy, "sandbox/engine/tools.go"), "\n// changed\n");
        assert.notStrictEqual(engineCacheDir(copy, env), engineCacheDir(REPO, env), "another CLI source is another CLI");
    });

    it("says in one line what is missing when there is neither a matching pulumi nor Go", () => {
        const empty = tempDir();
        const root = copyProject();
        withEngineModule(root);
        const saved = process.env.VECTORA_ENGINE_CACHE;
        // An empty cache: the machine's own would hold the CLI this checkout pins.
        process.env.VECTORA_ENGINE_CACHE = tempDir();
        try {
            withPath(empty, () => {
                assert.strictEqual(findEngine(root), undefined);
                assert.throws(
                    () => buildEngine(root, () => undefined),
                    (e: Error) => {
                        assert.match(
                            e.message,
                            /^the sandbox needs the Pulumi CLI v3\.276\.0: no pulumi v3\.276\.0 \(with pulumi-language-nodejs beside it\) on PATH, and no go on PATH to build it from Pulumi's Go modules; install Go 1\.26\.6/,
                        );
                        assert.ok(!e.message.includes("\n"));
                        return true;
                    },
                );
            });
        } finally {
            if (saved === undefined) {
                delete process.env.VECTORA_ENGINE_CACHE;
            } else {
                process.env.VECTORA_ENGINE_CACHE = saved;
            }
        }
    });

    it("reads the stack of a pulumi command line in every form pulumi takes", () => {
        assert.strictEqual(stackOf(["up", "--stack", "stage", "--yes"]), "stage");
        assert.strictEqual(stackOf(["preview", "--stack=prod"]), "prod");
        assert.strictEqual(stackOf(["refresh", "-s", "dev"]), "dev");
        assert.strictEqual(stackOf(["stack", "ls"]), undefined);
    });

    it("gives commands that read stack config the sandbox's copy of the file, and insists on --stack for them", () => {
        const sb = sandboxOf(copyProject());
        const args = sandboxArgs(sb, ["preview", "--stack", "stage", "--diff"]);
        assert.deepStrictEqual(args, [
            "preview",
            "--stack",
            "stage",
            "--diff",
            "--config-file",
            path.join(sb.configDir, "Pulumi.stage.yaml"),
        ]);
        // `stack` commands create, delete and rename stack files: they run in the sandbox's copy of the project.
        const copy = path.join(sb.dir, "project");
        assert.deepStrictEqual(sandboxArgs(sb, ["stack", "output", "--stack", "stage", "--json"]), [
            "stack",
            "output",
            "--stack",
            "stage",
            "--json",
            "--cwd",
            copy,
        ]);
        assert.deepStrictEqual(fs.readdirSync(copy).sort(), ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.stage.yaml", "Pulumi.yaml"]);
        assert.strictEqual(YAML.parse(fs.readFileSync(path.join(copy, "Pulumi.prod.yaml"), "utf8")).config["vectora-inbox:env"], "prod");
        assert.deepStrictEqual(sandboxArgs(sb, ["up", "--stack", "dev", "--config-file", "mine.yaml"]), [
            "up",
            "--stack",
            "dev",
            "--config-file",
            "mine.yaml",
        ]);
        assert.throws(() => sandboxArgs(sb, ["up", "--yes"]), /npm run sandbox -- up: give --stack <dev\|stage\|prod>/);
    });

    it("points prod's stage reference at the sandbox's own stage stack, and leaves the repository's file as it is", () => {
        const root = copyProject();
        const repoFile = write(
            root,
            "Pulumi.prod.yaml",
            fs
                .readFileSync(path.join(REPO, "Pulumi.prod.yaml"), "utf8")
                .replace("organization/vectora-inbox/stage", "acme/vectora-inbox/stage"),
        );
        const before = fs.readFileSync(repoFile, "utf8");
        const written = YAML.parse(fs.readFileSync(writeStackConfig(sandboxOf(root), "prod"), "utf8"));
        assert.strictEqual(written.config["vectora-inbox:stageStack"], "organization/vectora-inbox/stage");
        assert.strictEqual(written.config["vectora-inbox:env"], "prod");
        assert.strictEqual(fs.readFileSync(repoFile, "utf8"), before);
    });

    it("runs the CLI with its own home, backend and passphrase, and none of the user's AWS or Pulumi credentials", () => {
        const saved = { ...process.env };
        Object.assign(process.env, {
            AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
            AWS_PROFILE: "prod-admin",
            PULUMI_ACCESS_TOKEN: "pul-xxx",
            PULUMI_BACKEND_URL: "s3://real",
            KEEP_ME: "1",
        });
        try {
            const sb = sandboxOf(copyProject());
            const env = sandboxEnv(sb);
            for (const k of ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "PULUMI_ACCESS_TOKEN"]) {
                assert.strictEqual(env[k], undefined, k);
            }
            assert.strictEqual(env.KEEP_ME, "1");
            assert.strictEqual(env.PULUMI_HOME, sb.home);
            assert.strictEqual(env.PULUMI_BACKEND_URL, `file://${sb.stateDir}`);
            assert.strictEqual(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
            assert.strictEqual(env.PULUMI_IGNORE_AMBIENT_PLUGINS, "true");
        } finally {
            for (const k of Object.keys(process.env)) {
                if (!(k in saved)) {
                    delete process.env[k];
                }
            }
            Object.assign(process.env, saved);
        }
    });
});
