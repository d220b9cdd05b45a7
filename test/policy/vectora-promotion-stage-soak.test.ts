import * as assert from "assert";
import { notApplicable, of, policiesFor, startPack } from "../helpers/pack";
import { deployedExport, deploysOf, gateOf, recordOf, release, useOfflineExports } from "../helpers/stackExports";

const POLICY = "vectora-promotion-stage-soak";
const STAGE = "organization/vectora-inbox/stage";
const DAY_MS = 24 * 3600 * 1000;
/** Lambda's date format (`+0000`), some days before the moment the policy runs. */
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().replace("Z", "+0000");

const base = release();
/** Prod's gate over a stage whose layers and functions AWS last wrote `since`. */
function gateWithStageSince(since: string | undefined) {
    const doc = deployedExport("stage", base, { core: 1, deps: 1 }, since);
    if (since === undefined) {
        for (const r of (doc.deployment as { resources: Array<{ outputs?: Record<string, unknown> }> }).resources) {
            delete r.outputs?.lastModified;
            delete r.outputs?.createdDate;
        }
    }
    useOfflineExports({ [STAGE]: doc });
    return gateOf(STAGE, recordOf(base), deploysOf(base));
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes when stage's own resources say it has run every version for longer than the minimum", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gateWithStageSince(daysAgo(20)))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports each artifact stage has run for under 14 days (advisory by default), in Lambda's dates, and passes after", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gateWithStageSince(daysAgo(3))));
            assert.strictEqual(bad.length, 5);
            assert.strictEqual(bad[0].level, "advisory");
            assert.match(
                bad[0].message,
                /^Stage soak: stage has run common-deps only since .* \(3\.0 days\); wait until it has run 14 days/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(gateWithStageSince(daysAgo(15)))), []);
        });

        it("reports when stage's resources do not say since when they run a version", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(gateWithStageSince(undefined)));
            assert.match(
                bad[0]?.message ?? "",
                /does not say since when it runs common-deps, ingest-v2, newsletter-v2, normalize-score-v2, vectora-core/,
            );
        });

        it("can be made mandatory with another minimum through the policy config", async () => {
            gateWithStageSince(daysAgo(20));
            const pack = await startPack("prod", { VECTORA_OFFLINE_STACK_EXPORTS: process.env.VECTORA_OFFLINE_STACK_EXPORTS as string });
            await pack.configure({ [POLICY]: { enforcementLevel: "mandatory", minDays: 30 } });
            const bad = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base))));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /wait until it has run 30 days/);
        });
    });

    describe("not applicable", () => {
        it("does not apply outside prod", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(gateWithStageSince(daysAgo(1)))));
        });
    });
});
