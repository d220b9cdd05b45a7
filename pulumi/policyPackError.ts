/** A policy pack that could not be started or answered wrongly: the check fails closed (exit 1). */
export class PolicyPackError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyPackError";
    }
}
