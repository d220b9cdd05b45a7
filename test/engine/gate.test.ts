import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { git, hideChanges, write } from "../helpers/fixtures";
import { PACK, PACK_ARGS, account, accountResources, enginePreview, engineUp, sandbox, tail } from "../helpers/sandbox";
import { GATE_URN, FN_STAGE, commitEdit, commitIngest, offlineVerdicts, mandatory, stackInAccount, onGateProject } from "../helpers/gate";
/**
 * The promotion gate against the real CLI, attacked as the issue that shaped it tried it: every way of getting a
 * version into prod that stage does not run. The cases that change what runs; test/engine/gateState.test.ts has those
 * that forge where the gate reads stage from (two files, so that the test workers run them side by side).
 */
describe("engine: the promotion gate through the real CLI, attacked", function () {
    this.timeout(30 * 60_000);
    let root = "";
    let stageState = "";
    onGateProject((project) => ({ root, stageState } = project));

    it("blocks prod when stage runs another version: on the gate, the zip and the function, as the offline preview does", () => {
        commitIngest(root, "1.6.0");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const because =
            "prod would deploy ingest-v2 1.6.0 but stage runs ingest-v2 1.5.0; promote 1.6.0 to stage first (npm run " +
            "promote -- --to stage) and let it run there.";
        assert.deepStrictEqual(
            mandatory(preview.report).filter((v) => v.startsWith("vectora-promotion-stage-first")),
            [
                `vectora-promotion-stage-first promotion-gate: Promotion gate: ${because}`,
                `vectora-promotion-stage-first ingest-v2-zip: Promotion gate: zip lambdas/ingest-v2-1.6.0.zip: ${because}`,
                `vectora-promotion-stage-first ingest-v2: Promotion gate: function vectora-inbox-ingest-v2-prod: ${because}`,
            ],
        );
        assert.strictEqual(preview.report.violations.find((v) => v.level === "mandatory")?.urn, GATE_URN);
        assert.deepStrictEqual(
            offlineVerdicts(root, stageState),
            preview.report.violations.map((v) => `${v.policy} ${v.level} ${v.urn}`).sort(),
        );
    });

    it("--target and --exclude: a partial update of stage is refused, with the pack or without, and prod stays blocked", () => {
        commitIngest(root, "1.5.1");
        // Dev runs 1.5.1 and passed its smoke test: a full update of stage would pass its gate.
        const dev = engineUp(root, "dev");
        assert.strictEqual(dev.code, 0, tail(dev));
        const bucket = "urn:pulumi:stage::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::data";
        const ingest = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
        const normalize =
            "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::normalize-score-v2";
        const before = stackInAccount(root, "stage");
        // Each would leave stage on a mix of releases dev never ran as a whole (found by an adversary: a targeted
        // function, then smoke-tested, passed the gates all the way to prod under an urgent exception).
        for (const [flags, pack] of [
            [["--target", bucket], true],
            [["--target", ingest], true],
            [["--exclude", normalize], true],
            [["--target", ingest], false],
        ] as const) {
            const run = pack ? engineUp(root, "stage", [...flags]) : sandbox(root, ["up", "--stack", "stage", "--yes", ...flags]);
            assert.notStrictEqual(run.code, 0, `${flags.join(" ")}: ${tail(run)}`);
            assert.match(
                `${run.out}${run.err}`,
                // `up` previews first: the program refuses in that preview already.
                new RegExp(
                    `refusing to (preview|deploy) stage with ${flags[0]}: a partial update would leave stage on a mix of releases dev`,
                ),
            );
        }
        assert.strictEqual(stackInAccount(root, "stage"), before, "nothing of stage changed");
        assert.strictEqual(account(root).resources[FN_STAGE].outputs.s3Key, "lambdas/ingest-v2-1.5.0.zip");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        assert.ok(
            mandatory(preview.report).includes(
                "vectora-promotion-stage-first promotion-gate: Promotion gate: prod would deploy ingest-v2 1.5.1 but stage runs " +
                    "ingest-v2 1.5.0; promote 1.5.1 to stage first (npm run promote -- --to stage) and let it run there.",
            ),
            mandatory(preview.report).join("\n"),
        );
    });

    it("a forged program (its record of stage replaced, its own check removed) is blocked by the pack, even with --skip-preview", () => {
        commitIngest(root, "1.5.1");
        commitEdit(root, "program.ts", (t) =>
            t
                .replace("const problems = promotionProblems(env, deploys, evidence);", "const problems: string[] = [];")
                .replace(
                    ": { digest: gate.evidence.digest, artifacts, problems: [...gate.evidence.problems] };",
                    ": { digest: gate.evidence.digest, artifacts: gate.deploys, problems: [] };",
                ),
        );
        const before = stackInAccount(root, "prod");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const verdicts = mandatory(preview.report);
        assert.ok(
            verdicts.some((v) =>
                /^vectora-promotion-stage-first promotion-gate: Promotion gate: the program recorded stage running ingest-v2 1\.5\.1 \(sha256 [0-9a-f]{64}\) but organization\/vectora-inbox\/stage's state says 1\.5\.0/.test(
                    v,
                ),
            ),
            verdicts.join("\n"),
        );
        const up = engineUp(root, "prod", ["--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.strictEqual(stackInAccount(root, "prod"), before, "nothing of prod is created or changed");
    });

    it("without the pack, or with a weakened pack config, the program itself refuses to deploy what stage does not run", () => {
        commitIngest(root, "1.5.1");
        const before = stackInAccount(root, "prod");
        const bare = sandbox(root, ["up", "--stack", "prod", "--yes", "--skip-preview"]);
        assert.notStrictEqual(bare.code, 0, tail(bare));
        assert.match(
            `${bare.out}${bare.err}`,
            /refusing to deploy prod: prod would deploy ingest-v2 1\.5\.1 but stage runs ingest-v2 1\.5\.0; promote 1\.5\.1 to stage first/,
        );
        const weak = write(
            root,
            ".build/weak.json",
            JSON.stringify({ "vectora-promotion-stage-first": "advisory", "vectora-promotion-deployed-as-staged": "advisory" }),
        );
        const weakened = sandbox(root, ["up", "--stack", "prod", "--yes", "--policy-pack", PACK, "--policy-pack-config", weak]);
        assert.notStrictEqual(weakened.code, 0, tail(weakened));
        assert.match(
            `${weakened.out}${weakened.err}`,
            /refusing to run with --policy-pack-config .*weak\.json: .*weak\.json sets vectora-promotion-stage-first to advisory; the promotion gate is mandatory/,
        );
        assert.strictEqual(stackInAccount(root, "prod"), before);
    });

    it("a --config-file that points the gate at another stack is refused, naming that file and the pinned stack", () => {
        const prodConfig = fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");
        const other = write(root, ".build/other.prod.yaml", prodConfig.replace(/stageStack: .*/, "stageStack: organization/scratch/stage"));
        const run = sandbox(root, ["up", "--stack", "prod", "--yes", ...PACK_ARGS, "--config-file", other]);
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.match(
            `${run.out}${run.err}`,
            /\.build\/other\.prod\.yaml: vectora-inbox:stageStack is "organization\/scratch\/stage" but the policy pack pins organization\/vectora-inbox\/stage/,
        );
        assert.deepStrictEqual(accountResources(root, "prod"), []);
    });

    it("bytes hidden from git status (index flags, a clean filter, an untracked link) never reach stage: it deploys the commit", () => {
        const restore = hideChanges(root);
        try {
            assert.strictEqual(git(root, "status", "--porcelain", "--untracked-files=no"), "");
            const before = account(root).resources[FN_STAGE].outputs.codeSha256;
            // Had stage built the working tree, its bytes would not be dev's and its own gate would have refused.
            const up = engineUp(root, "stage");
            assert.strictEqual(up.code, 0, tail(up));
            assert.strictEqual(account(root).resources[FN_STAGE].outputs.codeSha256, before);
        } finally {
            restore();
        }
    });
});
