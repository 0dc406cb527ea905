package io.orderly;

import java.util.Map;

import io.orderly.runtime.OrderlyProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link OrderlyProperties} as the application binds them: the defaults, with these settings on top. */
public final class TestProperties {

    private TestProperties() {
    }

    /** @param settings names under {@code orderly.}, e.g. {@code roles} or {@code subscriptions.buffer} */
    public static OrderlyProperties orderly(Map<String, String> settings) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        settings.forEach((name, value) -> source.put("orderly." + name, value));
        return new Binder(source).bindOrCreate("orderly", OrderlyProperties.class);
    }
}
