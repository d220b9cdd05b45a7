/**
 * Lambda runtimes and the date AWS deprecates each one (after it, no security patches; some months later,
 * no function can be created or updated on it). The program picks its runtime from this table and the pack
 * checks every function and layer against it, with today's date, so that nobody has to remember.
 *
 * Sources: the AWS Lambda developer guide, "Lambda runtimes" (supported and deprecated runtime tables,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as of November 2026; python3.14 and
 * nodejs24.x from endoflife.date/aws-lambda where the AWS table was not at hand. AWS moves dates: update a
 * row when it does (the change is reviewed like any other governance change).
 */
export const RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
    "python3.14": "2029-06-30",
    "python3.13": "2029-06-30",
    "python3.12": "2028-10-31",
    "python3.11": "2026-06-30",
    "python3.10": "2026-06-30",
    "python3.9": "2025-12-15",
    "python3.8": "2024-10-14",
    "python3.7": "2023-12-04",
    "python3.6": "2022-07-18",
    "nodejs24.x": "2028-04-30",
    "nodejs22.x": "2027-04-30",
    "nodejs20.x": "2026-04-30",
    "nodejs18.x": "2025-09-01",
    "nodejs16.x": "2024-06-12",
    "nodejs14.x": "2023-12-04",
};

/** Days before a deprecation date from which a runtime is reported (advisory): time to plan the move. */
export const RUNTIME_WARNING_DAYS = 180;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Where a runtime stands on a given day. */
export type RuntimeStatus =
    | { readonly state: "supported"; readonly deprecation: string }
    | { readonly state: "ending"; readonly deprecation: string; readonly daysLeft: number }
    | { readonly state: "deprecated"; readonly deprecation: string }
    | { readonly state: "unknown" };

/** The status of a runtime on `now`, with `warningDays` of notice before its deprecation date. */
export function runtimeStatus(runtime: string, now: Date, warningDays: number = RUNTIME_WARNING_DAYS): RuntimeStatus {
    const deprecation = RUNTIME_DEPRECATION[runtime];
    if (deprecation === undefined) {
        return { state: "unknown" };
    }
    const daysLeft = Math.ceil((Date.parse(`${deprecation}T00:00:00Z`) - now.getTime()) / DAY_MS);
    if (daysLeft <= 0) {
        return { state: "deprecated", deprecation };
    }
    return daysLeft <= warningDays ? { state: "ending", deprecation, daysLeft } : { state: "supported", deprecation };
}
