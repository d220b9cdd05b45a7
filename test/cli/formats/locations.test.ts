import * as assert from "assert";
import { RepoFiles, declaringSource, policyFindingLocation, urnTypes } from "../../../cli/formats/locations";
import { tempDir, write } from "../../helpers/fixtures";

/** A small repository: every line the tests expect is written out here. */
function repo(): RepoFiles {
    const root = tempDir();
    write(root, "VERSION", "# versions\nVECTORA_CORE_VERSION=1.2.3\nINGEST_VERSION=1.5.0\nNEWSLETTER_VERSION=2.0.0-rc.1\n");
    write(
        root,
        "Pulumi.stage.yaml",
        "config:\n  vectora-inbox:bedrockModelId: anthropic.claude-x\n  vectora-inbox:bedrockRegion: us-east-1\n" +
            '  vectora-inbox:logRetentionDays: "30"\n',
    );
    write(root, "components/privateBucket.ts", "import x;\n\nexport class PrivateBucket extends Base {\n}\n");
    write(root, "program.ts", "// program\nexport function declareStack(inputs) {\n}\n");
    write(root, "canonical/clients/lai_weekly.yaml", "client_id: lai_weekly\nversion: 1.0.0\n");
    return new RepoFiles(root);
}

const BUCKET = "urn:pulumi:stage::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::config";
const GATE = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
const OBJECT = "urn:pulumi:stage::vectora-inbox::vectora:config:CanonicalSync$aws:s3/bucketObjectv2:BucketObjectv2::clients-lai";
const NONE = new Map();

describe("where a finding's fix belongs", () => {
    it("reads a URN's types, outermost first", () => {
        assert.deepStrictEqual(urnTypes(BUCKET), ["vectora:storage:PrivateBucket", "aws:s3/bucket:Bucket"]);
        assert.deepStrictEqual(urnTypes("not a urn"), []);
    });

    it("puts a promotion finding on the VERSION line of the first artifact its message names", () => {
        const at = (message: string, policy = "vectora-promotion-stage-first") =>
            policyFindingLocation(repo(), "prod", { policy, message, urn: GATE, tags: [] }, NONE);
        assert.deepStrictEqual(at("prod would deploy ingest-v2 1.6.0 but stage runs ingest-v2 1.5.0"), {
            file: "VERSION",
            startLine: 3,
            startColumn: 1,
            endLine: 3,
            endColumn: 21,
            note: "INGEST_VERSION in VERSION sets the version of ingest-v2",
        });
        assert.strictEqual(at("layer newsletter-v2 runs 2.0.0-rc.1, then vectora-core").startLine, 4);
        // Tagged "versions" without the promotion prefix: the same place.
        const tagged = policyFindingLocation(repo(), "prod", { policy: "x", message: "vectora-core 1.2.3", tags: ["versions"] }, NONE);
        assert.strictEqual(tagged.startLine, 2);
        // No artifact named: the component that declares the resource.
        assert.strictEqual(at("the prod stack has 0 promotion gates").file, "program.ts");
    });

    it("puts a config-driven finding on the stack config key whose value the message quotes", () => {
        const at = (policy: string, message: string) => policyFindingLocation(repo(), "stage", { policy, message, tags: [] }, NONE);
        assert.deepStrictEqual(
            [
                at("vectora-bedrock-allowlist", "region eu-west-1 is not allowed").startLine,
                at("vectora-bedrock-allowlist", "anthropic.claude-x").startLine,
            ],
            [2, 2],
        );
        assert.strictEqual(at("vectora-bedrock-allowlist", "calls Bedrock in us-east-1").startLine, 3);
        assert.deepStrictEqual(at("vectora-logs-retention-set", "retention 30 days"), {
            file: "Pulumi.stage.yaml",
            startLine: 4,
            startColumn: 1,
            endLine: 4,
            endColumn: 39,
            note: "vectora-inbox:logRetentionDays in Pulumi.stage.yaml sets what this policy checks",
        });
    });

    it("puts a finding on a canonical object on the canonical file it was synced from", () => {
        const resources = new Map([
            [OBJECT, { urn: OBJECT, type: "aws:s3/bucketObjectv2:BucketObjectv2", inputs: { key: "canonical/clients/lai_weekly.yaml" } }],
        ]);
        const found = policyFindingLocation(
            repo(),
            "stage",
            { policy: "vectora-tags-required", message: "no tags", urn: OBJECT, tags: [] },
            resources,
        );
        assert.deepStrictEqual([found.file, found.startLine, found.endColumn], ["canonical/clients/lai_weekly.yaml", 1, 22]);
    });

    it("puts any other finding on the component's class, or the program's declareStack when there is none", () => {
        assert.deepStrictEqual(declaringSource(repo(), BUCKET), {
            file: "components/privateBucket.ts",
            startLine: 3,
            startColumn: 1,
            endLine: 3,
            endColumn: 42,
            note: "vectora:storage:PrivateBucket declares this resource in components/privateBucket.ts",
        });
        const gone = "urn:pulumi:stage::vectora-inbox::vectora:storage:NoSuchThing$aws:s3/bucket:Bucket::x";
        assert.deepStrictEqual([declaringSource(repo(), gone).file, declaringSource(repo(), gone).startLine], ["program.ts", 2]);
        assert.strictEqual(declaringSource(repo(), undefined).startLine, 2);
    });
});
