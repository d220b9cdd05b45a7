import { isRecord } from "../contract/records";

/**
 * IAM and resource policy documents as the policies read them: a JSON string or an object, statements
 * whose fields may each be one value or a list.
 */

/** One value or a list of values, as a list (IAM allows both almost everywhere). */
export function list(value: unknown): unknown[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The strings of a one-or-many field. */
export function stringList(value: unknown): string[] {
    return list(value).filter((v): v is string => typeof v === "string");
}

/** A statement of a document, with its label for messages (its Sid, else its position). */
export interface Statement {
    readonly label: string;
    readonly body: Record<string, unknown>;
}

/** The statements of a document, or a problem when it is not one. */
export function statementsOf(document: unknown): { statements: Statement[] } | { problem: string } {
    let doc: unknown = document;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return { problem: "is not valid JSON" };
        }
    }
    if (!isRecord(doc)) {
        return { problem: "is not a policy document" };
    }
    const statements: Statement[] = [];
    list(doc.Statement).forEach((body, index) => {
        if (isRecord(body)) {
            statements.push({ label: `statement ${typeof body.Sid === "string" ? body.Sid : index}`, body });
        }
    });
    return { statements };
}

/** Who a statement's Principal names, by kind: "*" is `anyone`. */
export interface Principals {
    readonly anyone: boolean;
    readonly aws: string[];
    readonly services: string[];
    readonly federated: string[];
}

export function principalsOf(principal: unknown): Principals {
    if (principal === "*") {
        return { anyone: true, aws: [], services: [], federated: [] };
    }
    if (!isRecord(principal)) {
        return { anyone: false, aws: [], services: [], federated: [] };
    }
    const aws = stringList(principal.AWS);
    return {
        anyone: aws.includes("*"),
        aws: aws.filter((p) => p !== "*"),
        services: stringList(principal.Service),
        federated: [...stringList(principal.Federated), ...stringList(principal.CanonicalUser)],
    };
}

/** The values a statement's condition sets for a key, whatever the operator (StringEquals, ArnLike...). */
export function conditionValues(statement: Record<string, unknown>, key: string): string[] {
    const condition = statement.Condition;
    if (!isRecord(condition)) {
        return [];
    }
    const wanted = key.toLowerCase();
    return Object.values(condition).flatMap((operator) =>
        isRecord(operator) ? Object.entries(operator).flatMap(([k, v]) => (k.toLowerCase() === wanted ? stringList(v) : [])) : [],
    );
}

/** The actions of a statement (lower case: IAM action names are case-insensitive). */
export function actionsOf(statement: Record<string, unknown>): string[] {
    return stringList(statement.Action).map((a) => a.toLowerCase());
}

/** True when a statement's actions include `action`, directly or through a wildcard such as `s3:*`. */
export function coversAction(statement: Record<string, unknown>, action: string): boolean {
    const wanted = action.toLowerCase();
    return actionsOf(statement).some((a) => a === "*" || a === wanted || (a.endsWith("*") && wanted.startsWith(a.slice(0, -1))));
}

/** True when an IAM resource pattern (`*` any run of characters, `?` one character) matches a value. */
export function matchesPattern(pattern: string, value: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(value);
}

/** The resources of a statement. */
export function resourcesOf(statement: Record<string, unknown>): string[] {
    return stringList(statement.Resource);
}
