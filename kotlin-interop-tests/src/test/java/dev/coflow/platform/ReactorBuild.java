package dev.coflow.platform;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where this reactor build keeps what it deploys: the root (from the {@code coflow.root} system
 * property that the module's surefire configuration sets), the deployed modules (those that do not
 * skip deployment), and the jars that {@code package} just built (found through this test's own
 * class path, which holds them under {@code mvn verify}).
 */
final class ReactorBuild {
    private ReactorBuild() {}

    static Path root() {
        String root = System.getProperty("coflow.root");
        assertNotNull(
                root, "system property coflow.root is not set; run through the reactor (mvn verify from the root)");
        return Path.of(root).toAbsolutePath().normalize();
    }

    static String version() {
        return text(parse(root().resolve("pom.xml")).getDocumentElement(), "version");
    }

    /** The POM files deployed: the parent and every module that does not set maven.deploy.skip. */
    static List<Path> deployedPoms() {
        List<Path> poms = new ArrayList<>();
        poms.add(root().resolve("pom.xml"));
        Element modules = child(parse(root().resolve("pom.xml")).getDocumentElement(), "modules");
        for (Node n = modules.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element m && m.getTagName().equals("module")) {
                Path pom = root().resolve(m.getTextContent().trim()).resolve("pom.xml");
                Element props = child(parse(pom).getDocumentElement(), "properties");
                boolean skipped = props != null && "true".equals(text(props, "maven.deploy.skip"));
                if (!skipped) {
                    poms.add(pom);
                }
            }
        }
        return poms;
    }

    /** The jar that holds {@code type}; aborts the test when it is a classes folder ({@code mvn test}, not {@code verify}). */
    static Path jarOf(Class<?> type) {
        try {
            Path location = Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
            Assumptions.assumeTrue(
                    Files.isRegularFile(location),
                    () -> type.getName() + " comes from " + location
                            + ", not a jar: the deployed jars exist only after " + "package; run mvn verify");
            return location;
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Document parse(Path xml) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot parse " + xml + ": " + e, e);
        }
    }

    /** The direct child element named {@code name}, or null. */
    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
