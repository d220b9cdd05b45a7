import * as assert from "assert";
import { notApplicable, of, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";

const POLICY = "vectora-lambda-layer-runtime-match";
const ACCOUNT_LAYER = "arn:aws:lambda:eu-west-3:123456789012:layer";

/** A layer version with the ARNs AWS gives it, at the version the test function uses. */
function layerAt(env: string, component: string, version: number, compatibleRuntimes: unknown) {
    const l = layer(env, component, "1.2.3", "a".repeat(64), { compatibleRuntimes });
    const layerArn = `${ACCOUNT_LAYER}:vectora-inbox-${component}-${env}`;
    return { ...l, props: { ...l.props, layerArn, arn: `${layerArn}:${version}` } };
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a python3.12 function whose layers are built for python3.12", async () => {
            const pack = await policiesFor("stage");
            const core = layerAt("stage", "vectora-core", 7, ["python3.12"]);
            const deps = layerAt("stage", "common-deps", 3, ["python3.12"]);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([fn("stage"), core, deps])), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a layer built for another Python than the function's, then passes it rebuilt", async () => {
            const pack = await policiesFor("stage");
            const core = layerAt("stage", "vectora-core", 7, ["python3.12"]);
            const stale = layerAt("stage", "common-deps", 3, ["python3.13"]);
            const bad = of(POLICY, await pack.analyzeStack([fn("stage"), core, stale]));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /function "vectora-inbox-ingest-v2-stage" runs python3\.12 with layer "vectora-inbox-common-deps-stage", whose compatible runtimes are python3\.13/,
            );
            const fixed = layerAt("stage", "common-deps", 3, ["python3.13", "python3.12"]);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([fn("stage"), core, fixed])), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply without both a function and a layer", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([fn("stage"), bucket("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("finds the layer through the engine's property dependencies when its ARN is unknown during preview", async () => {
            const pack = await policiesFor("stage");
            const unknownLayer = layer("stage", "common-deps", "1.0.0", "b".repeat(64), { compatibleRuntimes: [], arn: UNKNOWN });
            const f = { ...fn("stage", "ingest-v2", { layers: [UNKNOWN] }), propertyDependencies: { layers: [unknownLayer] } };
            assert.match(of(POLICY, await pack.analyzeStack([f, unknownLayer]))[0]?.message ?? "", /whose compatible runtimes are none/);
        });
    });
});
