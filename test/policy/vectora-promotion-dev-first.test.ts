import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import {
    Release,
    declaredRelease,
    deployedExport,
    deploysOf,
    gateOf,
    passedTags,
    recordOf,
    release,
    useOfflineExports,
} from "../helpers/stackExports";

const POLICY = "vectora-promotion-dev-first";
const DEV = "organization/vectora-inbox/dev";

/** The policy's violations over stage declaring `declared` while dev runs `running`. */
async function verdicts(running: Release, declared: Release): Promise<string[]> {
    useOfflineExports({ [DEV]: deployedExport("dev", running) });
    const pack = await policiesFor("stage");
    const out: string[] = [];
    for (const r of [gateOf(DEV, recordOf(running), deploysOf(declared)), ...declaredRelease("stage", declared)]) {
        out.push(...of(POLICY, await pack.analyze(r)).map((v) => `${r.name}: ${v.level}: ${v.message}`));
    }
    return out;
}

describe(POLICY, () => {
    const base = release();
    const next = release("next", { "vectora-core": "1.3.0" });
    const stageNext: Release = { ...base, core: next.core };

    describe("compliant", () => {
        it("passes stage when dev runs exactly what stage deploys", async () => {
            assert.deepStrictEqual(await verdicts(base, base), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks a layer version dev does not run on the gate, the layer and its zip; passes once dev runs it", async () => {
            const because =
                "stage would deploy vectora-core 1.3.0 but dev runs vectora-core 1.2.3; deploy 1.3.0 to dev first (pulumi " +
                "up --stack dev) and let it run there.";
            assert.deepStrictEqual(await verdicts(base, stageNext), [
                `promotion-gate: mandatory: Promotion gate: ${because}`,
                `vectora-core-zip: mandatory: Promotion gate: zip layers/vectora-core-1.3.0.zip: ${because}`,
                `vectora-core: mandatory: Promotion gate: layer vectora-inbox-vectora-core-stage: ${because}`,
            ]);
            assert.deepStrictEqual(await verdicts(stageNext, stageNext), []);
        });

        it("blocks each resource with dev's release while dev's smoke test of it is not on record, whatever the gate claims", async () => {
            // A program that records a rollback basis on its gate but deploys dev's untested bytes (found by an adversary).
            const resources = declaredRelease("stage", base);
            const run = async (devTags: Record<string, string>) => {
                useOfflineExports({ [DEV]: deployedExport("dev", base) }, { [DEV]: devTags });
                const pack = await policiesFor("stage");
                const found: string[] = [];
                for (const r of resources) {
                    found.push(...of(POLICY, await pack.analyze(r)).map((v) => `${r.name}: ${v.message}`));
                }
                return found;
            };
            const untested = await run({});
            assert.strictEqual(untested.length, resources.length, untested.join("\n"));
            assert.match(
                untested[0],
                /^[a-z0-9-]+: Promotion gate: dev \(organization\/vectora-inbox\/dev\) runs release [0-9a-f]{16}, which has no smoke test on record there/,
            );
            assert.deepStrictEqual(await run(passedTags(base, "2026-11-01T10:05:00.000Z")), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev and prod", async () => {
            useOfflineExports({ [DEV]: deployedExport("dev", base) });
            for (const stack of ["dev", "prod"]) {
                const pack = await policiesFor(stack);
                assert.ok(notApplicable(POLICY, await pack.analyze(gateOf(DEV, recordOf(base), deploysOf(base)))), stack);
            }
        });
    });
});
