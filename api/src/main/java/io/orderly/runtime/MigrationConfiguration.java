package io.orderly.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Only processes with the command role migrate the write schema; the others expect it in place. */
@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MigrationConfiguration.class);

    @Bean
    FlywayMigrationStrategy roleAwareMigration(Environment environment) {
        boolean command = OnRoleCondition.rolesOf(environment).contains(Role.COMMAND);
        return flyway -> {
            if (command) {
                flyway.migrate();
            }
            else {
                log.info("Not migrating the schema: this process does not have the command role");
            }
        };
    }
}
