package io.orderly;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.jspecify.annotations.Nullable;

/**
 * The packages of Orderly and how they depend on one another, as a Mermaid flowchart for
 * docs/packages.md. It shows the transitive reduction: an arrow that a path of others implies is
 * left out, so that the layers stay readable (the packages form no cycle, which makes it unique).
 */
final class PackageDiagram {

    private static final String ROOT = "io.orderly.";

    private PackageDiagram() {
    }

    static String page(JavaClasses classes) {
        StringBuilder page = new StringBuilder("""
                # Packages

                How the packages of `api` and `cdc` depend on one another: an arrow points from a
                package to one it uses, and an arrow that a path of others implies is left out.
                `ArchitectureTests` writes this page from the compiled classes whenever they no
                longer match it (commit it with the change), and fails on a cycle or a forbidden
                dependency.

                ```mermaid
                flowchart LR
                """);
        reduced(dependencies(classes)).forEach((from, tos) -> tos.forEach(to ->
                page.append("    ").append(node(from)).append(" --> ").append(node(to)).append('\n')));
        return page.append("```\n").toString();
    }

    private static Map<String, Set<String>> dependencies(JavaClasses classes) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (JavaClass type : classes) {
            String from = slice(type);
            if (from == null) {
                continue;
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = slice(dependency.getTargetClass().getBaseComponentType());
                if (to != null && !to.equals(from)) {
                    edges.computeIfAbsent(from, key -> new TreeSet<>()).add(to);
                }
            }
        }
        return edges;
    }

    /** Drops each arrow whose target another successor of its source reaches anyway. */
    private static Map<String, Set<String>> reduced(Map<String, Set<String>> edges) {
        Map<String, Set<String>> reduced = new TreeMap<>();
        edges.forEach((from, tos) -> tos.stream()
                .filter(to -> tos.stream().filter(other -> !other.equals(to)).noneMatch(other -> reaches(edges, other, to)))
                .forEach(to -> reduced.computeIfAbsent(from, key -> new TreeSet<>()).add(to)));
        return reduced;
    }

    private static boolean reaches(Map<String, Set<String>> edges, String from, String to) {
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(Set.of(from));
        while (!next.isEmpty()) {
            String current = next.pop();
            if (current.equals(to)) {
                return true;
            }
            if (seen.add(current)) {
                next.addAll(edges.getOrDefault(current, Set.of()));
            }
        }
        return false;
    }

    private static @Nullable String slice(JavaClass type) {
        String name = type.getPackageName();
        return name.startsWith(ROOT) ? name.substring(ROOT.length()) : null;
    }

    private static String node(String slice) {
        return slice.replace('.', '_') + "[\"" + slice + "\"]";
    }
}
