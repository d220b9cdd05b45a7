import { closePacks } from "./helpers/pack";

/** Mocha root hooks: the shared policy packs are child processes; stop them so that mocha can exit. */
export const mochaHooks = {
    afterAll(): void {
        closePacks();
    },
};
