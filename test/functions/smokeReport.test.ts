import * as assert from "assert";
import { SmokeExpectation, SmokeReport, parseSmokeReport, reportFailures } from "../../functions/smokeReport";

const TREE = { code: "1".repeat(64), core: "2".repeat(64), deps: "3".repeat(64) };

/** A report as a sound ingest-v2 1.5.0 of dev answers it in the sandbox. */
function report(): SmokeReport {
    return {
        vectora_smoke: 1,
        ok: true,
        failures: [],
        function: { name: "vectora-inbox-ingest-v2-dev", artifact: "ingest-v2", version: "1.5.0" },
        code: { path: "/tmp/x/var/task", tree_sha256: TREE.code },
        layers: {
            "vectora-core": { path: "/tmp/x/opt/python/vectora_core", tree_sha256: TREE.core, version: "1.2.3" },
            "common-deps": { path: "/tmp/x/opt/python", tree_sha256: TREE.deps, version: "1.0.5", excluded: ["vectora_core"] },
        },
        canonical: {
            bucket: "vectora-inbox-config-dev",
            key: "manifests/canonical.json",
            version: "1.1",
            sha256: "ab",
            expected_version: "1.1",
        },
    };
}

const EXPECTED: SmokeExpectation = {
    functionName: "vectora-inbox-ingest-v2-dev",
    artifact: "ingest-v2",
    version: "1.5.0",
    codeTree: TREE.code,
    layers: [
        { name: "vectora-core", version: "1.2.3", tree: TREE.core },
        { name: "common-deps", version: "1.0.5", tree: TREE.deps },
    ],
    canonical: { version: "1.1", sha256: "ab" },
    roots: { task: "/tmp/x/var/task", opt: "/tmp/x/opt" },
};

describe("smoke reports", () => {
    it("reads a report, and says why an answer is not one", () => {
        assert.deepStrictEqual(parseSmokeReport(JSON.stringify(report())), { report: report() });
        assert.deepStrictEqual(parseSmokeReport('"Simple Lambda happy path OK"'), {
            problem: 'the answer is not a smoke report (no "vectora_smoke" field): "\\"Simple Lambda happy path OK\\""',
        });
        assert.deepStrictEqual(parseSmokeReport("not json"), { problem: 'the answer is not JSON: "not json"' });
        assert.deepStrictEqual(parseSmokeReport(JSON.stringify({ ...report(), vectora_smoke: 2 })), {
            problem: "the report's format is 2; this checker reads format 1",
        });
        assert.deepStrictEqual(parseSmokeReport(JSON.stringify({ vectora_smoke: 1, ok: "yes", failures: [] })), {
            problem: "the report has no ok flag or failures list",
        });
    });

    it("finds nothing wrong with a report that matches the state and the account", () => {
        assert.deepStrictEqual(reportFailures(report(), EXPECTED), []);
    });

    it("keeps the handler's own failures first", () => {
        const failing = { ...report(), ok: false, failures: ["environment: LOG_LEVEL is missing"] };
        assert.deepStrictEqual(reportFailures(failing, EXPECTED), ["environment: LOG_LEVEL is missing"]);
    });

    it("names another function, artifact or version than the state's", () => {
        const other = { ...report(), function: { name: "vectora-inbox-ingest-v2-stage", artifact: "newsletter-v2", version: "1.4.0" } };
        assert.deepStrictEqual(reportFailures(other, EXPECTED), [
            'the report names function "vectora-inbox-ingest-v2-stage", not vectora-inbox-ingest-v2-dev',
            "the handler is newsletter-v2, but the function's Component tag says ingest-v2",
            "the code is newsletter-v2 1.4.0, but the function's Version tag says 1.5.0",
        ]);
    });

    it("names code or a layer whose tree is not the deployed zip's, or that runs from elsewhere", () => {
        const moved: SmokeReport = {
            ...report(),
            code: { path: "/var/task", tree_sha256: "9".repeat(64) },
            layers: {
                "vectora-core": { path: "/tmp/x/var/task/vectora_core", tree_sha256: "8".repeat(64), version: "1.2.4" },
                "common-deps": { path: "/tmp/x/opt/python", tree_sha256: TREE.deps, version: "1.0.5", excluded: [] },
            },
        };
        assert.deepStrictEqual(reportFailures(moved, EXPECTED), [
            "the code it runs (tree 9999999999999999) is not the zip the stack deployed (tree 1111111111111111)",
            "handler.py runs from /var/task, not from /tmp/x/var/task",
            "vectora-core: the function imports vectora-core 1.2.4, but its layer is 1.2.3",
            "vectora-core: what it imports (tree 8888888888888888) is not the layer's zip (tree 2222222222222222)",
            "vectora-core: imported from /tmp/x/var/task/vectora_core, not from the layers in /tmp/x/opt/python",
            'common-deps: the digest leaves out [], expected ["vectora_core"]',
        ]);
    });

    it("names a layer the report says nothing of, unless the handler said why", () => {
        const { layers: _layers, ...rest } = report();
        void _layers;
        assert.deepStrictEqual(reportFailures(rest, EXPECTED), [
            "vectora-core: the report says nothing of this layer",
            "common-deps: the report says nothing of this layer",
        ]);
        const said = { ...rest, ok: false, failures: ["common-deps: no folder of the import path holds the common-deps layer"] };
        assert.deepStrictEqual(reportFailures(said, EXPECTED), [
            "common-deps: no folder of the import path holds the common-deps layer",
            "vectora-core: the report says nothing of this layer",
        ]);
    });

    it("names a canonical check against another version, and a manifest of another set", () => {
        const other = { ...report(), canonical: { ...report().canonical!, expected_version: null, sha256: "cd" } };
        assert.deepStrictEqual(reportFailures(other, EXPECTED), [
            "the handler checked canonical version null, not 1.1",
            "the canonical set it reads (sha256 cd from the bucket's files) is not the stack's ab",
        ]);
    });
});
