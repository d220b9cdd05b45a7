import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { audit } from "../../cli/audit";
import { tempDir, write } from "../helpers/fixtures";
import { INCIDENT, incident, prodIncident, writeExport } from "../helpers/exports";
import { Json, runIn } from "../helpers/io";
import { stackExport } from "../helpers/stackExports";
import { junitSchemaErrors, readJunit, sarifSchemaErrors } from "../helpers/reportSchemas";
import { withoutAnyCli } from "../helpers/standinPulumi";

/**
 * The audit where no Pulumi CLI can analyse the export: the pack driven over its protocol here. With a CLI,
 * `pulumi policy analyze --file` decides; test/engine/audit.test.ts holds the two to the same verdicts.
 */
const auditHere = (...argv: string[]) => withoutAnyCli(() => runIn(audit, ...argv));

const PENDING_URN = [
    "urn:pulumi:stage::vectora-inbox::vectora:config:CanonicalSync$aws:s3/bucketObjectv2:BucketObjectv2",
    "canonical/prompts/normalize_score.yaml",
].join("::");

describe("npm run audit", () => {
    it("finds what the incident left in a stage state export: the legacy dev layer and a dev bucket", async () => {
        const run = await auditHere("--state", INCIDENT, "--json");
        assert.strictEqual(run.code, 1, run.err);
        const doc = JSON.parse(run.out);
        assert.strictEqual(doc.stack, "stage");
        assert.match(
            doc.evaluatedBy,
            /^the policy pack over its protocol, as the CLI calls it \(no Pulumi CLI v3\.249 or later on this machine\)$/,
        );
        const found = doc.violations.map((v: { policy: string; urn: string }) => `${v.policy} ${v.urn.split("::").pop()}`).sort();
        assert.deepStrictEqual(found, [
            "vectora-isolation-no-cross-env ingest-v2",
            "vectora-isolation-no-cross-env normalize-score-v2",
            "vectora-lambda-env-contract newsletter-v2",
            "vectora-lambda-env-contract normalize-score-v2",
            "vectora-lambda-no-legacy-layers ingest-v2",
            "vectora-naming-env-suffix ingest-dlq",
            // The queue made by hand in the console carries none of the standard tags either.
            "vectora-tags-required ingest-dlq",
        ]);
        assert.strictEqual(doc.deployedFrom, "unknown commit (no source output)", "an export from before the source output says so");
        const legacy = doc.violations.find((v: { policy: string }) => v.policy === "vectora-lambda-no-legacy-layers");
        assert.match(legacy.message, /uses the legacy layer vectora-inbox-vectora-core-approche-b-dev:4/);
        const slack = doc.violations.find(
            (v: { urn: string; policy: string }) => v.policy === "vectora-lambda-env-contract" && v.urn.endsWith("newsletter-v2"),
        );
        assert.match(slack.message, /SLACK_TOKEN holds what looks like a Slack token/, "a secret exported with --show-secrets is checked");
    });

    it("copes with encrypted secrets, pending operations, old copies, providers and unknown types, and says so", async () => {
        const run = await auditHere("--state", INCIDENT, "--json");
        const doc = JSON.parse(run.out);
        assert.deepStrictEqual(doc.notes, [
            "1 resource(s) are old copies waiting to be deleted (replaced); they were left out",
            `pending creating of ${PENDING_URN}: an update was interrupted; run pulumi refresh, then pulumi up`,
            "not checked: vectora-promotion-dev-first (stage against what dev runs); pass --live to read organization/vectora-inbox/dev " +
                "now, or --source-state FILE (pulumi stack export --stack dev)",
            "not checked: vectora-promotion-tested and vectora-promotion-stage-soak (the smoke tests and exceptions are tags of " +
                "organization/vectora-inbox/dev and of stage); pass --live to read them now",
            "1 secret value(s) are encrypted and were treated as unknown; export with --show-secrets to check them",
        ]);
        assert.strictEqual(doc.outputs.slackWebhook, "[secret]");
        assert.ok(doc.resources.some((r: { type: string }) => r.type === "random:index/randomId:RandomId"));
        assert.ok(doc.resources.some((r: { type: string }) => r.type === "pulumi:providers:aws"));
        assert.ok(!doc.violations.some((v: { urn: string }) => /RandomId|providers/.test(v.urn)));
    });

    it("passes a clean export once the incident is fixed, and exits 0", async () => {
        const doc = incident();
        const resources = doc.deployment.resources as Json[];
        const isFunction = (r: Json, name: string) => r.type === "aws:lambda/function:Function" && r.urn.endsWith(`::${name}`) && !r.delete;
        const fn = (name: string): Json => resources.find((r) => isFunction(r, name));
        for (const part of ["inputs", "outputs"]) {
            fn("ingest-v2")[part].layers[0] = "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-stage:1";
            fn("normalize-score-v2")[part].environment.variables.DATA_BUCKET = "vectora-inbox-data-stage";
            delete fn("newsletter-v2")[part].environment.variables.SLACK_TOKEN;
        }
        doc.deployment.resources = resources.filter((r) => !r.type.startsWith("aws:sqs/"));
        const run = await auditHere("--state", writeExport(doc));
        assert.strictEqual(run.code, 0, run.out + run.err);
        assert.match(run.out, /Policies: vectora-inbox@1\.0\.0 with policy\/policy-config\.json: 0 mandatory, 0 advisory violation\(s\)/);
    });

    it("names the policy config in force, so that a config disabling everything does not read as a clean pass", async () => {
        const config = write(tempDir(), "off.json", JSON.stringify({ all: "disabled" }));
        const run = await auditHere("--state", INCIDENT, "--policy-pack-config", config);
        assert.strictEqual(run.code, 0, run.err);
        assert.match(
            run.out,
            new RegExp(`Policies: vectora-inbox@1\\.0\\.0 with ${config.replace(/[.]/g, "\\.")}: 0 mandatory, 0 advisory`),
        );
    });

    it("says how many resource entries it could not read, rather than dropping them silently", async () => {
        const doc = incident();
        doc.deployment.resources.push(42, "garbage");
        const run = await auditHere("--state", writeExport(doc), "--json");
        assert.strictEqual(run.code, 1, run.err);
        assert.strictEqual(
            JSON.parse(run.out).notes[0],
            "2 entries of deployment.resources are not a resource object and were left out; the export may be damaged",
        );
        const text = await auditHere("--state", writeExport(doc));
        assert.match(text.out, /^Note: 2 entries of deployment\.resources are not a resource object/m);
    });

    it("checks a prod export against its gate's record (Lambda's hashes), and fails closed without a gate", async () => {
        const gatePolicies = (run: { out: string }) =>
            JSON.parse(run.out)
                .violations.filter(
                    (v: { policy: string }) => v.policy.startsWith("vectora-promotion-") && v.policy !== "vectora-promotion-stage-soak",
                )
                .map((v: { policy: string; message: string }) => `${v.policy}: ${v.message}`);
        // A StackReference to stage is not a gate: without one, the export fails closed.
        const alone = gatePolicies(await auditHere("--state", writeExport(prodIncident(false)), "--json"));
        assert.deepStrictEqual(alone.length, 1, alone.join("\n"));
        assert.match(alone[0], /^vectora-promotion-deployed-as-staged: Promotion gate: the prod stack has 0 promotion gates/);

        const gated = await auditHere("--state", writeExport(prodIncident(true)), "--json");
        assert.ok(
            gatePolicies(gated).includes(
                "vectora-promotion-deployed-as-staged: Promotion gate: prod runs ingest-v2 1.5.0 (sha256 " +
                    "5d2c4eaeadd0f7efee726cab5831b7f1ed42942f88d182c1b47a68f954532a66) but its promotion gate recorded " +
                    "stage running 1.5.0 " +
                    `(sha256 ${"a".repeat(64)}); prod runs only what stage ran.`,
            ),
            gatePolicies(gated).join("\n"),
        );
        // Stage itself was not read (no --live, no --source-state): the audit says what it did not check.
        assert.ok(JSON.parse(gated.out).notes.some((n: string) => n.startsWith("not checked: vectora-promotion-stage-first")));
    });

    it("checks prod against what stage runs when given stage's state, and shows a config that weakens the gate", async () => {
        const stage = stackExport("stage", []);
        const dir = tempDir();
        const run = await auditHere(
            "--state",
            writeExport(prodIncident(true)),
            "--source-state",
            write(dir, "stage.json", JSON.stringify(stage)),
            "--policy-pack-config",
            write(dir, "weak.json", JSON.stringify({ "vectora-promotion-stage-first": "advisory" })),
            "--json",
        );
        const doc = JSON.parse(run.out);
        const first = doc.violations.filter((v: { policy: string }) => v.policy === "vectora-promotion-stage-first");
        assert.ok(first.length > 0 && first.every((v: { level: string }) => v.level === "advisory"), JSON.stringify(first));
        assert.ok(
            first.some((v: { message: string }) =>
                /prod would deploy ingest-v2 1\.5\.0 .* but stage organization\/vectora-inbox\/stage does not run ingest-v2/.test(
                    v.message,
                ),
            ),
            JSON.stringify(first),
        );
        assert.ok(
            doc.notes.includes(
                `the config in force weakens the promotion gate: ${path.join(dir, "weak.json")} sets ` +
                    `vectora-promotion-stage-first to advisory; ` +
                    "the promotion gate is mandatory",
            ),
            doc.notes.join("\n"),
        );
    });

    it("exits 2 with one line on a missing, non-JSON, truncated, old-format or foreign export", async () => {
        const dir = tempDir();
        const doc = incident();
        const cases: Array<[string[], RegExp]> = [
            [
                ["--state", path.join(dir, "none.json")],
                /none\.json: cannot read \(no such file\); expected the JSON printed by `pulumi stack export --stack <env>`/,
            ],
            [["--state", write(dir, "text.json", "Previewing update (stage)\n")], /text\.json:1:1: invalid JSON: unexpected "P"/],
            [
                ["--state", write(dir, "cut.json", fs.readFileSync(INCIDENT, "utf8").slice(0, 5000))],
                /cut\.json:\d+:\d+: invalid JSON: unexpected end of file/,
            ],
            [["--state", writeExport({ ...doc, version: 2 })], /deployment format version 2; expected version 3/],
            [
                ["--state", writeExport(JSON.parse(JSON.stringify(doc).replace(/::vectora-inbox::/g, "::other-app::")))],
                /is a stack export of project other-app; expected a vectora-inbox stack/,
            ],
            [
                ["--state", writeExport(JSON.parse(JSON.stringify(doc).replace(/urn:pulumi:stage::/g, "urn:pulumi:qa::")))],
                /unknown stack "qa"; expected one of dev, stage, prod/,
            ],
            [["--state", INCIDENT, "--stack", "prod"], /is the export of stack stage, not prod/],
            [
                ["--state", write(dir, "outputs.json", '{"env": "stage", "artifacts": {}}')],
                /holds stack outputs \(pulumi stack output\), not a stack export/,
            ],
            [[], /missing --state FILE/],
            [
                ["--state", INCIDENT, "--live", "--source-state", INCIDENT],
                /--live reads the source stack now, --source-state reads it from a file/,
            ],
        ];
        for (const [argv, pattern] of cases) {
            const run = await auditHere(...argv);
            assert.strictEqual(run.code, 2, `${argv.join(" ")}: ${run.err}`);
            assert.match(run.err, pattern);
            assert.strictEqual(run.err.trim().split("\n").length, 1);
        }
    });

    it("writes the incident as SARIF (valid, one result per violation, fingerprints that hold run after run) and JUnit", async () => {
        const sarif = await auditHere("--state", INCIDENT, "--format", "sarif");
        assert.strictEqual(sarif.code, 1, sarif.err);
        const log = JSON.parse(sarif.out);
        assert.deepStrictEqual(sarifSchemaErrors(log), []);
        const results: Json[] = log.runs[0].results;
        assert.strictEqual(results.length, 7);
        assert.strictEqual(log.runs[0].automationDetails.id, "vectora-inbox/audit/stage/");
        const legacy = results.find((r) => r.ruleId === "vectora-lambda-no-legacy-layers");
        assert.deepStrictEqual(
            [
                legacy.level,
                legacy.locations[0].physicalLocation.artifactLocation.uri,
                legacy.locations[0].physicalLocation.region.startLine,
            ],
            ["error", "components/vectoraFunction.ts", 46],
            "the fix of a function's layers belongs in the VectoraFunction component (its class is on line 46)",
        );
        const again = JSON.parse((await auditHere("--state", INCIDENT, "--format", "sarif")).out).runs[0].results;
        assert.deepStrictEqual(
            again.map((r: Json) => r.partialFingerprints.primaryLocationLineHash),
            results.map((r) => r.partialFingerprints.primaryLocationLineHash),
        );
        assert.strictEqual(new Set(results.map((r) => r.partialFingerprints.primaryLocationLineHash)).size, 7);

        const junit = await auditHere("--state", INCIDENT, "--format", "junit");
        assert.strictEqual(junit.code, 1, junit.err);
        assert.deepStrictEqual(await junitSchemaErrors(junit.out), []);
        const read = readJunit(junit.out);
        assert.strictEqual(read.failures, 7);
        const legacyCase = read.suites.find((s) => s.name === "vectora-lambda-no-legacy-layers")?.cases.find((c) => c.failure);
        assert.match(legacyCase?.name ?? "", /aws:lambda\/function:Function::ingest-v2$/);
    });

    it("keeps its JSON shape, now with its format version first", async () => {
        const doc = JSON.parse((await auditHere("--state", INCIDENT, "--json")).out);
        assert.deepStrictEqual(Object.keys(doc), [
            "formatVersion",
            "stack",
            "project",
            "source",
            "deployedFrom",
            "evaluatedBy",
            "notes",
            "resources",
            "outputs",
            "policyPack",
            "violations",
        ]);
        assert.strictEqual(doc.formatVersion, 1);
    });
});
