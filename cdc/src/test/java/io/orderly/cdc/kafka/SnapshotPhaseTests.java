package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.SourceTransaction;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPhaseTests {

    private static final TopicPartition TRANSACTIONS = new TopicPartition("orderly.transaction", 0);
    private static final TopicPartition CUSTOMERS_0 = new TopicPartition("orderly.public.customers", 0);
    private static final TopicPartition CUSTOMERS_1 = new TopicPartition("orderly.public.customers", 1);
    private static final Set<TopicPartition> ALL = Set.of(TRANSACTIONS, CUSTOMERS_0, CUSTOMERS_1);

    private static final Schema SOURCE = SchemaBuilder.struct().field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();
    private static final Schema END = SchemaBuilder.struct().field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA).build();

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final SnapshotPhase phase = new SnapshotPhase(true, "orderly.transaction");

    @BeforeEach
    void assignEveryPartition() {
        consumer.assign(ALL);
        ALL.forEach(partition -> consumer.seek(partition, 0));
        consumer.updateEndOffsets(Map.of(TRANSACTIONS, 5L, CUSTOMERS_0, 3L, CUSTOMERS_1, 4L));
    }

    @Test
    void holdsTheSnapshotsCompletionUntilEveryPartitionIsReadPastItsSnapshotRows() {
        SourceTransaction last = phase.chunk(chunk(true));
        assertThat(last.completesSnapshot()).isFalse();

        phase.read(CUSTOMERS_0, row("r", "last"), consumer);
        phase.read(CUSTOMERS_0, row("c", "false"), consumer);
        phase.read(TRANSACTIONS, end(), consumer);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(CUSTOMERS_0, TRANSACTIONS);
        assertThat(phase.end(consumer, ALL)).isEmpty();

        consumer.seek(CUSTOMERS_1, 4);

        assertThat(phase.end(consumer, ALL)).hasValueSatisfying(completion -> {
            assertThat(completion.completesSnapshot()).isTrue();
            assertThat(completion.position()).isEqualTo(last.position());
            assertThat(completion.changes()).isEmpty();
        });
        assertThat(phase.active()).isFalse();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void endsOnlyOnceTheTransactionTopicSpoke() {
        phase.chunk(chunk(true));
        ALL.forEach(partition -> consumer.seek(partition, partition.equals(TRANSACTIONS) ? 0 : 10));

        assertThat(phase.end(consumer, ALL)).isEmpty();
        assertThat(phase.active()).isTrue();
    }

    @Test
    void endsWithoutACompletingChunkWhenThereWasNoSnapshot() {
        phase.read(TRANSACTIONS, end(), consumer);
        consumer.seek(CUSTOMERS_0, 3);
        consumer.seek(CUSTOMERS_1, 4);

        assertThat(phase.end(consumer, ALL)).isEmpty();
        assertThat(phase.active()).isFalse();
    }

    private static SourceTransaction chunk(boolean completes) {
        return new SourceTransaction(7, 500, Instant.EPOCH,
                List.of(new RowChange.Inserted("customers", new Row(Map.of("id", "c-1")))), true, completes);
    }

    private static Struct row(String op, String snapshot) {
        return new Struct(ROW).put("op", op).put("source", new Struct(SOURCE).put("snapshot", snapshot));
    }

    private static Struct end() {
        return new Struct(END).put("status", "END").put("id", "8:900");
    }
}
