import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { buildEngine, findEngine, goModuleVersion, sdkVersion } from "../../sandbox/engine";
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
    it("pins the CLI's Go module to the @pulumi/pulumi release the program runs with", () => {
        assert.strictEqual(goModuleVersion(REPO), sdkVersion());
        assert.strictEqual(
            sdkVersion(),
            JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version,
        );
    });

    it("says in one line what is missing when there is neither a matching pulumi nor Go", () => {
        const empty = tempDir();
        const root = copyProject();
        fs.mkdirSync(path.join(root, "sandbox", "engine"), { recursive: true });
        fs.copyFileSync(path.join(REPO, "sandbox/engine/go.mod"), path.join(root, "sandbox/engine/go.mod"));
        withPath(empty, () => {
            assert.strictEqual(findEngine(root), undefined);
            assert.throws(
                () => buildEngine(root, () => undefined),
                (e: Error) => {
                    assert.match(
                        e.message,
                        /^the sandbox needs the Pulumi CLI v\d+\.\d+\.\d+: no pulumi v[\d.]+ \(with pulumi-language-nodejs beside it\) on PATH, and no go on PATH to build it from Pulumi's Go modules; install Go/,
                    );
                    assert.ok(!e.message.includes("\n"));
                    return true;
                },
            );
        });
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
        assert.deepStrictEqual(sandboxArgs(sb, ["stack", "output", "--stack", "stage", "--json"]), [
            "stack",
            "output",
            "--stack",
            "stage",
            "--json",
        ]);
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
