package io.orderly.identity;

import java.util.Map;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer who registers is bound to the subject of its token, once; staff register customers
 * that are bound to nobody. {@code me} is the caller's own customer.
 */
class RegistrationIntegrationTests extends IntegrationTest {

    @Test
    void bindsASelfRegisteredCustomerToItsSubjectOnce() {
        String subject = TestIssuer.newSubject();
        GraphQlTester customer = graphQlAs(TestIssuer.token(subject, UserRole.CUSTOMER));

        String id = Customers.register(customer).id();

        assertThat(subjectOf(id)).isEqualTo(subject);
        customer.documentName("me").execute().path("me.id").entity(String.class).isEqualTo(id);
        customer.documentName("registerCustomerWithoutRead")
                .variable("input", Map.of("email", Customers.uniqueEmail(), "name", "Second Try")).execute()
                .path("registerCustomer.errors[0].code").entity(String.class).isEqualTo("DUPLICATE")
                .path("registerCustomer.customerId").valueIsNull();
        assertThat(jdbc.sql("SELECT count(*) FROM customers WHERE subject = :subject").param("subject", subject)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void staffRegisterCustomersBoundToNobody() {
        String staffSubject = TestIssuer.newSubject();
        GraphQlTester staff = graphQlAs(TestIssuer.token(staffSubject, UserRole.STAFF));

        String first = Customers.register(staff).id();
        String second = Customers.register(staff).id();

        assertThat(subjectOf(first)).isNull();
        assertThat(subjectOf(second)).isNull();
        staff.documentName("me").execute().path("me").valueIsNull();
    }

    @Test
    void aCustomerWithoutARegistrationHasNoMe() {
        graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER)).documentName("me").execute()
                .path("me").valueIsNull();
    }

    private String subjectOf(String customerId) {
        return jdbc.sql("SELECT subject FROM customers WHERE id = :id::uuid").param("id", customerId)
                .query(String.class).optional().orElse(null);
    }
}
