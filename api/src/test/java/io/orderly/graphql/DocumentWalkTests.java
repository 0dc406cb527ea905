package io.orderly.graphql;

import java.util.Map;

import graphql.parser.Parser;
import io.orderly.TestProperties;
import io.orderly.runtime.OrderlyProperties.Limits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentWalkTests {

    private static final Limits LIMITS = TestProperties.orderly(Map.of("limits.max-aliases", "3", "limits.max-root-fields", "2",
            "limits.max-mutations", "1", "limits.max-nodes", "20", "limits.max-fragments", "5", "limits.max-fragment-depth", "2")).limits();

    @Test
    void leavesFragmentCyclesAndUnknownFragmentsToValidation() {
        assertThatCode(() -> walk("{ ...A ...Missing } fragment A on Query { ...B } fragment B on Query { ...A }"))
                .doesNotThrowAnyException();
    }

    @Test
    void countsTheAliasesOfAFragmentEachTimeItIsSpread() {
        assertThatThrownBy(() -> walk("{ projection { ...F ...F } } fragment F on ProjectionStatus { a: state b: state }"))
                .hasMessageContaining("aliases: at most 3");
    }

    @Test
    void countsMutationsSpreadFromFragments() {
        assertThatThrownBy(() -> walk("mutation { ...M } fragment M on Mutation { registerCustomer(input: {}) { customerId } "
                + "updateCustomer(input: {}) { customerId } }"))
                .hasMessageContaining("mutations: at most 1");
    }

    @Test
    void allowsDocumentsAtTheLimits() {
        assertThatCode(() -> walk("{ a: projection { b: state } c: projection { ...F } } fragment F on ProjectionStatus { ...G } "
                + "fragment G on ProjectionStatus { state }"))
                .doesNotThrowAnyException();
    }

    private static void walk(String document) {
        DocumentWalk.check(Parser.parse(document), LIMITS);
    }
}
