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

/** GraphQL over HTTP (POST JSON) to one server on localhost, with a bearer token when it needs one. */
final class GraphQlClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI endpoint;
    private final int port;
    private final String authorization;

    /** A client that sends no token (the SQL-join baseline has no authentication). */
    GraphQlClient(int port) {
        this(port, null);
    }

    /** A client that sends this bearer token with every request, as Orderly's clients do. */
    GraphQlClient(int port, String token) {
        this.port = port;
        this.authorization = token == null ? "" : "Bearer " + token;
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

    String authorization() {
        return authorization;
    }

    /**
     * A token from the development issuer of a zero-setup Orderly (the shape the benchmark runs), for
     * this subject and comma-separated roles, valid for a day.
     */
    static String developmentToken(int port, String subject, String roles) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/dev-issuer/token?ttl=86400&sub=" + subject + "&roles=" + roles))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("no development token: HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private HttpRequest request(String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
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
