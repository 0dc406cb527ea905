package io.orderly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture DESIGN.md describes, checked on the main classes of both modules: no package
 * cycles, the projector independent of the API, the write side never reading Redis and the read
 * side never touching PostgreSQL.
 */
class ArchitectureTests {

    private static final JavaClasses ORDERLY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.orderly");

    private static final JavaClasses API = ORDERLY.that(not(resideInAPackage("io.orderly.cdc..")));

    /**
     * Features depend on {@code graphql} (codes, pages, refusals), {@code identity} and
     * {@code runtime}, never the other way: the error handling maps any
     * {@code OperationRefusedException} without knowing the feature that threw it.
     */
    @Test
    void apiPackagesFormNoCycle() {
        slices().matching("io.orderly.(**)").should().beFreeOfCycles().check(API);
    }

    @Test
    void projectorPackagesFormNoCycle() {
        slices().matching("io.orderly.cdc.(**)").should().beFreeOfCycles().check(ORDERLY);
    }

    @Test
    void projectorNeverDependsOnTheApi() {
        noClasses().that().resideInAPackage("io.orderly.cdc..")
                .should().dependOnClassesThat(resideInAPackage("io.orderly..").and(not(resideInAPackage("io.orderly.cdc.."))))
                .check(ORDERLY);
    }

    @Test
    void writeSideNeverUsesRedis() {
        noClasses().that().resideInAPackage("io.orderly..command..")
                .should().dependOnClassesThat(resideInAnyPackage("io.lettuce..", "org.springframework.data.redis.."))
                .check(API);
    }

    @Test
    void readSideNeverUsesJdbc() {
        noClasses().that().resideInAnyPackage("io.orderly..query..", "io.orderly..feed..")
                .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "org.springframework.jdbc.."))
                .check(API);
    }

    /**
     * Writes docs/packages.md from the classes whenever they no longer match it, so that the page is
     * never out of date for long: a build that changed it leaves it changed in the working tree.
     */
    @Test
    void packagesPageShowsTheCurrentDependencies() throws IOException {
        Path page = Path.of("..", "docs", "packages.md");
        String current = PackageDiagram.page(ORDERLY);
        if (!Files.exists(page) || !Files.readString(page).equals(current)) {
            Files.writeString(page, current);
        }
        assertThat(Files.readString(page)).isEqualTo(current);
    }
}
