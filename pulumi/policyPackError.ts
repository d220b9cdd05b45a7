import { EXIT, ExitError } from "../lib/command";

/** A policy pack that could not be started or answered wrongly: the check fails closed (exit 1). */
export class PolicyPackError extends ExitError {
    constructor(message: string) {
        super(message, EXIT.blocked);
        this.name = "PolicyPackError";
    }

    override report(debug: boolean): string {
        return `policy check failed closed: ${super.report(debug)}`;
    }
}
