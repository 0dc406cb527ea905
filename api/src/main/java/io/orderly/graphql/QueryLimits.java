package io.orderly.graphql;

import java.util.Map;

import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import io.orderly.runtime.OrderlyProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The limits a public GraphQL endpoint needs: how deep a query may nest, how much work it may ask
 * for, and how large a request body or query string may be ({@code orderly.limits.*}).
 *
 * <p>Complexity counts every selected field once, multiplied along lists by their page size: a
 * connection field weighs {@code first} (default 20) times what it selects, and an order's
 * {@code lines} as many as an order may have (100). So {@code orders(first: 50) { edges { node {
 * lines { product { name } } } } }} weighs about 50 × 100 × 2.
 */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    static final int MAX_LINES_PER_ORDER = 100;

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth(OrderlyProperties properties) {
        return new MaxQueryDepthInstrumentation(properties.limits().maxDepth()) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return new LimitExceeded("QUERY_TOO_DEEP",
                        "The query nests " + depth + " levels deep; at most " + maxDepth + " are allowed");
            }
        };
    }

    @Bean
    MaxQueryComplexityInstrumentation maxQueryComplexity(OrderlyProperties properties) {
        return new MaxQueryComplexityInstrumentation(properties.limits().maxComplexity(), pageSizeWeighted()) {
            @Override
            protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
                return new LimitExceeded("QUERY_TOO_COMPLEX",
                        "The query's complexity is " + complexity + "; at most " + maxComplexity
                                + " is allowed (ask for smaller pages or fewer nested fields)");
            }
        };
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(OrderlyProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.limits().maxRequestBytes(), properties.limits().maxQueryStringBytes()));
        registration.addUrlPatterns("/graphql");
        return registration;
    }

    private static FieldComplexityCalculator pageSizeWeighted() {
        return (environment, childComplexity) -> {
            int self = 1 + childComplexity;
            Object first = environment.getArguments().get("first");
            if (first instanceof Integer pageSize) {
                return self * Math.max(pageSize, 1);
            }
            if (environment.getFieldDefinition().getName().equals("lines")) {
                return self * MAX_LINES_PER_ORDER;
            }
            return self;
        };
    }

    /** A query refused for its shape before it runs; carries an {@code extensions.code}. */
    static final class LimitExceeded extends AbortExecutionException {

        private final String code;

        LimitExceeded(String code, String message) {
            super(message);
            this.code = code;
        }

        @Override
        public Map<String, Object> getExtensions() {
            return Map.of("code", code);
        }
    }
}
