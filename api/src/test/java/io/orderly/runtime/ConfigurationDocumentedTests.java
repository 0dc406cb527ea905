package io.orderly.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference in the docs against the property metadata the build generates from
 * {@link OrderlyProperties}: every {@code orderly.*} property is documented, and nothing that does
 * not exist is.
 */
class ConfigurationDocumentedTests {

    private static final Pattern NAME = Pattern.compile("`([a-z0-9.*-]+)`");

    @Test
    void docsListEveryOrderlyPropertyAndNoOther() throws IOException {
        JsonNode metadata = JsonMapper.builder().build()
                .readTree(Files.readString(Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json")));
        TreeSet<String> properties = new TreeSet<>();
        metadata.get("properties").forEach(property -> properties.add(property.get("name").asString()));
        properties.removeIf(name -> !name.startsWith("orderly."));

        TreeSet<String> documented = documented();

        assertThat(properties).as("properties missing from docs/configuration.md").isSubsetOf(documented);
        assertThat(documented).as("names in docs/configuration.md that are no property").isSubsetOf(properties);
    }

    /**
     * The names in the first cell of each {@code orderly.*} row; a cell may name siblings after the
     * first by their last part ({@code `orderly.embedded.postgres-port` / `redis-port`}), and a map
     * by its prefix ({@code `orderly.projector.debezium.*`}).
     */
    private static TreeSet<String> documented() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "configuration.md"))) {
            if (!line.startsWith("| `orderly.")) {
                continue;
            }
            String cell = line.substring(2, line.indexOf(" |", 2));
            List<String> inCell = new ArrayList<>();
            Matcher matcher = NAME.matcher(cell);
            while (matcher.find()) {
                inCell.add(matcher.group(1));
            }
            String first = inCell.get(0);
            String parent = first.substring(0, first.lastIndexOf('.') + 1);
            names.add(withoutWildcard(first));
            inCell.subList(1, inCell.size()).forEach(sibling -> names.add(withoutWildcard(parent + sibling)));
        }
        return names;
    }

    private static String withoutWildcard(String name) {
        return name.endsWith(".*") ? name.substring(0, name.length() - 2) : name;
    }
}
