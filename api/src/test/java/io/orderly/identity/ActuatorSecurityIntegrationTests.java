package io.orderly.identity;

import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Of the actuator, anyone may ask for health's status; everything else needs the ADMIN role. */
class ActuatorSecurityIntegrationTests extends IntegrationTest {

    @Test
    void healthIsPublicButShowsOnlyItsStatus() {
        anonymousHttp().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components").doesNotExist();
        anonymousHttp().get().uri("/actuator/health/projection").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.details").doesNotExist();
    }

    @Test
    void adminsSeeHealthDetails() {
        http().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.db.status").isEqualTo("UP");
    }

    @Test
    void metricsNeedAnAdmin() {
        anonymousHttp().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"));
        http(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF)).get().uri("/actuator/prometheus").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("FORBIDDEN");
        http(TestIssuer.token(TestIssuer.newSubject(), UserRole.ADMIN)).get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk();
    }

    @Test
    void theReadModelCheckAndTheRebuildNeedAnAdmin() {
        String customer = TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER);
        http(customer).get().uri("/actuator/readmodelcheck").exchange().expectStatus().isForbidden();
        http(customer).post().uri("/actuator/projector").exchange().expectStatus().isForbidden();
        anonymousHttp().get().uri("/actuator/readmodelcheck").exchange().expectStatus().isUnauthorized();
        http(TestIssuer.token(TestIssuer.newSubject(), UserRole.ADMIN)).get().uri("/actuator/projector").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").exists();
    }
}
