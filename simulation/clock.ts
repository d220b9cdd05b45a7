/**
 * The time the simulated AWS stamps on writes (a function's lastModified, a layer version's createdDate) and the
 * sandbox's smoke test on its attestations. `VECTORA_SANDBOX_NOW` (an ISO date) fixes it, so that a test can say
 * "stage published this release 15 days ago" without waiting 15 days. Only the sandbox reads it: the policy pack and
 * the program measure a soak against the real clock, so the variable cannot shorten one.
 */
export function sandboxNow(): Date {
    const fixed = process.env.VECTORA_SANDBOX_NOW;
    if (fixed) {
        const t = Date.parse(fixed);
        if (Number.isNaN(t)) {
            throw new Error(`VECTORA_SANDBOX_NOW=${fixed} is not a date; expected an ISO date such as 2026-11-01T00:00:00Z`);
        }
        return new Date(t);
    }
    return new Date();
}
