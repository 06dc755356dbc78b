/**
 * A program that uses coflow as an application module would: it reads coflow's API modules only.
 * {@code NamedModuleTest} runs it on the module path.
 */
module dev.coflow.moduletests {
    requires dev.coflow;
    requires dev.coflow.test;

    exports dev.coflow.moduletests;
}
