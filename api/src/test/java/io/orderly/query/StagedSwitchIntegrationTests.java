package io.orderly.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While {@link ReadModelKeys#SWITCH} names a hash of staged writes (a visible transaction still
 * being copied into place), queries read each key through that hash: its value where the hash has
 * one, absent where it holds {@link ReadModelKeys#STAGED_DELETION}, the key itself elsewhere. The
 * marker and the hash are written here directly, as the projector would leave them.
 */
class StagedSwitchIntegrationTests extends IntegrationTest {

    private static final Duration PROJECTED = Duration.ofSeconds(10);

    private final String staged = ReadModelKeys.stagedDocuments("switch-test-" + UUID.randomUUID());

    @AfterEach
    void removeTheSwitch() {
        // A marker left behind would change every other test's reads.
        redis().del(ReadModelKeys.SWITCH, staged);
    }

    @Test
    void aProductReadsAsStagedAbsentOrAsItIsAndAsItIsOnceTheSwitchIsGone() {
        String changed = projectedProduct();
        String deleted = projectedProduct();
        String untouched = projectedProduct();
        String newSku = Products.uniqueSku();
        // Read once before, so that the decoded documents hold the keys' own values.
        assertThat(unitsSold(graphQl, changed)).isZero();

        stage(Map.of(ReadModelKeys.product(changed), ReadModelJson.write(product(changed).withUnitsSold(41, 0)),
                ReadModelKeys.product(deleted), ReadModelKeys.STAGED_DELETION,
                ReadModelKeys.productBySku(newSku), changed));

        assertThat(unitsSold(graphQl, changed)).isEqualTo(41);
        graphQl.documentName("product").variable("id", deleted).execute().path("product").valueIsNull();
        assertThat(unitsSold(graphQl, untouched)).isZero();
        graphQl.documentName("productBySku").variable("sku", newSku).execute()
                .path("productBySku.id").entity(String.class).isEqualTo(changed);
        List<Map<String, Object>> nodes = graphQl.documentName("nodes").variable("ids", List.of(changed, deleted, untouched))
                .execute().path("nodes").entity(List.class).get();
        assertThat(nodes).extracting(node -> node == null ? null : node.get("id")).containsExactly(changed, null, untouched);

        redis().del(ReadModelKeys.SWITCH);

        assertThat(unitsSold(graphQl, changed)).isZero();
        assertThat(unitsSold(graphQl, deleted)).isZero();
        graphQl.documentName("productBySku").variable("sku", newSku).execute().path("productBySku").valueIsNull();
    }

    @Test
    void anOrderAndAPageOfOrdersReadAsStaged() {
        String customerId = Orders.customer(graphQl);
        String productId = Products.create(graphQl, "3.00", 100);
        String shipped = Orders.place(graphQl, customerId, List.of(Orders.line(productId, 1))).acceptedId();
        String deleted = Orders.place(graphQl, customerId, List.of(Orders.line(productId, 2))).acceptedId();
        await().atMost(PROJECTED).until(() -> redis().zcard(ReadModelKeys.customerOrders(customerId)) == 2
                && redis().exists(ReadModelKeys.order(shipped), ReadModelKeys.order(deleted)) == 2);

        OrderDocument order = ReadModelJson.read(redis().get(ReadModelKeys.order(shipped)), OrderDocument.class);
        stage(Map.of(ReadModelKeys.order(shipped), ReadModelJson.write(order.withHeader(order.customerId(), "SHIPPED",
                        order.total(), order.placedAt(), order.updatedAt(), order.version() + 1, 0)),
                ReadModelKeys.order(deleted), ReadModelKeys.STAGED_DELETION));

        graphQl.documentName("order").variable("id", shipped).execute().path("order.status").entity(String.class).isEqualTo("SHIPPED");
        graphQl.documentName("order").variable("id", deleted).execute().path("order").valueIsNull();
        graphQl.documentName("customerOrders").variable("id", customerId).execute()
                .path("customer.orders.edges[*].node.id").entityList(String.class).containsExactly(shipped)
                .path("customer.orders.edges[0].node.status").entity(String.class).isEqualTo("SHIPPED");

        redis().del(ReadModelKeys.SWITCH);

        graphQl.documentName("customerOrders").variable("id", customerId).execute()
                .path("customer.orders.edges[*].node.status").entityList(String.class).containsExactly("PLACED", "PLACED");
    }

    @Test
    void aQueryOverAWebSocketReadsAsStagedToo() {
        String changed = projectedProduct();
        stage(Map.of(ReadModelKeys.product(changed), ReadModelJson.write(product(changed).withUnitsSold(7, 0))));

        assertThat(unitsSold(socket(), changed)).isEqualTo(7);

        redis().del(ReadModelKeys.SWITCH);

        assertThat(unitsSold(socket(), changed)).isZero();
    }

    private void stage(Map<String, String> writes) {
        redis().hset(staged, writes);
        redis().set(ReadModelKeys.SWITCH, staged);
    }

    private String projectedProduct() {
        String id = Products.create(graphQl, "5.00", 10);
        await().atMost(PROJECTED).until(() -> redis().exists(ReadModelKeys.product(id)) == 1);
        return id;
    }

    private ProductDocument product(String id) {
        return ReadModelJson.read(redis().get(ReadModelKeys.product(id)), ProductDocument.class);
    }

    private static Integer unitsSold(GraphQlTester client, String productId) {
        return client.documentName("product").variable("id", productId).execute()
                .path("product.unitsSold").entity(Integer.class).get();
    }
}
