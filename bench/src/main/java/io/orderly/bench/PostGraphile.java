package io.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostGraphile 5 (Amber preset, Node 22 from the npm registry, see {@code bench/postgraphile}) on
 * Orderly's PostgreSQL: what a team would run to get GraphQL straight on PostgreSQL. It is given
 * the index such a team would add for the page of orders, and asked the same questions as Orderly
 * in its own names; {@link #asOrderly} turns its answers into Orderly's shape for the equality check.
 */
final class PostGraphile {

    /** The index a PostGraphile user adds so that orders can be filtered by status and ordered by time. */
    static final String INDEX = "CREATE INDEX IF NOT EXISTS orders_status_placed_at ON orders (status, placed_at)";

    private static final String ORDER_FIELDS = """
            status total \
            orderLinesByOrderId(orderBy: PRIMARY_KEY_ASC) { nodes { name quantity productByProductId { name stock } } } \
            customerByCustomerId { name ordersByCustomerId { totalCount } }""";

    static final String ORDER_QUERY = "query Order($id: UUID!) { orderByRowId(rowId: $id) { " + ORDER_FIELDS + " } }";

    static final String PAGE_QUERY = "query Paid { allOrders(first: 50, condition: {status: \"PAID\"}, "
            + "orderBy: [PLACED_AT_DESC, ROW_ID_DESC]) { edges { cursor node { rowId " + ORDER_FIELDS + " } } "
            + "pageInfo { hasNextPage endCursor } } }";

    private PostGraphile() {
    }

    /** Installs nothing: {@code bench/run.sh} has run {@code npm ci} in {@code bench/postgraphile}. */
    static AppProcess start(Path root, Path work, String jdbcUrl, int postgresPort, int port) throws IOException, SQLException {
        Path home = root.resolve("bench/postgraphile");
        Path node = home.resolve("node_modules/.bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("PostGraphile is not installed: run npm ci --prefix bench/postgraphile");
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute(INDEX);
            sql.execute("ANALYZE orders");
        }
        return AppProcess.start("postgraphile", List.of(node.toString(), home.resolve("server.mjs").toString()),
                Map.of("DATABASE_URL", "postgres://postgres@localhost:" + postgresPort + "/orderly",
                        "PORT", String.valueOf(port), "GRAPHILE_ENV", "production"),
                work.resolve("logs/postgraphile.log"), port);
    }

    /** PostGraphile's answer to {@link #ORDER_QUERY} or {@link #PAGE_QUERY} in the shape of Orderly's (cursors left out). */
    static JsonNode asOrderly(JsonNode response) {
        JsonNode data = response.path("data");
        ObjectNode result = GraphQlClient.JSON.createObjectNode();
        ObjectNode outData = result.putObject("data");
        if (data.has("orderByRowId")) {
            outData.set("order", order(data.path("orderByRowId"), false));
            return result;
        }
        JsonNode page = data.path("allOrders");
        ObjectNode orders = outData.putObject("orders");
        ArrayNode edges = orders.putArray("edges");
        for (JsonNode edge : page.path("edges")) {
            edges.addObject().set("node", order(edge.path("node"), true));
        }
        orders.putObject("pageInfo").put("hasNextPage", page.path("pageInfo").path("hasNextPage").asBoolean());
        return result;
    }

    private static JsonNode order(JsonNode order, boolean withId) {
        ObjectNode out = GraphQlClient.JSON.createObjectNode();
        if (withId) {
            out.put("id", order.path("rowId").asString());
        }
        out.put("status", order.path("status").asString());
        out.putObject("total").put("amount", order.path("total").asString()).put("currency", "EUR");
        ArrayNode lines = out.putArray("lines");
        for (JsonNode line : order.path("orderLinesByOrderId").path("nodes")) {
            ObjectNode outLine = lines.addObject();
            outLine.put("name", line.path("name").asString());
            outLine.put("quantity", line.path("quantity").asInt());
            outLine.putObject("product")
                    .put("name", line.path("productByProductId").path("name").asString())
                    .put("stock", line.path("productByProductId").path("stock").asInt());
        }
        JsonNode customer = order.path("customerByCustomerId");
        out.putObject("customer")
                .put("name", customer.path("name").asString())
                .put("orderCount", customer.path("ordersByCustomerId").path("totalCount").asInt());
        return out;
    }
}
