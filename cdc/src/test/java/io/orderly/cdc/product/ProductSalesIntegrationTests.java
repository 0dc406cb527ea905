package io.orderly.cdc.product;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.cdc.ProjectedRedis;
import io.orderly.cdc.Rows;
import io.orderly.cdc.readmodel.IndexMembers;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.orderly.cdc.Rows.inserted;
import static io.orderly.cdc.Rows.updated;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A product's document and index entries as its catalog row and its sales change it: the
 * units-sold ranking, the price index and the sku lookup move with the document, and neither side
 * overwrites what the other owns.
 */
class ProductSalesIntegrationTests {

    private final String customer = UUID.randomUUID().toString();
    private final String chair = UUID.randomUUID().toString();
    private ProjectedRedis projected;

    @BeforeEach
    void customer() {
        projected = new ProjectedRedis(3);
        projected.commit(inserted("customers", Rows.customer(customer)));
    }

    @AfterEach
    void close() {
        projected.close();
    }

    @Test
    void salesMoveTheProductUpTheUnitsSoldRanking() {
        projected.commit(inserted("products", Rows.product(chair)));
        assertThat(ranking()).containsExactly(IndexMembers.numberOrdered(0, chair));

        sell(3);
        sell(2);

        assertThat(product().unitsSold()).isEqualTo(5);
        assertThat(ranking()).containsExactly(IndexMembers.numberOrdered(5, chair));
    }

    @Test
    void catalogChangeKeepsUnitsSoldAndMovesPriceAndSku() {
        projected.commit(inserted("products", Rows.product(chair)));
        sell(3);
        Map<String, Object> changed = Rows.product(chair);
        changed.put("price", "12.50");
        changed.put("stock", 40);
        changed.put("sku", "SKU-NEW");
        changed.put("version", 2);

        projected.commit(updated("products", changed));

        assertThat(product()).extracting(ProductDocument::unitsSold, ProductDocument::stock, ProductDocument::version)
                .containsExactly(3, 40, 2);
        assertThat(projected.redis().zrange(ReadModelKeys.PRODUCTS_BY_PRICE, 0, -1))
                .containsExactly(IndexMembers.numberOrdered(1250, chair));
        assertThat(projected.redis().get(ReadModelKeys.productBySku("SKU-" + chair))).isNull();
        assertThat(projected.redis().get(ReadModelKeys.productBySku("SKU-NEW"))).isEqualTo(chair);
    }

    @Test
    void descriptionLeftOutOfTheChangeIsKept() {
        projected.commit(inserted("products", Rows.product(chair)));
        Map<String, Object> changed = Rows.product(chair);
        changed.put("description", "__debezium_unavailable_value");
        changed.put("stock", 7);

        projected.commit(updated("products", changed));

        assertThat(product()).extracting(ProductDocument::description, ProductDocument::stock).containsExactly("A product", 7);
    }

    @Test
    void salesProjectedBeforeTheProductRowAreKeptUntilItArrives() {
        sell(2);

        assertThat(product().isComplete()).isFalse();
        assertThat(ranking()).isEmpty();

        projected.commit(inserted("products", Rows.product(chair)));

        assertThat(product().unitsSold()).isEqualTo(2);
        assertThat(ranking()).containsExactly(IndexMembers.numberOrdered(2, chair));
    }

    private void sell(int quantity) {
        String order = UUID.randomUUID().toString();
        projected.commit(inserted("orders", Rows.order(order, customer, "PLACED", "10.00", "2026-11-20T10:00:00Z")),
                inserted("order_lines", Rows.line(order, 1, chair, "10.00", quantity)));
    }

    private ProductDocument product() {
        return projected.document(ReadModelKeys.product(chair), ProductDocument.class).orElseThrow();
    }

    private List<String> ranking() {
        return projected.redis().zrange(ReadModelKeys.PRODUCTS_BY_UNITS_SOLD, 0, -1);
    }
}
