package dev.coflow.platform;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.kotlin.BookRepository;
import dev.coflow.test.CoflowTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The deployed artifacts stay Kotlin-free: no class in their jars was compiled by kotlinc (kotlinc
 * marks every class it writes with {@code @kotlin.Metadata}), and their POMs name no Kotlin tooling,
 * so a plain Java build (see {@link UserBuildTest}) needs none.
 */
class DeployedArtifactsTest {
    private static final byte[] KOTLIN_METADATA = "Lkotlin/Metadata;".getBytes(StandardCharsets.UTF_8);

    @Test
    void theDeployedJarsHoldNoKotlinCompiledClass() throws IOException {
        for (Class<?> type : List.of(Suspend.class, AsyncFlow.class, CoflowTest.class)) {
            Path jar = ReactorBuild.jarOf(type);
            List<String> classes = classesIn(jar);
            assertTrue(classes.size() > 10, jar + " holds only " + classes);
            List<String> kotlin = kotlinCompiled(jar);
            assertEquals(List.of(), kotlin, jar + " holds Kotlin-compiled classes");
        }
    }

    @Test
    void theCheckSeesKotlinCompiledClassesWhereThereAreSome() throws Exception {
        Path kotlinx = ReactorBuild.jarOf(kotlinx.coroutines.flow.Flow.class);
        assertFalse(
                kotlinCompiled(kotlinx).isEmpty(), "the marker check finds nothing in kotlinx itself: it is broken");
        Path repository = Path.of(BookRepository.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("dev/coflow/kotlin/BookRepository.class");
        assertTrue(hasMarker(Files.readAllBytes(repository)), "this module's own Kotlin class is not seen as Kotlin");
    }

    @Test
    void theDeployedPomsNeedNoKotlinTooling() {
        List<Path> poms = ReactorBuild.deployedPoms();
        List<String> names = poms.stream()
                .map(p -> ReactorBuild.root().relativize(p).toString())
                .toList();
        assertEquals(
                List.of(
                        "pom.xml",
                        "bom/pom.xml",
                        "coroutine-bridge/pom.xml",
                        "java-api/pom.xml",
                        "tests/pom.xml",
                        "kafka/pom.xml"),
                names,
                "the deployed POMs changed: check the new one here");
        for (Path pom : poms) {
            Element project = ReactorBuild.parse(pom).getDocumentElement();
            NodeList groups = project.getElementsByTagName("groupId");
            for (int i = 0; i < groups.getLength(); i++) {
                String group = groups.item(i).getTextContent().trim();
                String parent = ((Element) groups.item(i).getParentNode()).getTagName();
                assertFalse(
                        group.equals("org.jetbrains.kotlin"),
                        pom + " names org.jetbrains.kotlin (in a " + parent
                                + "): Kotlin tooling and direct Kotlin artifacts stay out of deployed POMs");
            }
            assertFalse(ReactorBuild.read(pom).contains("kotlin-maven-plugin"), pom + " names kotlin-maven-plugin");
        }
    }

    @Test
    void theBomAlignsWithWhatTheBuildUses() {
        Element root =
                ReactorBuild.parse(ReactorBuild.root().resolve("pom.xml")).getDocumentElement();
        Element props = ReactorBuild.child(root, "properties");
        Element bom =
                ReactorBuild.parse(ReactorBuild.root().resolve("bom/pom.xml")).getDocumentElement();
        assertNull(ReactorBuild.child(bom, "parent"), "the BOM must not inherit the parent's build-only management");
        assertEquals(ReactorBuild.version(), ReactorBuild.text(bom, "version"), "bom/pom.xml's version");
        List<String> managed = new ArrayList<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String id = ReactorBuild.text(d, "artifactId");
            String version = ReactorBuild.text(d, "version");
            managed.add(id);
            switch (id) {
                case "kotlinx-coroutines-bom" ->
                    assertEquals(ReactorBuild.text(props, "kotlinx.coroutines.version"), version, id);
                case "junit-bom" -> assertEquals(ReactorBuild.text(props, "junit.version"), version, id);
                default -> assertEquals("${project.version}", version, id);
            }
        }
        assertEquals(
                List.of(
                        "coflow-bridge",
                        "coflow-api",
                        "coflow-test",
                        "coflow-kafka",
                        "kotlinx-coroutines-bom",
                        "junit-bom"),
                managed);
    }

    private static List<String> classesIn(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class"))
                    .toList();
        }
    }

    private static List<String> kotlinCompiled(Path jar) throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e :
                    file.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (InputStream in = file.getInputStream(e)) {
                    if (hasMarker(in.readAllBytes())) {
                        found.add(e.getName());
                    }
                }
            }
        }
        return found;
    }

    /** Whether the class file's constant pool names {@code kotlin.Metadata} (the annotation kotlinc puts on every class). */
    private static boolean hasMarker(byte[] classFile) {
        outer:
        for (int i = 0; i + KOTLIN_METADATA.length <= classFile.length; i++) {
            for (int j = 0; j < KOTLIN_METADATA.length; j++) {
                if (classFile[i + j] != KOTLIN_METADATA[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
