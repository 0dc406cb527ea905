package io.orderly.identity;

import java.nio.file.Path;

import io.orderly.Orderly;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With the actuator on a management port of its own, it needs the same tokens and roles there. */
class ManagementPortIntegrationTests {

    @Test
    void theManagementPortNeedsAnAdminToo() {
        Path dataDir = Path.of("target", "it-data", "management-port-" + System.nanoTime());
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(Orderly.class).run(TestIssuer.withArguments(
                "--server.port=0",
                "--management.server.port=0",
                "--orderly.embedded.data-dir=" + dataDir,
                "--orderly.embedded.postgres-port=0",
                "--orderly.embedded.redis-port=0",
                "--orderly.projector.slot-name=management_port"))) {
            String port = application.getEnvironment().getProperty("local.management.port");
            WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();

            management.get().uri("/actuator/health").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").exists().jsonPath("$.components").doesNotExist();
            management.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
            management.get().uri("/actuator/prometheus")
                    .header("Authorization", "Bearer " + TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF))
                    .exchange().expectStatus().isForbidden();
            management.get().uri("/actuator/prometheus")
                    .header("Authorization", "Bearer " + TestIssuer.token(TestIssuer.newSubject(), UserRole.ADMIN))
                    .exchange().expectStatus().isOk();
        }
    }
}
