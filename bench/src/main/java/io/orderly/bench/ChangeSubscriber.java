package io.orderly.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import tools.jackson.databind.JsonNode;

/**
 * A graphql-ws client (subprotocol graphql-transport-ws) subscribed to {@code changes(types: [ORDER])},
 * reporting the arrival time of every CREATED event.
 */
final class ChangeSubscriber implements WebSocket.Listener, AutoCloseable {

    private final BiConsumer<String, Long> onCreated;
    private final CountDownLatch acknowledged = new CountDownLatch(1);
    private final StringBuilder message = new StringBuilder();
    private WebSocket socket;

    private ChangeSubscriber(BiConsumer<String, Long> onCreated) {
        this.onCreated = onCreated;
    }

    /** Connects and subscribes; {@code onCreated} gets the order id and System.nanoTime() at arrival. */
    static ChangeSubscriber subscribe(HttpClient http, int port, String authorization, BiConsumer<String, Long> onCreated)
            throws Exception {
        ChangeSubscriber subscriber = new ChangeSubscriber(onCreated);
        subscriber.socket = http.newWebSocketBuilder()
                .subprotocols("graphql-transport-ws")
                .buildAsync(URI.create("ws://localhost:" + port + "/graphql"), subscriber)
                .get(10, TimeUnit.SECONDS);
        subscriber.send(Map.of("type", "connection_init", "payload",
                authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization)));
        if (!subscriber.acknowledged.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no connection_ack from the server");
        }
        subscriber.send(Map.of("id", "changes", "type", "subscribe", "payload",
                Map.of("query", "subscription { changes(types: [ORDER]) { id operation } }")));
        return subscriber;
    }

    private void send(Object message) {
        socket.sendText(GraphQlClient.JSON.writeValueAsString(message), true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long arrived = System.nanoTime();
        message.append(data);
        if (last) {
            handle(message.toString(), arrived);
            message.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text, long arrived) {
        JsonNode node = GraphQlClient.JSON.readTree(text);
        switch (node.path("type").asString()) {
            case "connection_ack" -> acknowledged.countDown();
            case "ping" -> socket.sendText("{\"type\":\"pong\"}", true);
            case "next" -> {
                JsonNode change = node.path("payload").path("data").path("changes");
                if ("CREATED".equals(change.path("operation").asString())) {
                    onCreated.accept(change.path("id").asString(), arrived);
                }
            }
            case "error", "complete" -> System.err.println("  subscription ended: " + GraphQlClient.abbreviate(text));
            default -> {
            }
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
}
