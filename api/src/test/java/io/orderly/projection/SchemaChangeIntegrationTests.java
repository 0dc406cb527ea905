package io.orderly.projection;

import io.orderly.IntegrationTest;
import io.orderly.Payload;
import io.orderly.Products;
import org.junit.jupiter.api.Test;

/** A migration that adds a column while the projector streams does not stop the stream. */
class SchemaChangeIntegrationTests extends IntegrationTest {

    @Test
    void keepsStreamingAcrossANewColumn() {
        jdbc.sql("ALTER TABLE products ADD COLUMN colour text").update();
        try {
            Payload created = Products.create(graphQl, Products.newProduct());
            jdbc.sql("UPDATE products SET colour = 'green', stock = 42 WHERE id = :id::uuid").param("id", created.acceptedId()).update();
            Payload restocked = Products.restock(graphQl, created.acceptedId(), 8);

            graphQl.documentName("productConsistentWith")
                    .variable("id", created.acceptedId()).variable("token", restocked.consistencyToken())
                    .execute()
                    .path("product.stock").entity(Integer.class).isEqualTo(50);
            graphQl.documentName("projection").execute().path("projection.state").entity(String.class).isEqualTo("STREAMING");
        }
        finally {
            jdbc.sql("ALTER TABLE products DROP COLUMN colour").update();
        }
    }
}
