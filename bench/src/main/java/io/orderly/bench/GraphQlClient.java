package io.orderly.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GraphQL over HTTP (POST JSON) to one server on localhost. */
final class GraphQlClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI endpoint;
    private final int port;

    GraphQlClient(int port) {
        this.port = port;
        this.endpoint = URI.create("http://localhost:" + port + "/graphql");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    HttpClient http() {
        return http;
    }

    int port() {
        return port;
    }

    static String body(String query, Map<String, Object> variables) {
        return JSON.writeValueAsString(Map.of("query", query, "variables", variables));
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** The response body of a request that answered 200 without errors; otherwise an exception. */
    String post(String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"errors\":[{")) {
            throw new IOException("HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    /** The "data" of a request that answered 200 without errors. */
    JsonNode data(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        return JSON.readTree(post(body(query, variables))).path("data");
    }

    CompletableFuture<HttpResponse<String>> postAsync(String body) {
        return http.sendAsync(request(body), HttpResponse.BodyHandlers.ofString());
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
