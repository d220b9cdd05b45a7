import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import { Declared, Release, b64, declaredRelease, deploysOf, gateOf, recordOf, release, sha } from "../helpers/stackExports";

const POLICY = "vectora-promotion-deployed-as-staged";
const STAGE = "organization/vectora-inbox/stage";

/** Prod after a deploy: what it declared, with the code hashes AWS reports on its functions and layers. */
function deployedProd(r: Release, codeSha256: (name: string, declared: string) => string = (_n, d) => d): Declared[] {
    return declaredRelease("prod", r).map((d) =>
        d.type === "aws:lambda/function:Function" || d.type === "aws:lambda/layerVersion:LayerVersion"
            ? {
                  ...d,
                  props: {
                      ...d.props,
                      codeSha256: b64(codeSha256(d.name, Buffer.from(String(d.props.sourceCodeHash), "base64").toString("hex"))),
                  },
              }
            : d,
    );
}

describe(POLICY, () => {
    const base = release();

    describe("compliant", () => {
        it("passes when prod runs, by Lambda's own code hashes, exactly what its gate recorded stage running", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...deployedProd(base)])),
                [],
            );
        });
    });

    describe("non-compliant", () => {
        it("reports a function Lambda says runs other bytes than the gate recorded, and passes once they agree", async () => {
            const pack = await policiesFor("prod");
            const swapped = deployedProd(base, (name, declared) => (name === "ingest-v2" ? sha("swapped") : declared));
            const bad = of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...swapped]));
            assert.deepStrictEqual(
                bad.map((v) => [v.level, v.urn, v.message]),
                [
                    [
                        "mandatory",
                        "urn:pulumi:prod::vectora-inbox::aws:lambda/function:Function::ingest-v2",
                        `Promotion gate: prod runs ingest-v2 1.5.0 (sha256 ${sha("swapped")}) but its promotion gate ` +
                            `recorded stage running ` +
                            `1.5.0 (sha256 ${base.functions["ingest-v2"].sha256}); prod runs only what stage ran.`,
                    ],
                ],
            );
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...deployedProd(base)])),
                [],
            );
        });

        it("reports a prod stack without exactly one promotion gate", async () => {
            const pack = await policiesFor("prod");
            for (const gates of [
                [],
                [gateOf(STAGE, recordOf(base), deploysOf(base)), { ...gateOf(STAGE, recordOf(base), deploysOf(base)), name: "second" }],
            ]) {
                const bad = of(POLICY, await pack.analyzeStack([...gates, ...deployedProd(base)]));
                assert.match(bad[0]?.message ?? "", new RegExp(`the prod stack has ${gates.length} promotion gates`));
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev and stage", async () => {
            for (const stack of ["dev", "stage"]) {
                const pack = await policiesFor(stack);
                assert.ok(notApplicable(POLICY, await pack.analyzeStack(deployedProd(base))), stack);
            }
        });
    });
});
