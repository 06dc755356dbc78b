package dev.coflow.platform;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * A plain Java user's Maven build, for real: a small project in a temporary folder, built by this
 * machine's Maven with a fresh local repository that holds only the coflow artifacts this reactor
 * just packaged (jars and POMs exactly as deployed); everything else comes first from the developer's
 * local repository, read as a file repository (only read, never written), then, on a machine that
 * lacks something, from Maven's default remote (unless the outer build runs offline, {@code -o}).
 * No Kotlin plugin, no Kotlin compiler: the build needs none.
 */
class UserBuildTest {
    private static final String PLUGINS = """
              <build>
                <plugins>
                  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                  <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                </plugins>
              </build>
            """;

    private static Path users;
    private static String output;

    /**
     * One Maven run (one JVM start, {@code --fail-at-end}) builds three user projects side by side;
     * each test below then reads its project's surefire report.
     */
    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void buildTheUserProjects(@TempDir Path dir) throws Exception {
        users = dir;
        writeJUnitUser(dir.resolve("junit-5.11.4-user"), "5.11.4", "1.11.4");
        writeJUnitUser(dir.resolve("junit-5.10.2-user"), "5.10.2", "1.10.2");
        String readme = ReactorBuild.read(ReactorBuild.root().resolve("README.md"));
        String pom = blockAfter(readme, "<!-- user-setup: pom.xml -->", "xml");
        String test = blockAfter(readme, "<!-- user-setup: test -->", "java");
        Matcher name = Pattern.compile("class (\\w+)").matcher(test);
        assertTrue(name.find(), "no test class in the README's block");
        write(dir.resolve("readme-user/pom.xml"), pom);
        write(dir.resolve("readme-user/src/test/java/" + name.group(1) + ".java"), test);
        write(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>users</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <modules>
                    <module>junit-5.11.4-user</module>
                    <module>junit-5.10.2-user</module>
                    <module>readme-user</module>
                  </modules>
                </project>
                """);
        output = build(dir);
    }

    /**
     * The setup of the bug report: {@code coflow-test} declared before {@code junit-jupiter:5.11.4},
     * no BOM. It used to fail with {@code NoClassDefFoundError: org/junit/platform/engine/OutputDirectoryCreator}
     * and run 0 tests; the user's JUnit must win, everywhere on the test class path.
     */
    @Test
    void aUsersOwnJUnit5114WinsOverTheHarnessOwn() {
        assertTestsPassed(users.resolve("junit-5.11.4-user"), "com.example.UserFlowTest", 2);
    }

    /** The oldest JUnit the README promises, the same way. */
    @Test
    void aUsersOwnJUnit5102WinsOverTheHarnessOwn() {
        assertTestsPassed(users.resolve("junit-5.10.2-user"), "com.example.UserFlowTest", 2);
    }

    /** The README's test setup, copied from the README as a user would: its pom.xml and its test class. */
    @Test
    void theReadmeTestSetupBuildsAsWritten() {
        String pom = ReactorBuild.read(users.resolve("readme-user/pom.xml"));
        assertTrue(
                pom.contains("<version>" + ReactorBuild.version() + "</version>"),
                "the README's pom.xml must import coflow-bom " + ReactorBuild.version());
        assertFalse(pom.contains("kotlin"), "the README's setup needs no Kotlin tooling");
        assertTestsPassed(users.resolve("readme-user"), "SlowNumbersTest", 4);
    }

    private static void writeJUnitUser(Path project, String jupiter, String platform) throws IOException {
        write(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>junit-%2$s-user</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <!-- the test uses AsyncFlow; the harness brings only the bridge -->
                      <groupId>dev.coflow</groupId>
                      <artifactId>coflow-api</artifactId>
                      <version>%1$s</version>
                    </dependency>
                    <dependency>
                      <groupId>dev.coflow</groupId>
                      <artifactId>coflow-test</artifactId>
                      <version>%1$s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>%2$s</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                %3$s</project>
                """.formatted(ReactorBuild.version(), jupiter, PLUGINS));
        write(project.resolve("src/test/java/com/example/UserFlowTest.java"), """
                package com.example;

                import static org.junit.jupiter.api.Assertions.*;

                import dev.coflow.AsyncFlow;
                import dev.coflow.bridge.Suspend;
                import dev.coflow.test.CoflowTest;
                import dev.coflow.test.FlowTester;
                import dev.coflow.test.VirtualTimeScope;
                import java.time.Duration;
                import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

                class UserFlowTest {
                    @CoflowTest
                    void aMinutePerNumberOnTheVirtualClock(VirtualTimeScope scope) {
                        AsyncFlow<Integer> slow = AsyncFlow.generate(out -> {
                            for (int i = 1; i <= 3; i++) {
                                Suspend.delay(Duration.ofMinutes(1));
                                out.emit(i);
                            }
                        });
                        FlowTester.test(slow, Duration.ofMinutes(2), t -> {
                            assertEquals(1, t.awaitItem());
                            assertEquals(2, t.awaitItem());
                            assertEquals(3, t.awaitItem());
                            t.awaitComplete();
                        });
                        assertEquals(180_000, scope.currentTime());
                    }

                    @Test
                    void runsOnTheUsersJUnit() {
                        String api = Test.class.getProtectionDomain().getCodeSource().getLocation().toString();
                        String engine = org.junit.platform.engine.TestEngine.class.getProtectionDomain().getCodeSource().getLocation().toString();
                        assertTrue(api.endsWith("junit-jupiter-api-%1$s.jar"), api);
                        assertTrue(engine.endsWith("junit-platform-engine-%2$s.jar"), engine);
                    }
                }
                """.formatted(jupiter, platform));
    }

