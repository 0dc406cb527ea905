package io.orderly.query;

import java.math.BigDecimal;
import java.time.Instant;

import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.ReadModelJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoded documents are reused only while Redis returns the very same JSON for their key. */
class DecodedDocumentsTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final DecodedDocuments decoded = new DecodedDocuments(100);

    @Test
    void reusesTheDocumentWhileTheJsonIsTheSame() {
        String json = ReadModelJson.write(customer("Ada", 1));

        CustomerDocument first = decoded.read("orderly:customer:1", json, CustomerDocument.class);
        CustomerDocument second = decoded.read("orderly:customer:1", new String(json), CustomerDocument.class);

        assertThat(second).isSameAs(first);
    }

    @Test
    void decodesAgainWhenTheDocumentChanged() {
        decoded.read("orderly:customer:1", ReadModelJson.write(customer("Ada", 1)), CustomerDocument.class);

        CustomerDocument renamed = decoded.read("orderly:customer:1", ReadModelJson.write(customer("Grace", 2)),
                CustomerDocument.class);

        assertThat(renamed.name()).isEqualTo("Grace");
        assertThat(renamed.lsn()).isEqualTo(2);
    }

    @Test
    void keepsDocumentsOfDifferentKeysApart() {
        String json = ReadModelJson.write(customer("Ada", 1));

        CustomerDocument one = decoded.read("orderly:customer:1", json, CustomerDocument.class);
        CustomerDocument other = decoded.read("orderly:customer:2", ReadModelJson.write(customer("Grace", 1)),
                CustomerDocument.class);

        assertThat(one.name()).isEqualTo("Ada");
        assertThat(other.name()).isEqualTo("Grace");
    }

    private static CustomerDocument customer(String name, long lsn) {
        return new CustomerDocument("1", name.toLowerCase() + "@example.com", name, null, 1, 0, BigDecimal.ZERO.setScale(2), null,
                NOW, NOW, lsn);
    }
}
