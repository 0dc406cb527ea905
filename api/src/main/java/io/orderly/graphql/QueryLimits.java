package io.orderly.graphql;

import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import io.orderly.runtime.OrderlyProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The limits a public GraphQL endpoint needs: how deep a query may nest, how much work it may ask
 * for ({@link QueryCost}), and how large a request body may be ({@code orderly.limits.*}).
 */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    @Bean
    MaxQueryDepthInstrumentation maxQueryDepth(OrderlyProperties properties) {
        return new MaxQueryDepthInstrumentation(properties.limits().maxDepth()) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return new LimitExceeded(ErrorCodes.QUERY_TOO_DEEP,
                        "The query nests " + depth + " levels deep; at most " + maxDepth + " are allowed");
            }
        };
    }

    @Bean
    CostLimit costLimit(OrderlyProperties properties) {
        return new CostLimit(properties.limits().maxComplexity());
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(OrderlyProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.limits().maxRequestBytes()));
        registration.addUrlPatterns("/graphql");
        return registration;
    }
}
