package io.orderly.graphql;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves GraphiQL at {@code /graphiql} from {@code classpath:graphiql/}, with its scripts from
 * webjars on the classpath instead of a CDN, and subscriptions over {@code /graphql}. On unless
 * {@code orderly.graphiql.enabled=false} (for production): then neither the page nor its files exist.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderly.graphiql.enabled", matchIfMissing = true)
class GraphiQlPage implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/graphiql").setViewName("forward:/graphiql/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/graphiql/**").addResourceLocations("classpath:/graphiql/");
    }
}
