import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import {
    Release,
    declaredRelease,
    deployedExport,
    deploysOf,
    digestOf,
    gateOf,
    passedTags,
    recordOf,
    release,
    useOfflineExports,
} from "../helpers/stackExports";

const POLICY = "vectora-promotion-tested";
const DEV = "organization/vectora-inbox/dev";
const STAGE = "organization/vectora-inbox/stage";
const PROD = "organization/vectora-inbox/prod";
/** When the source last changed what it runs (Lambda's date format), and times around it. */
const DEPLOYED = "2026-11-01T10:00:00.000+0000";
const BEFORE = "2026-11-01T09:00:00.000Z";
const AFTER = "2026-11-01T10:05:00.000Z";

const base = release();
const older = release("older", { "ingest-v2": "1.4.0" });

/** The policy's verdicts on stage's gate, dev running `running` with `devTags`. */
async function stageVerdicts(running: Release, devTags: Record<string, string>): Promise<string[]> {
    useOfflineExports({ [DEV]: deployedExport("dev", running, undefined, DEPLOYED) }, { [DEV]: devTags });
    const pack = await policiesFor("stage");
    return of(POLICY, await pack.analyze(gateOf(DEV, recordOf(running), deploysOf(running)))).map((v) => `${v.level}: ${v.message}`);
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes stage when dev's release passed its smoke test after dev last changed", async () => {
            assert.deepStrictEqual(await stageVerdicts(base, passedTags(base, AFTER)), []);
        });

        it("passes a prod rollback to a release prod itself passed, whatever stage runs", async () => {
            useOfflineExports(
                { [STAGE]: deployedExport("stage", base, undefined, DEPLOYED) },
                { [STAGE]: {}, [PROD]: passedTags(older, AFTER) },
            );
            const pack = await policiesFor("prod");
            const gate = gateOf(STAGE, recordOf(older), deploysOf(older), "own-history");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gate)), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks stage while dev's release has no smoke test on record, and passes once it has one", async () => {
            const digest = digestOf(base).slice(0, 16);
            assert.deepStrictEqual(await stageVerdicts(base, {}), [
                `mandatory: Tested: dev (${DEV}) runs release ${digest}, which has no smoke test on record there; ` +
                    "run npm run smoke -- --stack dev.",
            ]);
            assert.deepStrictEqual(await stageVerdicts(base, passedTags(base, AFTER)), []);
        });

        it("blocks a release whose last smoke test failed, and one tested before dev last changed", async () => {
            const failed = await stageVerdicts(base, passedTags(base, AFTER, "fail"));
            assert.match(failed[0] ?? "", /^mandatory: Tested: dev \(.*\) runs release [0-9a-f]{16}, whose last smoke test there failed/);
            const stale = await stageVerdicts(base, passedTags(base, BEFORE));
            assert.deepStrictEqual(stale, [
                `mandatory: Tested: dev (${DEV}) changed what it runs at 2026-11-01T10:00:00.000Z, after its last passing smoke ` +
                    `test (${BEFORE}); run npm run smoke -- --stack dev again.`,
            ]);
        });

        it("does not count a test of another release, nor a malformed or foreign tag", async () => {
            assert.strictEqual((await stageVerdicts(base, passedTags(older, AFTER))).length, 1);
            const digest = digestOf(base);
            const forged = { [`vectora:smoke:${digest.slice(0, 24)}`]: `v1 pass yesterday ${digest} -` };
            assert.strictEqual((await stageVerdicts(base, forged)).length, 1);
        });

        it("blocks prod when stage's release is untested, and a rollback to a release prod never passed", async () => {
            useOfflineExports({ [STAGE]: deployedExport("stage", base, undefined, DEPLOYED) }, { [STAGE]: {}, [PROD]: {} });
            const pack = await policiesFor("prod");
            assert.strictEqual(of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base)))).length, 1);
            const rollback = gateOf(STAGE, recordOf(older), deploysOf(older), "own-history");
            assert.strictEqual(of(POLICY, await pack.analyze(rollback)).length, 1);
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev, nor to resources other than the gate", async () => {
            useOfflineExports({ [DEV]: deployedExport("dev", base) }, { [DEV]: {} });
            const dev = await policiesFor("dev");
            assert.ok(notApplicable(POLICY, await dev.analyze(gateOf(DEV, recordOf(base), deploysOf(base)))));
            const stage = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await stage.analyze(declaredRelease("stage", base)[0])));
        });
    });
});
