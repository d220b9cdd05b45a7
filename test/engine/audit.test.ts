import * as assert from "assert";
import { audit } from "../../cli/audit";
import { assertSameVerdicts } from "../helpers/auditConformance";
import { INCIDENT, prodIncident, writeExport } from "../helpers/exports";
import { runIn } from "../helpers/io";
import { requireEngine } from "../helpers/sandbox";

describe("engine: npm run audit through pulumi policy analyze --file", function () {
    this.timeout(5 * 60_000);
    before(() => requireEngine());

    it("renders the engine's verdicts as before, and says the engine decided", async () => {
        const run = await runIn(audit, "--state", INCIDENT);
        assert.strictEqual(run.code, 1, run.err);
        assert.match(run.out, /^Evaluated by: pulumi v3\.276\.0 policy analyze --file$/m);
        assert.match(run.out, /Policies: vectora-inbox@1\.0\.0 with policy\/policy-config\.json: 7 mandatory, \d+ advisory violation\(s\)/);
        assert.match(run.out, /uses the legacy layer vectora-inbox-vectora-core-approche-b-dev:4/);
    });

    it("gives the verdicts the pack gives over its own protocol, on every export fixture", async () => {
        const incident = await assertSameVerdicts(INCIDENT);
        assert.ok(
            incident.some((v) => v.startsWith("vectora-lambda-no-legacy-layers mandatory ") && v.endsWith("::ingest-v2")),
            incident.join("\n"),
        );
        for (const withGate of [false, true]) {
            const prod = await assertSameVerdicts(writeExport(prodIncident(withGate)));
            // The gate's own verdict needs the gate; the artifacts' resources fail closed either way (no stage evidence).
            assert.strictEqual(
                prod.some((v) => v.startsWith("vectora-promotion-stage-first mandatory") && v.endsWith("::promotion-gate")),
                withGate,
                prod.join("\n"),
            );
        }
    });
});
