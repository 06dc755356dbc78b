/**
 * coflow-test: the test harness for coflow users (virtual time, {@code FlowTester},
 * {@code @CoflowTest}).
 *
 * <p>Reads {@code dev.coflow.bridge.internal} through the bridge's qualified export, for the leak
 * check after each test.
 */
module dev.coflow.test {
    requires transitive dev.coflow.bridge;
    requires transitive kotlinx.coroutines.test;
    requires transitive org.junit.jupiter.api;

    exports dev.coflow.test;
}
