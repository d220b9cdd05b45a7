import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { fn, promotionGate } from "../helpers/resources";

const POLICY = "vectora-promotion-stage-first";
const CORE_SHA = "c0".repeat(32);
const INGEST_SHA = "a".repeat(64);
const CANON_SHA = "9".repeat(64);

/** Stage's artifacts output, as the program exports it. */
function staged(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "vectora-core": { version: "1.2.3", sha256: CORE_SHA, key: "layers/vectora-core-1.2.3.zip" },
        "ingest-v2": { version: "1.5.0", sha256: INGEST_SHA, key: "lambdas/ingest-v2-1.5.0.zip" },
        canonical: { version: "1.1", sha256: CANON_SHA },
        ...overrides,
    };
}

/** What prod is about to deploy, as the program shows it to the gate. */
function deploys(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "vectora-core": { version: "1.2.3", sha256: CORE_SHA, built: true },
        "ingest-v2": { version: "1.5.0", sha256: INGEST_SHA, built: true },
        canonical: { version: "1.1", sha256: CANON_SHA, built: true },
        ...overrides,
    };
}

/** What the gate is shown, and what its violation says. */
type ClosedCase = [string, () => ReturnType<typeof promotionGate>, RegExp];

/** The evidence with which the gate fails closed: missing, malformed, or unknown during preview. */
const CLOSED: ClosedCase[] = [
    [
        "no stage stack name",
        () => promotionGate({ artifacts: staged() }, deploys(), ""),
        /the promotion gate names no stage stack; set vectora-inbox:stageStack/,
    ],
    [
        "a stack that is not stage",
        () => promotionGate({ artifacts: staged() }, deploys(), "organization/vectora-inbox/dev"),
        /read organization\/vectora-inbox\/dev, not a stack named stage/,
    ],
    [
        "no stage outputs on the gate",
        () => promotionGate(undefined, deploys()),
        /the outputs of stage stack organization\/vectora-inbox\/stage are missing from the promotion gate/,
    ],
    [
        "stage without an artifacts output",
        () => promotionGate({ deployedAt: {} }, deploys()),
        /stage stack organization\/vectora-inbox\/stage exports no artifacts output; deploy stage with this program first/,
    ],
    [
        "stage's outputs unknown during preview",
        () => promotionGate(UNKNOWN, deploys()),
        /the outputs of stage stack organization\/vectora-inbox\/stage are unknown during this preview/,
    ],
    [
        "stage's artifacts unknown during preview",
        () => promotionGate({ artifacts: UNKNOWN }, deploys()),
        /the artifacts output of stage stack .* is unknown during this preview/,
    ],
    [
        "malformed stage artifacts",
        () => promotionGate({ artifacts: { "ingest-v2": { version: "1.5.0" } } }, deploys()),
        /has no version and sha256 for ingest-v2/,
    ],
    [
        "stage artifacts that are not an object",
        () => promotionGate({ artifacts: "1.5.0" }, deploys()),
        /the artifacts output of stage stack .* is not an object/,
    ],
    [
        "what prod deploys unknown during preview",
        () => promotionGate({ artifacts: staged() }, UNKNOWN),
        /the promotion gate's list of what prod deploys is unknown during this preview/,
    ],
];

