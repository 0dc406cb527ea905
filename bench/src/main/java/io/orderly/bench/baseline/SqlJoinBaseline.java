package io.orderly.bench.baseline;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * What Orderly's read side would be without CQRS: the same GraphQL queries answered by SQL joins
 * on the write store, with batched nested fields and an index for the status listing. Started by
 * the benchmark driver as a process of its own, with the same JVM flags as Orderly, against
 * Orderly's PostgreSQL ({@code --spring.datasource.url=...}).
 */
@SpringBootApplication
public class SqlJoinBaseline {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SqlJoinBaseline.class);
        application.setDefaultProperties(Map.of(
                "spring.application.name", "sql-join-baseline",
                "spring.graphql.schema.locations", "classpath:baseline-graphql/",
                "spring.threads.virtual.enabled", "false",
                "management.endpoints.web.exposure.include", "health,metrics"));
        application.run(args);
    }
}
