package io.orderly.identity;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The permission table of the README, operation by operation and caller by caller: anonymous, a
 * token without roles, a customer acting on its own data, staff and admin. A refused operation
 * answers UNAUTHENTICATED or FORBIDDEN and leaves PostgreSQL exactly as it was.
 */
class PermissionTableIntegrationTests extends IntegrationTest {

    enum CallerKind { ANONYMOUS, NO_ROLE, CUSTOMER, STAFF, ADMIN }

    enum Outcome { RUNS, UNAUTHENTICATED, FORBIDDEN }

    /** Everyone. */
    private static final Map<CallerKind, Outcome> PUBLIC = Map.of(CallerKind.ANONYMOUS, Outcome.RUNS,
            CallerKind.NO_ROLE, Outcome.RUNS, CallerKind.CUSTOMER, Outcome.RUNS, CallerKind.STAFF, Outcome.RUNS,
            CallerKind.ADMIN, Outcome.RUNS);

    /** Customers (on their own data), staff and admins. */
    private static final Map<CallerKind, Outcome> ANY_ROLE = Map.of(CallerKind.ANONYMOUS, Outcome.UNAUTHENTICATED,
            CallerKind.NO_ROLE, Outcome.FORBIDDEN, CallerKind.CUSTOMER, Outcome.RUNS, CallerKind.STAFF, Outcome.RUNS,
            CallerKind.ADMIN, Outcome.RUNS);

    /** Staff and admins. */
    private static final Map<CallerKind, Outcome> STAFF_ONLY = Map.of(CallerKind.ANONYMOUS, Outcome.UNAUTHENTICATED,
            CallerKind.NO_ROLE, Outcome.FORBIDDEN, CallerKind.CUSTOMER, Outcome.FORBIDDEN, CallerKind.STAFF, Outcome.RUNS,
            CallerKind.ADMIN, Outcome.RUNS);

    /** The data each case acts on: a customer bound to {@link #customerSubject} with one order of one product. */
    record Fixture(String customerSubject, String customerId, String productId, String sku, String orderId) {
    }

    /** One operation: its document, its variables for the fixture, and who may run it. */
    record Operation(String field, String document, Function<Fixture, Map<String, Object>> variables,
            Map<CallerKind, Outcome> outcomes) {

        @Override
        public String toString() {
            return field;
        }
    }

    private Fixture fixture;

    @BeforeEach
    void customerWithAnOrder() {
        String subject = TestIssuer.newSubject();
        GraphQlTester customer = graphQlAs(TestIssuer.token(subject, UserRole.CUSTOMER));
        String customerId = Customers.register(customer).id();
        Map<String, Object> product = Products.newProduct();
        product.put("initialStock", 100);
        String productId = Products.create(graphQl, product).acceptedId();
        String sku = (String) product.get("sku");
        String orderId = Orders.place(customer, customerId, List.of(Orders.line(productId, 1))).acceptedId();
        fixture = new Fixture(subject, customerId, productId, sku, orderId);
    }

    static Stream<Arguments> operationsAndCallers() {
        return operations().flatMap(operation -> operation.outcomes().entrySet().stream()
                .map(entry -> Arguments.of(operation, entry.getKey(), entry.getValue())));
    }

