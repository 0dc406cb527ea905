package io.orderly;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Boots Orderly: command handlers, query resolvers and the projector, as {@code orderly.roles} says. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Orderly {

    public static void main(String[] args) {
        SpringApplication.run(Orderly.class, args);
    }
}