/** One case where the gate fails closed: as one mandatory violation, naming the problem. */
function failsClosed([what, gate, message]: ClosedCase): void {
    it(`fails closed, as one mandatory violation, on ${what}`, async () => {
        const pack = await policiesFor("prod");
        const bad = of(POLICY, await pack.analyze(gate()));
        assert.deepStrictEqual(
            bad.map((v) => v.level),
            ["mandatory"],
        );
        assert.match(bad[0].message, message);
        assert.match(bad[0].message, /the gate fails closed\.$/);
    });
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes when stage runs the same versions with the same hashes", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(promotionGate({ artifacts: staged() }, deploys()))), []);
        });
    });

    describe("non-compliant", () => {
        it("fails when one version differs, naming the artifact and both versions, and passes once stage runs it", async () => {
            const pack = await policiesFor("prod");
            const prod = deploys({ "vectora-core": { version: "1.3.0", sha256: CORE_SHA, built: true } });
            const bad = of(POLICY, await pack.analyze(promotionGate({ artifacts: staged() }, prod)));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /prod would deploy vectora-core 1\.3\.0 but stage runs vectora-core 1\.2\.3; promote 1\.3\.0 to stage first/,
            );
            assert.strictEqual(bad[0].urn, "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate");
            const promoted = staged({ "vectora-core": { version: "1.3.0", sha256: CORE_SHA } });
            assert.deepStrictEqual(of(POLICY, await pack.analyze(promotionGate({ artifacts: promoted }, prod))), []);
        });

        it("fails on the same version with other bytes: a rebuild is not a promotion", async () => {
            const pack = await policiesFor("prod");
            const other = "d1".repeat(32);
            const bad = of(
                POLICY,
                await pack.analyze(
                    promotionGate({ artifacts: staged() }, deploys({ "ingest-v2": { version: "1.5.0", sha256: other, built: true } })),
                ),
            );
            assert.strictEqual(bad.length, 1);
            assert.match(
                bad[0].message,
                /prod would deploy ingest-v2 1\.5\.0 with sha256 d1d1d1d1d1d1d1d1 but stage runs 1\.5\.0 with sha256 aaaaaaaaaaaaaaaa: same version, other bytes is a rebuild, not a promotion/,
            );
        });

        it("says an artifact is not built on this machine instead of calling it a rebuild", async () => {
            const pack = await policiesFor("prod");
            const bad = of(
                POLICY,
                await pack.analyze(
                    promotionGate(
                        { artifacts: staged() },
                        deploys({ "vectora-core": { version: "1.2.3", sha256: "e".repeat(64), built: false } }),
                    ),
                ),
            );
            assert.strictEqual(bad.length, 1);
            assert.match(
                bad[0].message,
                /vectora-core 1\.2\.3 as built on this machine \(sha256 eeeeeeeeeeeeeeee\), which is NOT BUILT: its dependencies could not be installed here/,
            );
            assert.doesNotMatch(bad[0].message, /rebuild/);
        });

        it("fails when stage does not run an artifact prod deploys, the canonical set included", async () => {
            const pack = await packFor("prod");
            const { canonical: _c, ...withoutCanonical } = staged();
            const bad = of(POLICY, await pack.analyze(promotionGate({ artifacts: withoutCanonical }, deploys())));
            assert.deepStrictEqual(
                bad.map((v) => v.message),
                [
                    "Promotion gate: prod would deploy canonical 1.1 (sha256 9999999999999999) but stage " +
                        "organization/vectora-inbox/stage does not run canonical; deploy it to stage first.",
                ],
            );
        });

        it("uses the configured stage stack name", async () => {
            const pack = await packFor("prod");
            await pack.configure({ [POLICY]: { stageStack: "acme/vectora-inbox/stage" } });
            try {
                const bad = of(POLICY, await pack.analyze(promotionGate({ artifacts: staged() }, deploys())));
                assert.match(
                    bad[0]?.message ?? "",
                    /the promotion gate read organization\/vectora-inbox\/stage, not acme\/vectora-inbox\/stage/,
                );
                assert.deepStrictEqual(
                    of(POLICY, await pack.analyze(promotionGate({ artifacts: staged() }, deploys(), "acme/vectora-inbox/stage"))),
                    [],
                );
            } finally {
                await pack.configure();
            }
        });

        CLOSED.filter(([what]) => !what.includes("unknown during preview")).forEach(failsClosed);
    });

    describe("not applicable", () => {
        it("does not apply to the dev and stage stacks, nor to other resources", async () => {
            for (const stack of ["dev", "stage"]) {
                const pack = await policiesFor(stack);
                assert.ok(notApplicable(POLICY, await pack.analyze(promotionGate(undefined, undefined))), stack);
            }
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyze(fn("prod"))));
        });
    });

    describe("unknown during preview", () => {
        CLOSED.filter(([what]) => what.includes("unknown during preview")).forEach(failsClosed);
    });
});
