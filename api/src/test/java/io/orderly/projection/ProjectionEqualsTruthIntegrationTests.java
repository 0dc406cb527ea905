package io.orderly.projection;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Workload;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** After a random mix of a few hundred commands, every read model and index equals what PostgreSQL says. */
class ProjectionEqualsTruthIntegrationTests extends IntegrationTest {

    @Autowired
    private ReadModelCheck check;

    @Test
    void readModelsEqualTheWriteStoreAfterARandomWorkload() {
        Workload workload = new Workload(graphQl, jdbc, 20261126L).run(300);

        assertThat(workload.accepted()).isGreaterThan(150);
        graphQl.documentName("projectionConsistentWith").variable("token", workload.lastToken()).execute()
                .path("projection.state").entity(String.class).isEqualTo("STREAMING");
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void theCheckReportsADocumentThatDrifted() {
        Customers.Registered customer = Customers.register(graphQl);
        String key = ReadModelKeys.customer(customer.id());
        String original = redis().get(key);
        CustomerDocument document = ReadModelJson.read(original, CustomerDocument.class);
        try {
            redis().set(key, ReadModelJson.write(document.withStatistics(7, document.lifetimeValue(), null, document.lsn())));

            assertThat(check.differences()).singleElement().asString().contains("customer " + customer.id());
        }
        finally {
            redis().set(key, original);
        }
    }
}
