package io.orderly.graphql;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** GraphiQL is served with security headers that keep it from being framed or running foreign scripts, and can be switched off. */
class GraphiQlPageIntegrationTests extends IntegrationTest {

    @Test
    void servesThePageWithSecurityHeaders() {
        anonymousHttp().get().uri("/graphiql").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"))
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(String.class).value(html -> assertThat(html).contains("/graphiql/orderly-graphiql.js")
                        .doesNotContain("<script>"));
    }

    @Test
    void runsNoDevelopmentIssuerWhereAnIssuerIsConfigured() {
        anonymousHttp().post().uri("/dev-issuer/token?sub=intruder&roles=ADMIN").exchange().expectStatus().isNotFound();
    }

    @Test
    void isSwitchedOffByProperty() {
        new WebApplicationContextRunner()
                .withUserConfiguration(GraphiQlPage.class)
                .withPropertyValues("orderly.graphiql.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GraphiQlPage.class));
    }
}
