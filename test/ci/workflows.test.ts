import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REPO } from "../helpers/fixtures";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    if?: string;
}
interface Job {
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string };
    strategy?: { matrix?: Record<string, unknown> };
    permissions?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
}

function load(name: string): Workflow {
    const file = path.join(REPO, ".github/workflows", name);
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    assert.deepStrictEqual(doc.errors, [], name);
    return doc.toJS() as Workflow;
}

const runs = (job: Job) => job.steps.filter((s) => s.run).map((s) => (s.run as string).trim());
const needs = (job: Job) => [job.needs ?? []].flat();
const SCRIPTS = Object.keys(
    (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

describe("GitHub workflows", () => {
    for (const name of ["review.yml", "promote.yml", "drift.yml", "inventory.yml"]) {
        it(`${name}: pins every action to a major version and only runs npm scripts that exist`, () => {
            const wf = load(name);
            for (const [id, job] of Object.entries(wf.jobs)) {
                assert.ok(job.steps.length > 0, id);
                for (const step of job.steps) {
                    assert.ok(step.uses !== undefined || step.run !== undefined, `${id}: a step needs uses or run`);
                    if (step.uses) {
                        // owner/repo@vN, or owner/repo/path@vN for an action in a folder (github/codeql-action/upload-sarif).
                        assert.match(step.uses, /^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@v\d+$/, `${id}: ${step.uses}`);
                    }
                    for (const script of (step.run ?? "").matchAll(/npm run (?:-s )?([\w-]+)/g)) {
                        assert.ok(SCRIPTS.includes(script[1]), `${id}: npm run ${script[1]} is not a package.json script`);
                    }
                }
            }
        });
    }

    it("review.yml: on every pull request, npm ci then npm test, without credentials", () => {
        const wf = load("review.yml");
        assert.ok("pull_request" in wf.on);
        assert.deepStrictEqual(runs(wf.jobs.test), ["npm ci", "npm test"]);
        assert.ok(!JSON.stringify(wf.jobs.test).includes("secrets."), "the test job needs no credentials");
    });

    it("review.yml: checks the version bumps against the pull request's base, with its full history", () => {
        const job = load("review.yml").jobs["check-versions"];
        assert.ok(runs(job).includes("npm run -s check-versions -- --base origin/${{ github.base_ref }}"), runs(job).join("\n"));
        assert.strictEqual(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"], 0);
    });

    it("drift.yml: every day, npm run drift on each stack, each job failing on its own drift", () => {
        const wf = load("drift.yml");
        const schedule = wf.on.schedule as Array<{ cron: string }>;
        assert.match(schedule[0].cron, /^\d+ \d+ \* \* \*$/, "daily");
        const job = wf.jobs.drift;
        assert.deepStrictEqual(job.strategy?.matrix?.stack, ["dev", "stage", "prod"]);
        assert.strictEqual((job.strategy as { "fail-fast"?: boolean })["fail-fast"], false);
        assert.ok(
            runs(job).some((r) => r.startsWith("npm run -s drift -- --stack ${{ matrix.stack }}")),
            runs(job).join("\n"),
        );
        // Stage and prod are also audited against what their source runs now (a deploy past the gate shows there).
        const audit = job.steps.find((s) => (s.run ?? "").startsWith("npm run -s audit -- --stack ${{ matrix.stack }} --live"));
        assert.ok(audit, runs(job).join("\n"));
        assert.strictEqual((audit as { if?: string }).if, "matrix.stack != 'dev'");
    });

    it("inventory.yml: every week, npm run inventory of each environment, each job failing on its own legacy in use", () => {
        const wf = load("inventory.yml");
        const schedule = wf.on.schedule as Array<{ cron: string }>;
        assert.match(schedule[0].cron, /^\d+ \d+ \* \* \d$/, "weekly");
        const job = wf.jobs.inventory;
        assert.deepStrictEqual(job.strategy?.matrix?.env, ["dev", "stage", "prod"]);
        assert.strictEqual((job.strategy as { "fail-fast"?: boolean })["fail-fast"], false);
        assert.ok(
            runs(job).some((r) => r.startsWith("npm run -s inventory -- --env ${{ matrix.env }}")),
            runs(job).join("\n"),
        );
        assert.ok(!runs(job).some((r) => r.includes("cleanup")), "the scheduled job never deletes");
    });

    it("review.yml: previews all three stacks offline with the policy pack, without credentials", () => {
        const job = load("review.yml").jobs["offline-preview"];
        assert.deepStrictEqual(job.strategy?.matrix?.stack, ["dev", "stage", "prod"]);
        assert.ok(
            runs(job).some((r) => r.startsWith("npm run -s preview -- --stack ${{ matrix.stack }}")),
            runs(job).join("\n"),
        );
        assert.ok(!JSON.stringify(job).includes("secrets."));
    });

    it("review.yml: uploads each stack's preview as SARIF to code scanning and keeps its JUnit and JSON as an artifact", () => {
        const job = load("review.yml").jobs["offline-preview"];
        const sarif = "preview-${{ matrix.stack }}.sarif";
        assert.ok(
            runs(job).includes(`npm run -s preview -- --stack \${{ matrix.stack }} --format sarif --output ${sarif}`),
            runs(job).join("\n"),
        );
        assert.match(runs(job).join("\n"), /--format junit --output preview-\$\{\{ matrix\.stack \}\}\.junit\.xml \|\| \[ \$\? -eq 1 \]/);
        const upload = job.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
        assert.strictEqual(upload?.with?.sarif_file, sarif);
        assert.match(upload?.if ?? "", /always\(\)/, "the findings are uploaded even when the preview fails on them");
        assert.strictEqual(job.permissions?.["security-events"], "write");
        const artifact = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
        assert.match(String(artifact?.with?.path), /preview-\$\{\{ matrix\.stack \}\}\.junit\.xml/);
        assert.match(artifact?.if ?? "", /always\(\)/);
    });

    it("review.yml: comments once on the pull request with the links to code scanning and to the reports", () => {
        const job = load("review.yml").jobs["report-links"];
        assert.deepStrictEqual(needs(job), ["offline-preview"]);
        assert.match(job.if ?? "", /always\(\)/);
        assert.strictEqual(job.permissions?.["pull-requests"], "write");
        const script = runs(job).join("\n");
        assert.match(script, /code scanning alerts of this pull request\]\(\$SCANNING\)/);
        assert.match(script, /offline-preview-prod of \[this run\]\(\$ARTIFACTS\)/);
        const env = (job as { env?: Record<string, string> }).env ?? {};
        assert.match(env.SCANNING, /\/security\/code-scanning\?query=pr%3A\$\{\{ github\.event\.pull_request\.number \}\}/);
        assert.match(env.ARTIFACTS, /\/actions\/runs\/\$\{\{ github\.run_id \}\}#artifacts$/);
    });

    it("review.yml: with credentials, runs pulumi preview with the policy pack per stack and comments on the PR", () => {
        const job = load("review.yml").jobs.preview;
        assert.match(job.if ?? "", /vars\.AWS_PREVIEW_ROLE_ARN/);
        assert.deepStrictEqual(needs(job), ["test"]);
        assert.deepStrictEqual(job.strategy?.matrix?.stack, ["dev", "stage", "prod"]);
        assert.strictEqual(job.permissions?.["pull-requests"], "write");
        const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.strictEqual(pulumi?.with?.command, "preview");
        assert.strictEqual(pulumi?.with?.policyPacks, "policy");
        assert.strictEqual(pulumi?.with?.policyPackConfigs, "policy/policy-config.json");
        assert.strictEqual(pulumi?.with?.["comment-on-pr"], true);
        assert.ok(fs.existsSync(path.join(REPO, String(pulumi?.with?.policyPackConfigs))));
        const npmCi = job.steps.findIndex((s) => s.run === "npm ci");
        assert.ok(npmCi >= 0 && npmCi < job.steps.indexOf(pulumi as Step), "the pack is compiled by npm ci before the preview");
    });

    it("promote.yml: dev, then stage after dev, then prod after stage behind the prod environment's approval", () => {
        const wf = load("promote.yml");
        assert.deepStrictEqual(Object.keys(wf.jobs), ["dev", "stage", "prod"]);
        assert.deepStrictEqual(needs(wf.jobs.stage), ["dev"]);
        assert.deepStrictEqual(needs(wf.jobs.prod), ["stage"]);
        const env = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
        assert.deepStrictEqual([env(wf.jobs.dev), env(wf.jobs.stage), env(wf.jobs.prod)], ["dev", "stage", "prod"]);
        assert.ok(
            runs(wf.jobs.dev).includes("pulumi up --stack dev --policy-pack policy --policy-pack-config policy/policy-config.json --yes"),
        );
        // dev's deploy is followed by its smoke test, whose recorded pass stage's gate asks for.
        const devRuns = runs(wf.jobs.dev);
        const devUp = devRuns.findIndex((r) => r.startsWith("pulumi up --stack dev "));
        assert.ok(devUp >= 0 && devRuns.indexOf("npm run smoke -- --stack dev") === devUp + 1, devRuns.join("\n"));
        // promote smoke-tests stage and prod itself, and rolls back to the previous release's commit: the whole history.
        for (const id of ["stage", "prod"]) {
            const checkout = wf.jobs[id].steps.find((s) => s.uses?.startsWith("actions/checkout@"));
            assert.strictEqual(checkout?.with?.["fetch-depth"], 0, `${id} fetches every commit a rollback may rebuild`);
        }
        assert.ok(runs(wf.jobs.stage).includes("npm run promote -- --to stage --yes"));
        assert.ok(runs(wf.jobs.prod).includes("npm run promote -- --to prod --yes"));
        assert.match(wf.jobs.prod.if ?? "", /inputs\.to == 'prod'/);
        assert.strictEqual(wf.concurrency?.["cancel-in-progress"], false, "a deploy is never cancelled half-way");
        for (const id of ["stage", "prod"]) {
            assert.ok(
                wf.jobs[id].steps.some((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.path === "snapshots/"),
                `${id} keeps its snapshot`,
            );
        }
    });
});