    private static Stream<Operation> operations() {
        return Stream.of(
                new Operation("product", "product", f -> Map.of("id", f.productId()), PUBLIC),
                new Operation("productBySku", "productBySku", f -> Map.of("sku", f.sku()), PUBLIC),
                new Operation("products", "products", f -> Map.of(), PUBLIC),
                new Operation("me", "me", f -> Map.of(), ANY_ROLE),
                new Operation("customer", "customer", f -> Map.of("id", f.customerId()), ANY_ROLE),
                new Operation("customers", "customers", f -> Map.of("first", 5), ANY_ROLE),
                new Operation("order", "order", f -> Map.of("id", f.orderId()), ANY_ROLE),
                new Operation("orders", "ordersPage", f -> Map.of("first", 5), ANY_ROLE),
                new Operation("projection", "projection", f -> Map.of(), STAFF_ONLY),
                new Operation("node", "node", f -> Map.of("id", f.productId()), PUBLIC),
                new Operation("nodes", "nodes", f -> Map.of("ids", List.of(f.orderId(), f.productId())), PUBLIC),
                new Operation("registerCustomer", "registerCustomerWithoutRead",
                        f -> Map.of("input", Map.of("email", Customers.uniqueEmail(), "name", "Permission Table")), ANY_ROLE),
                new Operation("updateCustomer", "updateCustomerWithoutRead",
                        f -> Map.of("input", Map.of("id", f.customerId(), "expectedVersion", 1, "name", "Renamed")), ANY_ROLE),
                new Operation("placeOrder", "orderPlace", f -> Map.of("input", Map.of("customerId", f.customerId(),
                        "lines", List.of(Orders.line(f.productId(), 1)))), ANY_ROLE),
                new Operation("payOrder", "orderPay", f -> Map.of("input", Map.of("id", f.orderId())), ANY_ROLE),
                new Operation("cancelOrder", "orderCancel", f -> Map.of("input", Map.of("id", f.orderId())), ANY_ROLE),
                new Operation("shipOrder", "orderShip", f -> Map.of("input", Map.of("id", f.orderId())), STAFF_ONLY),
                new Operation("deliverOrder", "orderDeliver", f -> Map.of("input", Map.of("id", f.orderId())), STAFF_ONLY),
                new Operation("createProduct", "productCreate", f -> Map.of("input", Products.newProduct()), STAFF_ONLY),
                new Operation("updateProduct", "productUpdate",
                        f -> Map.of("input", Map.of("id", f.productId(), "expectedVersion", 1, "price", "0.01")), STAFF_ONLY),
                new Operation("restockProduct", "productRestock",
                        f -> Map.of("input", Map.of("id", f.productId(), "quantity", 5)), STAFF_ONLY));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("operationsAndCallers")
    void enforcesThePermissionTable(Operation operation, CallerKind caller, Outcome expected) {
        String before = writeStore();

        GraphQlTester.Response response = as(caller).documentName(operation.document())
                .variables(operation.variables().apply(fixture))
                .execute();

        List<ResponseError> refusals = response.returnResponse().getErrors().stream()
                .filter(error -> List.of("UNAUTHENTICATED", "FORBIDDEN").contains(error.getExtensions().get("code")))
                .toList();
        if (expected == Outcome.RUNS) {
            assertThat(refusals).isEmpty();
            assertThat(response.returnResponse().getErrors()).isEmpty();
        }
        else {
            assertThat(refusals).singleElement().satisfies(error -> {
                assertThat(error.getExtensions()).containsEntry("code", expected.name());
                assertThat(error.getPath()).isEqualTo(operation.field());
            });
            assertThat(writeStore()).as("the write store after a refusal").isEqualTo(before);
        }
    }

    private GraphQlTester as(CallerKind caller) {
        return switch (caller) {
            case ANONYMOUS -> anonymousGraphQl();
            case NO_ROLE -> graphQlAs(TestIssuer.token(TestIssuer.newSubject()));
            case CUSTOMER -> graphQlAs(TestIssuer.token(fixture.customerSubject(), UserRole.CUSTOMER));
            case STAFF -> graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
            case ADMIN -> graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.ADMIN));
        };
    }

    /** Everything a refused command could have changed, in one comparable string. */
    private String writeStore() {
        return jdbc.sql("""
                SELECT (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM customers)
                    || '|' || (SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(sum(stock), 0) FROM products)
                    || '|' || (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM orders)
                    || '|' || (SELECT count(*) FROM order_lines)
                """).query(String.class).single();
    }
}
