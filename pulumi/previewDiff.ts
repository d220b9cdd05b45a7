import { isRecord } from "../policy/contract/records";
import { DEFAULTS_KEY, UNKNOWN } from "./wire";

/** One property that differs between the cloud (refreshed) and the repository (the program). */
export interface PropertyDrift {
    /** Dotted path (`environment.variables.LOG_LEVEL`, `tags.Owner`, `layers[1]`). */
    readonly path: string;
    /** The value in the cloud, or undefined when the cloud does not have it. */
    readonly cloud: unknown;
    /** The value the repository declares, or undefined when it does not set it. */
    readonly repository: unknown;
}

/** One resource whose cloud state and repository disagree. */
export interface ResourceDrift {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** What `pulumi up` would do about it (update, replace, create, delete...). */
    readonly op: string;
    readonly properties: readonly PropertyDrift[];
}

/** A step of `pulumi preview --json` (only what drift reads). */
interface PreviewStep {
    readonly op?: string;
    readonly urn?: string;
    readonly diffReasons?: string[];
    readonly detailedDiff?: Record<string, unknown> | null;
    readonly oldState?: { readonly type?: string; readonly outputs?: Record<string, unknown>; readonly inputs?: Record<string, unknown> };
    readonly newState?: { readonly type?: string; readonly inputs?: Record<string, unknown> };
}

/** Steps that change nothing in the cloud. */
const QUIET_OPS = new Set(["same", "read", "refresh", "discard", "remove-pending-replace"]);

/** Every leaf path where two values differ; a value the repository computes during the preview is not a difference. */
export function differences(cloud: unknown, repository: unknown, path = ""): PropertyDrift[] {
    if (repository === UNKNOWN) {
        return [];
    }
    if (isRecord(cloud) && isRecord(repository)) {
        const keys = [...new Set([...Object.keys(cloud), ...Object.keys(repository)])].filter((k) => k !== DEFAULTS_KEY).sort();
        return keys.flatMap((k) => differences(cloud[k], repository[k], path === "" ? k : `${path}.${k}`));
    }
    if (Array.isArray(cloud) && Array.isArray(repository) && cloud.length === repository.length) {
        return cloud.flatMap((c, i) => differences(c, repository[i], `${path}[${i}]`));
    }
    return JSON.stringify(cloud) === JSON.stringify(repository) ? [] : [{ path, cloud, repository }];
}

/**
 * The resources a refreshed preview would change, property by property: the refreshed state is what the
 * cloud holds, the new inputs what the repository declares. Only the top-level properties the provider
 * reports as different are walked (a computed output is never a drift).
 */
export function driftOf(preview: unknown): ResourceDrift[] {
    const steps: PreviewStep[] = isRecord(preview) && Array.isArray(preview.steps) ? (preview.steps as PreviewStep[]) : [];
    return steps
        .filter((s) => s.op !== undefined && !QUIET_OPS.has(s.op) && s.urn !== undefined)
        .map((s) => {
            const urn = s.urn as string;
            const cloud = s.oldState?.outputs ?? {};
            const repository = s.newState?.inputs ?? {};
            const keys = Object.keys(s.detailedDiff ?? {}).map((k) => k.split(/[.[]/)[0]);
            const reasons = [...new Set([...(s.diffReasons ?? []), ...keys])].sort();
            const properties = (reasons.length > 0 ? reasons : [...new Set([...Object.keys(cloud), ...Object.keys(repository)])]).flatMap(
                (k) => differences(cloud[k], repository[k], k),
            );
            return {
                urn,
                type: s.newState?.type ?? s.oldState?.type ?? urn.split("::")[2] ?? "",
                name: urn.split("::").pop() ?? urn,
                op: s.op as string,
                properties,
            };
        });
}

/** Every resource a refreshed preview went over (changed or not): the resources drift was checked on. */
export function previewedUrns(preview: unknown): string[] {
    const steps: PreviewStep[] = isRecord(preview) && Array.isArray(preview.steps) ? (preview.steps as PreviewStep[]) : [];
    return [...new Set(steps.map((s) => s.urn).filter((urn): urn is string => typeof urn === "string"))];
}

/** A value as the drift report shows it. */
export function shown(value: unknown): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}
