package io.orderly.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A graphql-transport-ws connection spoken by hand over the JDK's WebSocket client, so that a test
 * sees exactly what the server sends, and with which code it closes the connection.
 */
final class RawGraphQlSocket implements WebSocket.Listener, AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private RawGraphQlSocket(int port) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("graphql-transport-ws")
                .buildAsync(URI.create("ws://localhost:" + port + "/graphql"), this)
                .join();
    }

    static RawGraphQlSocket open(int port) {
        return new RawGraphQlSocket(port);
    }

    /** Sends a message; one the server no longer takes, because it is closing the connection, is dropped. */
    RawGraphQlSocket send(String json) {
        try {
            socket.sendText(json, true).join();
        }
        catch (CompletionException e) {
            if (!socket.isOutputClosed() && !closeCode.isDone() && !(e.getCause() instanceof IOException)) {
                throw e;
            }
        }
        return this;
    }

    /** Sends {@code connection_init} with this bearer token. */
    RawGraphQlSocket init(String token) {
        return send("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + token + "\"}}");
    }

    RawGraphQlSocket subscribe(String id, String query) {
        return send("{\"id\":\"" + id + "\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + query.replace("\"", "\\\"") + "\"}}");
    }

    List<String> messages() {
        return messages;
    }

    /** The code the server closed the connection with, waiting at most {@code timeout}. */
    int closeCode(Duration timeout) throws Exception {
        return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
