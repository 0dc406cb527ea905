package io.orderly.graphql;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import jakarta.servlet.ServletException;
import io.orderly.runtime.RequestThreads;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.util.AlternativeJdkIdGenerator;
import org.springframework.util.IdGenerator;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.AsyncServerResponse;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * GraphQL over HTTP as its specification has it: {@code POST /graphql} with a JSON body (Spring
 * for GraphQL's handler), and {@code GET /graphql?query=…&variables=…&operationName=…&extensions=…}
 * for queries, which is what urql sends by default. A mutation or subscription by GET answers 405
 * with {@code Allow: POST}: a GET must never write, so that a link or an image cannot make a
 * browser change anything. A batch (a JSON array of requests) answers 400 with
 * {@code BATCH_NOT_SUPPORTED}. The operation is checked after an automatic persisted query has been
 * resolved to its text, so a hash cannot smuggle a mutation in.
 */
@Configuration(proxyBeanMethods = false)
class HttpTransport {

    private static final String BY_GET = HttpTransport.class.getName() + ".byGet";

    @Bean
    Handler graphQlHttpHandler(WebGraphQlHandler webGraphQlHandler, JsonMapper json) {
        return new Handler(webGraphQlHandler, json);
    }

    /** Ahead of Spring Boot's routes, which answer every GET of the endpoint with 405. */
    @Bean
    @Order(-1)
    RouterFunction<ServerResponse> graphQlByGet(Handler handler, GraphQlProperties properties) {
        String path = properties.getHttp().getPath();
        return RouterFunctions.route()
                .GET(path, RequestPredicates.param("query", query -> true).or(RequestPredicates.param("extensions", extensions -> true)),
                        handler::handleGet)
                .build();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    WebGraphQlInterceptor onlyQueriesByGet() {
        return (request, chain) -> {
            if (!Boolean.TRUE.equals(request.getAttributes().get(BY_GET)) || isQuery(request)) {
                return chain.next(request);
            }
            WebGraphQlResponse refused = Requests.refused(request, ErrorCodes.METHOD_NOT_ALLOWED.error(
                    "Only queries may be sent by GET; send mutations and subscriptions by POST", null));
            refused.getResponseHeaders().setAllow(Set.of(HttpMethod.POST));
            return Mono.just(refused);
        };
    }

    private static boolean isQuery(WebGraphQlRequest request) {
        Optional<OperationDefinition> operation;
        try {
            operation = Requests.operation(request);
        }
        catch (InvalidSyntaxException e) {
            return true; // graphql-java reports the syntax error itself
        }
        return operation.map(definition -> definition.getOperation() == OperationDefinition.Operation.QUERY).orElse(true);
    }

    /**
     * Spring for GraphQL's handler for POST, which also runs requests by GET and picks the status
     * of the refusals only this endpoint makes.
     */
    static final class Handler extends GraphQlHttpHandler {

        private final WebGraphQlHandler graphQlHandler;
        private final JsonMapper json;
        private final IdGenerator ids = new AlternativeJdkIdGenerator();

        Handler(WebGraphQlHandler graphQlHandler, JsonMapper json) {
            super(graphQlHandler);
            this.graphQlHandler = graphQlHandler;
            this.json = json;
        }

        /**
         * Refuses a batch (a JSON array of requests) with 400 and {@code BATCH_NOT_SUPPORTED}: each
         * operation is its own request, so that each is limited, timed, cached and logged on its own,
         * and no fast query waits for a slow one. HTTP/2 runs many requests over one connection.
         */
        @Override
        public ServerResponse handleRequest(ServerRequest request) throws ServletException {
            if (!request.headers().contentType().filter(MediaType.APPLICATION_JSON::isCompatibleWith).isPresent()) {
                return super.handleRequest(request); // refused for its media type
            }
            byte[] body;
            try {
                body = request.servletRequest().getInputStream().readAllBytes();
            }
            catch (IOException e) {
                throw new ServerWebInputException("I/O error while reading request body", null, e);
            }
            if (isArray(body)) {
                return badRequest(ErrorCodes.BATCH_NOT_SUPPORTED, "Batched requests are not supported: send each operation "
                        + "in its own request (over HTTP/2 they share one connection)");
            }
            SerializableGraphQlRequest graphQlBody;
            try {
                graphQlBody = json.readValue(body, SerializableGraphQlRequest.class);
            }
            catch (JacksonException e) {
                return badRequest(ErrorCodes.BAD_REQUEST, "The body is not a GraphQL request in JSON: " + e.getOriginalMessage());
            }
            // Read once, here: handing the bytes back to Spring's handler would copy the whole request to re-read them.
            return execute(request, graphQlBody);
        }

        /** Whether a body is a JSON array: its first character that is not JSON whitespace is {@code [}. */
        private static boolean isArray(byte[] body) {
            for (byte next : body) {
                if (next != ' ' && next != '\t' && next != '\n' && next != '\r') {
                    return next == '[';
                }
            }
            return false;
        }

        ServerResponse handleGet(ServerRequest request) throws ServletException {
            SerializableGraphQlRequest body = new SerializableGraphQlRequest();
            try {
                request.param("query").ifPresent(body::setQuery);
                request.param("operationName").ifPresent(body::setOperationName);
                body.setVariables(jsonObject(request, "variables"));
                body.setExtensions(jsonObject(request, "extensions"));
            }
            catch (JacksonException e) {
                return badRequest(ErrorCodes.BAD_REQUEST, "variables and extensions must be JSON objects: " + e.getOriginalMessage());
            }
            if (body.getQuery() == null && !body.getExtensions().containsKey("persistedQuery")) {
                return badRequest(ErrorCodes.BAD_REQUEST, "A GraphQL request by GET needs a query parameter");
            }
            request.attributes().put(BY_GET, true);
            return execute(request, body);
        }

        private ServerResponse execute(ServerRequest request, SerializableGraphQlRequest body) {
            WebGraphQlRequest graphQlRequest = new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(),
                    cookies(request), request.remoteAddress().orElse(null), request.attributes(), body,
                    ids.generateId().toString(), LocaleContextHolder.getLocale());
            // The interceptors run as the request is handed over, the execution as its response is
            // subscribed to: both on this thread, which may wait for Redis meanwhile.
            return RequestThreads.serving(() -> prepareResponse(request, graphQlHandler.handleRequest(graphQlRequest)));
        }

        /**
         * Writes the response at once, on the request's own thread, when the execution has already
         * completed by the time it was started (a query that read Redis on this thread, see
         * {@link RequestThreads}); only one that is still waiting, for the read
         * model to catch up for instance, is answered asynchronously, which costs the servlet
         * container a second dispatch of the request.
         */
        @Override
        protected ServerResponse prepareResponse(ServerRequest request, Mono<WebGraphQlResponse> responseMono) {
            CompletableFuture<WebGraphQlResponse> execution = responseMono.toFuture();
            if (execution.isDone() && !execution.isCompletedExceptionally()) {
                return ((AsyncServerResponse) super.prepareResponse(request, Mono.just(execution.join()))).block();
            }
            return super.prepareResponse(request, Mono.fromFuture(execution));
        }

        /**
         * Writes the result with {@link ResultJson} rather than through Spring MVC's message
         * converters; as they do, it leaves the stream open, and a failure is one the container
         * answers with 500 while nothing was sent yet.
         */
        @Override
        protected ServerResponse.HeadersBuilder.WriteFunction getWriteFunction(Map<String, Object> result, MediaType contentType) {
            return (servletRequest, servletResponse) -> {
                try {
                    JsonGenerator generator = json.createGenerator(StreamUtils.nonClosing(servletResponse.getOutputStream()));
                    ResultJson.write(generator, result);
                    generator.close();
                }
                catch (JacksonException e) {
                    throw new HttpMessageNotWritableException("Could not write JSON: " + e.getOriginalMessage(), e);
                }
                return null;
            };
        }

        @Override
        protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
            if (hasCode(response, ErrorCodes.METHOD_NOT_ALLOWED)) {
                return HttpStatus.METHOD_NOT_ALLOWED;
            }
            if (hasCode(response, ErrorCodes.RATE_LIMITED)) {
                return HttpStatus.TOO_MANY_REQUESTS;
            }
            if (hasCode(response, ErrorCodes.SERVER_BUSY)) {
                return HttpStatus.SERVICE_UNAVAILABLE;
            }
            if (hasCode(response, ErrorCodes.PERSISTED_QUERY_NOT_FOUND)) {
                // As Apollo's servers answer: its client stops using persisted queries after a 400.
                return HttpStatus.OK;
            }
            return super.selectResponseStatus(response, responseMediaType);
        }

        private static boolean hasCode(WebGraphQlResponse response, ErrorCodes code) {
            return response.getErrors().stream().anyMatch(error -> code.name().equals(error.getExtensions().get("code")));
        }

        @SuppressWarnings("unchecked")
        private Map<String, @Nullable Object> jsonObject(ServerRequest request, String name) {
            Map<String, @Nullable Object> value = request.param(name).filter(text -> !text.isBlank())
                    .map(text -> (Map<String, @Nullable Object>) json.readValue(text, Map.class))
                    .orElse(null);
            return value == null ? Map.of() : value;
        }

        private static ServerResponse badRequest(ErrorCodes code, String message) {
            return ServerResponse.badRequest().contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code.name())))));
        }

        private static MultiValueMap<String, HttpCookie> cookies(ServerRequest request) {
            MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
            request.cookies().forEach((name, values) -> values.forEach(cookie -> cookies.add(name, new HttpCookie(name, cookie.getValue()))));
            return cookies;
        }
    }
}
