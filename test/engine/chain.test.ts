import * as assert from "assert";
import { smoke } from "../../cli/smoke";
import { evidenceFromExport } from "../../policy/contract/evidence";
import { edit, git } from "../helpers/fixtures";
import { runIn, withEnv } from "../helpers/io";
import { pinnedClock } from "../helpers/pack";
import { account, engineUp, requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** The chain starts 40 days ago on the simulated clock, so that its 15 days of soak end before today. */
const T0 = Date.now() - 40 * DAY;
const at = (offset: number) => new Date(T0 + offset).toISOString();

/**
 * The promotion chain through the real CLI in the sandbox, on a simulated clock: every Node process of a run (the
 * program, the pack, the simulated provider that stamps AWS's dates) lives at the moment the step gives it
 * (test/helpers/clock.ts through NODE_OPTIONS), and the smoke tests record that moment (VECTORA_SANDBOX_NOW).
 */
describe("engine: the tested promotion chain, dev -> stage -> prod, with the soak, the urgent path and a rollback", function () {
    this.timeout(30 * 60_000);
    let root: string;
    let releaseA: string;

    const up = (stack: string, offset: number) => engineUp(root, stack, [], pinnedClock(at(offset)), true);
    const smokeAt = (stack: string, offset: number) =>
        withEnv({ VECTORA_SANDBOX_NOW: at(offset) }, () => runIn(smoke, "--stack", stack, "--sandbox", "--cwd", root));
    const runsIngest = (stack: string) =>
        Object.values(account(root).resources).find((r) => r.id === `vectora-inbox-ingest-v2-${stack}`)?.outputs.codeSha256;
    const refused = (run: ReturnType<typeof up>, pattern: RegExp) => {
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.ok(
            run.report.violations.some((v) => v.level === "mandatory" && pattern.test(v.message)),
            `${pattern}: ${run.report.violations.map((v) => `${v.policy}: ${v.message}`).join("\n")}`,
        );
    };

    before(() => {
        requireEngine();
        root = sandboxProject();
        releaseA = git(root, "rev-parse", "HEAD");
    });

    it("refuses stage until dev's release passed its smoke test, then deploys it", async () => {
        const dev = up("dev", 0);
        assert.strictEqual(dev.code, 0, tail(dev));
        refused(up("stage", HOUR), /^Tested: dev \(organization\/vectora-inbox\/dev\) runs release [0-9a-f]{16}, which has no smoke test/m);
        const smoked = await smokeAt("dev", 2 * HOUR);
        assert.strictEqual(smoked.code, 0, smoked.out + smoked.err);
        assert.match(smoked.out, /^Recorded on dev: vectora:smoke:[0-9a-f]{24} = pass /m);
        const stage = up("stage", 3 * HOUR);
        assert.strictEqual(stage.code, 0, tail(stage));
        const stageSmoke = await smokeAt("stage", 4 * HOUR);
        assert.strictEqual(stageSmoke.code, 0, stageSmoke.out + stageSmoke.err);
    });

    it("refuses prod a day later (the soak), and deploys it 15 days later; prod's own smoke test passes", async () => {
        refused(up("prod", DAY), /^Stage soak: stage has run [a-z0-9-]+ only since .* \(0\.9 days\); prod waits until it has run 14 days/m);
        const prod = up("prod", 15 * DAY);
        assert.strictEqual(prod.code, 0, tail(prod));
        assert.strictEqual(runsIngest("prod"), runsIngest("stage"));
        const smoked = await smokeAt("prod", 15 * DAY + HOUR);
        assert.strictEqual(smoked.code, 0, smoked.out + smoked.err);
    });

    it("a release failing only in prod: an urgent exception waives its soak, its smoke fails, prod goes back to its own", async () => {
        const before = runsIngest("prod");
        // Release B: ingest-v2 1.5.1, whose smoke report fails in prod alone (a prod-only misconfiguration).
        edit(root, "VERSION", (t) => t.replace(/INGEST_VERSION=.*/, "INGEST_VERSION=1.5.1"));
        edit(root, "python-src/lambdas/ingest-v2/handler.py", (t) =>
            t.replace(
                "    if is_smoke_event(event):\n",
                '    if is_smoke_event(event):\n        if __import__("os").environ.get("ENV") == "prod":\n' +
                    '            raise RuntimeError("prod-only failure")\n',
            ),
        );
        git(root, "commit", "-q", "-a", "-m", "ingest-v2 1.5.1");
        for (const [stack, offset] of [
            ["dev", 20 * DAY],
            ["stage", 20 * DAY + 2 * HOUR],
        ] as const) {
            const deployed = up(stack, offset);
            assert.strictEqual(deployed.code, 0, `${stack}: ${tail(deployed)}`);
            const smoked = await smokeAt(stack, offset + HOUR);
            assert.strictEqual(smoked.code, 0, `${stack}: ${smoked.out}${smoked.err}`);
        }
        // A day in stage: refused for the soak, then deployed under a named exception for exactly stage's release.
        refused(up("prod", 21 * DAY), /^Stage soak: stage has run ingest-v2 only since/m);
        const stageState = sandbox(root, ["stack", "export", "--stack", "stage"]);
        const digest = evidenceFromExport(JSON.parse(stageState.out), "organization/vectora-inbox/stage").digest;
        const exception = `v1 ${at(21 * DAY)} ${digest} INC-4711 the newsletter crash fix cannot wait two weeks`;
        const tagged = sandbox(root, ["stack", "tag", "set", `vectora:urgent:${digest.slice(0, 24)}`, exception, "--stack", "prod"]);
        assert.strictEqual(tagged.code, 0, tail(tagged));
        const urgent = up("prod", 21 * DAY + HOUR);
        assert.strictEqual(urgent.code, 0, tail(urgent));
        const outputs = JSON.parse(sandbox(root, ["stack", "output", "--json", "--stack", "prod"]).out);
        assert.deepStrictEqual(outputs.promotion.urgent, {
            reference: "INC-4711",
            reason: "the newsletter crash fix cannot wait two weeks",
            at: at(21 * DAY),
        });
        // Prod's smoke test fails, on ingest-v2 alone.
        const failed = await smokeAt("prod", 21 * DAY + 2 * HOUR);
        assert.strictEqual(failed.code, 1, failed.out + failed.err);
        assert.match(failed.out, /^vectora-inbox-ingest-v2-prod: .*prod-only failure/m);
        assert.match(failed.out, /= fail /);

        // Back to release A, which prod itself ran and passed: the gates accept it without stage, which runs B.
        git(root, "checkout", "-q", releaseA);
        const rollback = up("prod", 21 * DAY + 3 * HOUR);
        assert.strictEqual(rollback.code, 0, tail(rollback));
        assert.strictEqual(runsIngest("prod"), before);
        const rolledBack = JSON.parse(sandbox(root, ["stack", "output", "--json", "--stack", "prod"]).out);
        assert.strictEqual(rolledBack.promotion.basis, "own-history");
        const again = await smokeAt("prod", 21 * DAY + 4 * HOUR);
        assert.strictEqual(again.code, 0, again.out + again.err);
    });

    it("refuses prod a release that neither stage runs nor prod ever passed", () => {
        edit(root, "VERSION", (t) => t.replace(/INGEST_VERSION=.*/, "INGEST_VERSION=1.5.2"));
        edit(root, "python-src/lambdas/ingest-v2/handler.py", (t) => `${t}# 1.5.2\n`);
        git(root, "commit", "-q", "-a", "-m", "ingest-v2 1.5.2, deployed nowhere");
        refused(up("prod", 22 * DAY), /^Promotion gate: prod would deploy ingest-v2 1\.5\.2 but stage runs ingest-v2 1\.5\.1/m);
    });
});