    /** The fenced block of {@code language} that follows {@code marker}. */
    private static String blockAfter(String text, String marker, String language) {
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "README.md lost its marker " + marker);
        int open = text.indexOf("```" + language + "\n", at);
        assertTrue(open >= 0, "no ```" + language + " block after " + marker);
        int start = open + language.length() + 4;
        int end = text.indexOf("\n```", start);
        return text.substring(start, end + 1);
    }

    /** Runs {@code mvn --fail-at-end test} in {@code dir}; returns its output. */
    private static String build(Path dir) throws Exception {
        Path repo = stageCoflow(dir.resolve("local-repo"));
        Path settings = write(dir.resolve("settings.xml"), """
                <settings>
                  <localRepository>%1$s</localRepository>
                  <profiles>
                    <profile>
                      <id>developer-local-repository</id>
                      <repositories>
                        <repository><id>developer-local-repository</id><url>%2$s</url></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>developer-local-repository</id><url>%2$s</url></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>developer-local-repository</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(
                        repo, Path.of(required("coflow.m2")).toUri()));
        Path mvn = Path.of(required("coflow.maven.home"), "bin", "mvn");
        Path log = dir.resolve("build.log");
        List<String> command =
                new java.util.ArrayList<>(List.of(mvn.toString(), "-B", "-ntp", "-s", settings.toString()));
        if ("offline-true".equals(System.getProperty("coflow.offline"))) {
            // offline like the outer build; the file repository stays reachable
            command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
        }
        command.addAll(List.of("--fail-at-end", "test"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the user build did not finish in 8 minutes:\n" + tail(log));
        }
        return tail(log);
    }

    private static void assertTestsPassed(Path project, String testClass, int tests) {
        Path report = project.resolve("target/surefire-reports/TEST-" + testClass + ".xml");
        assertTrue(Files.isRegularFile(report), "no test report " + report + ":\n" + output);
        Element suite = ReactorBuild.parse(report).getDocumentElement();
        assertEquals(String.valueOf(tests), suite.getAttribute("tests"), output);
        assertEquals("0", suite.getAttribute("failures"), output);
        assertEquals("0", suite.getAttribute("errors"), output);
        assertEquals("0", suite.getAttribute("skipped"), output);
    }

    /** A local repository holding exactly the coflow artifacts this reactor packaged, laid out as {@code deploy} would. */
    private static Path stageCoflow(Path repo) throws IOException {
        if (Files.isDirectory(repo)) {
            return repo;
        }
        String version = ReactorBuild.version();
        Path root = ReactorBuild.root();
        stage(repo, "coflow-parent", version, root.resolve("pom.xml"), null);
        stage(repo, "coflow-bom", version, root.resolve("bom/pom.xml"), null);
        stage(
                repo,
                "coflow-bridge",
                version,
                root.resolve("coroutine-bridge/pom.xml"),
                ReactorBuild.jarOf(Suspend.class));
        stage(repo, "coflow-api", version, root.resolve("java-api/pom.xml"), ReactorBuild.jarOf(AsyncFlow.class));
        stage(repo, "coflow-test", version, root.resolve("tests/pom.xml"), ReactorBuild.jarOf(CoflowTest.class));
        return repo;
    }

    private static void stage(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                repo.resolve("dev/coflow").resolve(artifact).resolve(version));
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertNotNull(value, "system property " + property + " is not set; run through the reactor (mvn verify)");
        return value;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
