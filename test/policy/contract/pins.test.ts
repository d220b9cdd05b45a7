import * as assert from "assert";
import { gateWeakenings, levelIn, pinIn } from "../../../policy/contract/pins";
import { flagValues, isPolicyAnalyze, pulumiAncestor } from "../../../policy/contract/stackState";

const SHIPPED = {
    "vectora-promotion-dev-first": { devStack: "organization/vectora-inbox/dev" },
    "vectora-promotion-stage-first": { stageStack: "organization/vectora-inbox/stage" },
    "vectora-promotion-stage-soak": { minDays: 14 },
};

describe("pins: the stacks the gates read, and what weakens them", () => {
    it("reads the pinned source of stage and prod, and names a missing or malformed pin", () => {
        assert.strictEqual(pinIn(SHIPPED, "prod", "policy-config.json"), "organization/vectora-inbox/stage");
        assert.strictEqual(pinIn(SHIPPED, "stage", "policy-config.json"), "organization/vectora-inbox/dev");
        assert.deepStrictEqual(pinIn({}, "prod", "policy-config.json"), {
            problem:
                "policy-config.json: vectora-promotion-stage-first.stageStack is missing; expected the fully qualified name of the " +
                "stage stack prod takes its artifacts from (<organization>/vectora-inbox/stage)",
        });
        assert.match(
            (pinIn({ "vectora-promotion-stage-first": { stageStack: "stage" } }, "prod", "c.json") as { problem: string }).problem,
            /^c\.json: vectora-promotion-stage-first\.stageStack is "stage"; expected the fully qualified name/,
        );
    });

    it("reads a policy's level as @pulumi/policy does: its own entry over `all`", () => {
        assert.strictEqual(levelIn({ all: "advisory" }, "vectora-promotion-stage-first"), "advisory");
        assert.strictEqual(
            levelIn({ all: "advisory", "vectora-promotion-stage-first": "mandatory" }, "vectora-promotion-stage-first"),
            "mandatory",
        );
        assert.strictEqual(
            levelIn({ "vectora-promotion-stage-first": { enforcementLevel: "disabled" } }, "vectora-promotion-stage-first"),
            "disabled",
        );
        assert.strictEqual(levelIn({}, "vectora-promotion-stage-first"), undefined);
    });

    it("finds every way a config weakens the gate, and nothing in the shipped config", () => {
        assert.deepStrictEqual(gateWeakenings(SHIPPED, SHIPPED, "policy-config.json"), []);
        assert.deepStrictEqual(gateWeakenings({ all: "advisory" }, SHIPPED, "weak.json"), [
            "weak.json sets vectora-promotion-dev-first to advisory; the promotion gate is mandatory",
            "weak.json sets vectora-promotion-stage-first to advisory; the promotion gate is mandatory",
            "weak.json sets vectora-promotion-deployed-as-staged to advisory; the promotion gate is mandatory",
            "weak.json sets vectora-promotion-tested to advisory; the promotion gate is mandatory",
            "weak.json sets vectora-promotion-stage-soak to advisory; the promotion gate is mandatory",
        ]);
        // A shorter soak is a weaker gate too; the same or a longer one is not.
        assert.deepStrictEqual(gateWeakenings({ "vectora-promotion-stage-soak": { minDays: 3 } }, SHIPPED, "soak.json"), [
            "soak.json shortens vectora-promotion-stage-soak.minDays to 3 (the pack's is 14); an urgent fix records its exception instead",
        ]);
        assert.deepStrictEqual(gateWeakenings({ "vectora-promotion-stage-soak": { minDays: 30 } }, SHIPPED, "long.json"), []);
        assert.deepStrictEqual(
            gateWeakenings({ "vectora-promotion-stage-first": { stageStack: "organization/scratch/stage" } }, SHIPPED, "x.json"),
            [
                'x.json pins vectora-promotion-stage-first.stageStack to "organization/scratch/stage" but the pack pins ' +
                    "organization/vectora-inbox/stage; prod takes its artifacts from the pinned stage stack only",
            ],
        );
        // Another policy's level is not the gate's business.
        assert.deepStrictEqual(gateWeakenings({ "vectora-s3-tls-only": "disabled" }, SHIPPED, "y.json"), []);
    });

    it("reads the CLI's command line: repeated and `=` flags, and whether it only analyzes", () => {
        const args = ["up", "--stack", "prod", "--policy-pack-config", "a.json", "--policy-pack-config=b.json", "--yes"];
        assert.deepStrictEqual(flagValues(args, "--policy-pack-config"), ["a.json", "b.json"]);
        assert.deepStrictEqual(flagValues(["preview", "-C", "dir"], "--cwd", "-C"), ["dir"]);
        const cli = (argv: string[]) => ({ pid: 1, exe: "/usr/bin/pulumi", args: argv, cwd: "/" });
        const analyzing = {};
        assert.strictEqual(isPolicyAnalyze(cli(["policy", "analyze", "--file", "x.json"]), analyzing), true);
        assert.strictEqual(isPolicyAnalyze(cli(["up", "--stack", "prod"]), analyzing), false);
        assert.strictEqual(isPolicyAnalyze(cli(["policy", "publish"]), analyzing), false);
        // An update dressed up as `policy analyze` on its command line: the host configured the pack for a stack.
        const dressed = cli(["--message", "policy", "--message", "analyze", "up", "--stack", "prod"]);
        assert.strictEqual(isPolicyAnalyze(dressed, analyzing), true, "the command line alone is fooled");
        assert.strictEqual(isPolicyAnalyze(dressed, { PULUMI_NODEJS_STACK: "prod" }), false);
    });

    it("finds the CLI above the language host whatever its file is called, and only a real pulumi otherwise", () => {
        const p = (pid: number, exe: string, args: string[] = []) => ({ pid, exe, args, cwd: "/repo" });
        const renamed = [
            p(3, "/opt/pulumi/pulumi-language-nodejs"),
            p(2, "/tmp/bin/pulumi-ci", ["up", "--stack", "prod"]),
            p(1, "/bin/sh"),
        ];
        assert.strictEqual(pulumiAncestor(renamed)?.pid, 2);
        const plain = [p(5, "/usr/bin/node"), p(4, "/usr/local/bin/pulumi", ["preview"])];
        assert.strictEqual(pulumiAncestor(plain)?.pid, 4);
        const script = [p(7, "/bin/bash", ["/opt/pulumi/pulumi-analyzer-policy-nodejs", "127.0.0.1:1"]), p(6, "/x/pulumi-x")];
        assert.strictEqual(pulumiAncestor(script)?.pid, 6);
        assert.strictEqual(pulumiAncestor([p(9, "/usr/bin/node"), p(8, "/bin/bash")]), undefined);
    });
});
