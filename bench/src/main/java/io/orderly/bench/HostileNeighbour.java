package io.orderly.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A signed-in customer pushing the heaviest query Orderly allows, as fast as it is answered, while a
 * staff member goes on working: how much the well-behaved client's latency suffers, and how the
 * heavy caller is answered (served, 429 rate-limited, 503 busy).
 */
final class HostileNeighbour {

    /**
     * As heavy as the limits allow: 20 root fields (the cap), each a page of 100 products with every
     * field, about 34 000 in cost (the cap is 100 000) and up to 28 000 result values (cap 200 000).
     */
    static final String HEAVIEST_QUERY = IntStream.range(0, 20)
            .mapToObj(i -> "p" + i + ": products(first: 100) { edges { node { id sku name description price { amount currency } "
                    + "stock unitsSold active version createdAt updatedAt } } }")
            .collect(Collectors.joining(" ", "{ ", " }"));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final String authorization;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    HostileNeighbour(int port, String token) {
        this.endpoint = URI.create("http://localhost:" + port + "/graphql");
        this.authorization = "Bearer " + token;
    }

    /** One heavy request; any answer counts as a success of the attacker's loop, by status. */
    boolean send(int worker) throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofString(GraphQlClient.body(HEAVIEST_QUERY, Map.of())))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        statuses.computeIfAbsent(response.statusCode(), status -> new AtomicLong()).incrementAndGet();
        return true;
    }

    /** How many answers of each HTTP status the attacker got, e.g. "200: 120, 429: 5400". */
    String statuses() {
        return statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + ": " + entry.getValue().get())
                .collect(Collectors.joining(", "));
    }
}
