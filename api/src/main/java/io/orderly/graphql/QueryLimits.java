package io.orderly.graphql;

import io.orderly.runtime.OrderlyProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The limits a public GraphQL endpoint needs ({@code orderly.limits.*}): how large a request body
 * or query string may be, what shape a document may have ({@link DocumentLimits}: depth, aliases, root fields,
 * mutations, nodes, fragments), how much work an operation may ask for ({@link CostLimit}), how
 * many expensive queries run at once ({@link ExpensiveQueries}), how large a response may grow
 * ({@link ResponseSizeLimit}), how long a query may run ({@link RequestDeadline}) and how often a caller may send one ({@link RateLimit}).
 */
@Configuration(proxyBeanMethods = false)
class QueryLimits {

    @Bean
    DocumentLimits documentLimits(OrderlyProperties properties) {
        return new DocumentLimits(properties.limits());
    }

    @Bean
    CostLimit costLimit(OrderlyProperties properties, ExpensiveQueries expensiveQueries, RateLimit rateLimit) {
        return new CostLimit(properties.limits().maxComplexity(), expensiveQueries, rateLimit);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 16)
    ExpensiveQueries expensiveQueries(OrderlyProperties properties) {
        return new ExpensiveQueries(properties.limits().expensive());
    }

    @Bean
    ResponseSizeLimit responseSizeLimit(OrderlyProperties properties) {
        return new ResponseSizeLimit(properties.limits().maxResultNodes());
    }

    /**
     * Right after persisted queries are resolved to their text, so that the deadline counts every
     * later step: the consistency wait, the wait for an expensive-query permit, execution.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 11)
    RequestDeadline requestDeadline(OrderlyProperties properties) {
        return new RequestDeadline(properties.limits().requestTimeout());
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RequestDeadline.InFlightFetches inFlightFetches() {
        return new RequestDeadline.InFlightFetches();
    }

    /** After persisted queries are resolved to their text, so that a mutation sent by hash weighs as one. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 15)
    RateLimit rateLimit(OrderlyProperties properties) {
        return new RateLimit(properties.limits().rate());
    }

    @Bean
    RefusalLog refusalLog() {
        return new RefusalLog();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(OrderlyProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties.limits().maxRequestBytes(), properties.limits().maxQueryStringBytes()));
        registration.addUrlPatterns("/graphql");
        return registration;
    }
}
