package dev.coflow.moduletests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coflow's module descriptors, tested on the module path: {@link NamedModuleMain} runs in a JVM of
 * its own as the named module {@code dev.coflow.moduletests} (the unit suites run on the class
 * path), and javac refuses a module that imports {@code dev.coflow.bridge.internal}.
 */
class NamedModuleTest {
    private static final String MAIN = "dev.coflow.moduletests/dev.coflow.moduletests.NamedModuleMain";
    private static final String ADD_EXPORTS = "dev.coflow.bridge/dev.coflow.bridge.internal=dev.coflow.moduletests";

    /**
     * The module path: this module's classes and the jars of its dependencies (coflow's own,
     * built by the reactor, kotlinx, kotlin-stdlib, JUnit's API).
     */
    private static String modulePath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            boolean mainClasses = Files.isDirectory(p) && Files.exists(p.resolve("module-info.class"));
            if (mainClasses || entry.endsWith(".jar")) {
                entries.add(entry);
            }
        }
        assertTrue(
                entries.stream().anyMatch(e -> Files.exists(Path.of(e, "module-info.class"))),
                () -> "this module's classes are not on the test class path: " + classPath);
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> run(String... javaOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--module-path");
        command.add(modulePath());
        command.addAll(List.of(javaOptions));
        command.add("-m");
        command.add(MAIN);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String text = output.get(10, TimeUnit.SECONDS);
        assertTrue(exited, () -> "the named-module program did not exit within 60 s:\n" + text);
        assertEquals(0, process.exitValue(), () -> "the named-module program failed:\n" + text);
        return text.lines().toList();
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(List<String> output, String fact) {
        return output.stream()
                .filter(l -> l.startsWith(fact + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + fact + "' line in:\n" + String.join("\n", output)));
    }

    @Test
    void theLibraryWorksFromANamedModule() throws Exception {
        List<String> output = run();
        assertEquals("named dev.coflow dev.coflow.bridge dev.coflow.moduletests", line(output, "named"));
        assertEquals("generator [1, 4, 9] at 30000 ms", line(output, "generator"));
        assertEquals("channel [0, 1, 2]", line(output, "channel"));
        assertEquals(
                "internal blocked",
                line(output, "internal"),
                "the bridge's internal package is exported to coflow's modules only, so reflection from here is refused");
    }

    /** kotlinx's mangled and internal names resolved inside a module graph: none fell back to null. */
    @Test
    void theKotlinxInternalsResolveOnTheModulePath() throws Exception {
        List<String> output = run("--add-exports", ADD_EXPORTS);
        assertEquals("internal readable tryRunNext=true isIdle=true trySend=true", line(output, "internal"));
        assertEquals("generator [1, 4, 9] at 30000 ms", line(output, "generator"));
    }

    @Test
    void aModuleCannotImportTheBridgeInternals(@TempDir Path dir) throws IOException {
        List<Diagnostic<? extends JavaFileObject>> errors = compile(dir, "dev.coflow.bridge.internal.LiveBodies");
        assertFalse(errors.isEmpty(), "javac accepted an import of dev.coflow.bridge.internal from a user module");
        String messages = errors.stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
        assertTrue(messages.contains("package dev.coflow.bridge.internal is not visible"), messages);
        assertTrue(messages.contains("does not export it to module user.app"), messages);
    }

    /** The control for the test above: the same module, importing an exported package, compiles. */
    @Test
    void theSameModuleCompilesAgainstTheApi(@TempDir Path dir) throws IOException {
        List<Diagnostic<? extends JavaFileObject>> errors = compile(dir, "dev.coflow.bridge.Coroutines");
        assertTrue(
                errors.isEmpty(),
                () -> errors.stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")));
    }

    /** Compiles a module {@code user.app} that requires dev.coflow and imports {@code type}; returns the errors. */
    private static List<Diagnostic<? extends JavaFileObject>> compile(Path dir, String type) throws IOException {
        Path src = dir.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("user/app"));
        Files.writeString(src.resolve("module-info.java"), "module user.app { requires dev.coflow; }\n");
        Files.writeString(
                pkg.resolve("App.java"),
                "package user.app;\n\nimport " + type + ";\n\n"
                        + "public class App {\n    static String name() { return "
                        + type.substring(type.lastIndexOf('.') + 1)
                        + ".class.getName(); }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units =
                    files.getJavaFileObjects(src.resolve("module-info.java"), pkg.resolve("App.java"));
            // An empty class path: javac would otherwise default to this JVM's, which has coflow too.
            List<String> options = List.of(
                    "--module-path",
                    modulePath(),
                    "--class-path",
                    Files.createDirectories(dir.resolve("empty")).toString(),
                    "-d",
                    Files.createDirectories(dir.resolve("out")).toString(),
                    "--release",
                    "21");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .toList();
    }
}
