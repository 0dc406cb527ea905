package io.orderly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory the read path's peers used under its load: each peer's heap in use and resident set,
 * and the resident set of the Redis holding Orderly's read models, sampled during the measured runs.
 */
final class ReadMemory {

    private final List<ReadPathStep.Peer> peers;
    private final ReadPathStep.Peer orderly;
    private final Map<String, List<Double>> heap = new LinkedHashMap<>();
    private final Map<String, List<Double>> rss = new LinkedHashMap<>();
    private final List<Double> redisRss = new ArrayList<>();

    /** For these peers, Orderly first (its companion process is its Redis). */
    ReadMemory(List<ReadPathStep.Peer> peers) {
        this.peers = peers;
        this.orderly = peers.get(0);
        peers.forEach(peer -> {
            heap.put(peer.name(), new ArrayList<>());
            rss.put(peer.name(), new ArrayList<>());
        });
    }

    /** The samples taken so far during one measured run of this peer. */
    void add(ReadPathStep.Peer peer, MemorySampler memory) {
        heap.get(peer.name()).addAll(memory.heapMiB);
        rss.get(peer.name()).addAll(memory.rssMiB);
        if (peer == orderly) {
            redisRss.addAll(memory.otherRssMiB);
        }
    }

    void report(Report report) {
        StringBuilder memoryRows = new StringBuilder();
        for (ReadPathStep.Peer peer : peers) {
            memoryRows.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", peer.name(),
                    heap.get(peer.name()).isEmpty() ? "—" : Stats.of(heap.get(peer.name())).format(0),
                    Stats.of(rss.get(peer.name())).format(0)));
        }
        report.append(String.format(Locale.ROOT, """

                ## Memory under the read load

                Sampled once a second during the measured read runs above. MiB, median (min–max).

                | Process | Heap used | Resident set (RSS) |
                |---|---|---|
                %s| Redis holding Orderly's read models (embedded redis-server) | — | %s |
                """, memoryRows, Stats.of(redisRss).format(0)));
        report.headline("Memory under read load (Orderly JVM)", String.format(Locale.ROOT, "heap %.0f MiB, RSS %.0f MiB (+ Redis RSS %.0f MiB)",
                Stats.of(heap.get(orderly.name())).median(), Stats.of(rss.get(orderly.name())).median(), Stats.of(redisRss).median()));
    }
}
