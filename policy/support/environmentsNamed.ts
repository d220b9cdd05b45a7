import { PARAMETER_ROOT } from "../contract/lambdaEnvironment";
import { ENVIRONMENTS, Env, PROJECT } from "../contract/naming";

/**
 * Identifiers of one environment found inside a string: names of the project's resources
 * (`vectora-inbox-...-<env>`, in names, ARNs and S3 URIs) and SSM paths (`/rag-lai/<env>/`).
 */
export function environmentsNamed(text: string): Array<{ env: Env; token: string }> {
    const found: Array<{ env: Env; token: string }> = [];
    const names = new RegExp(`${PROJECT}-[a-z0-9-]*?-(${ENVIRONMENTS.join("|")})(?![a-z0-9-])`, "g");
    for (const match of text.matchAll(names)) {
        found.push({ env: match[1] as Env, token: match[0] });
    }
    const paths = new RegExp(`${PARAMETER_ROOT}/(${ENVIRONMENTS.join("|")})/`, "g");
    for (const match of text.matchAll(paths)) {
        found.push({ env: match[1] as Env, token: match[0] });
    }
    return found;
}
