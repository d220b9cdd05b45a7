import * as path from "path";
import { InputError } from "../lib/errors";
import { isEnv } from "../policy/contract/naming";
import { SimulatedAccount, resourceKey } from "../sandbox/account";
import { applyChanges, findByConsoleName, parseSet, uploadByHand } from "../sandbox/tamper";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";

const USAGE =
    "npm run sandbox:tamper -- --stack <dev|stage|prod> --resource <name> " +
    "(--set <path>=<json> ... | --delete) [--type <type token>] [--cwd DIR]";

/**
 * `npm run sandbox:tamper`: changes the sandbox's simulated AWS account behind Pulumi's back, as a person
 * would in the console (a function's LOG_LEVEL set by hand, a bucket deleted), so that drift detection and
 * refresh can be shown against the real engine.
 */
export async function sandboxTamper(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        {
            stack: { type: "string" },
            resource: { type: "string" },
            type: { type: "string" },
            set: { type: "string", multiple: true },
            delete: { type: "boolean", default: false },
            cwd: { type: "string" },
        },
        USAGE,
    );
    if (!flags.stack || !isEnv(flags.stack) || !flags.resource) {
        throw new InputError(
            `${!flags.resource ? "missing --resource" : flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; ` +
                `usage: ${USAGE}`,
        );
    }
    const changes = (flags.set ?? []).map(parseSet);
    if (changes.length > 0 === flags.delete) {
        throw new InputError(`give either --set <path>=<json> (one or more) or --delete; usage: ${USAGE}`);
    }
    const account = new SimulatedAccount(path.join(projectRoot(flags.cwd), ".build", "sandbox", "account.json"));
    const stack = flags.stack;
    const name = flags.resource;
    const report = account.transact((state, clock) => {
        const target = findByConsoleName(state, stack, name, flags.type);
        if (flags.delete) {
            delete state.resources[resourceKey(target.type, target.id, target.outputs)];
            return `deleted ${target.type} ${target.id}`;
        }
        const before = applyChanges(target, changes);
        uploadByHand(target, changes, clock);
        return changes
            .map(
                (c, i) =>
                    `${target.type} ${target.id}: ${c.path.join(".")} ${JSON.stringify(before[i] ?? null)} -> ${JSON.stringify(c.value)}`,
            )
            .join("\n");
    });
    io.out(`${report}\n(changed in the simulated account by hand; Pulumi's state does not know until a refresh)\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(sandboxTamper);
}
