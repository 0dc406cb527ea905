package io.orderly.runtime;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnRoleCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
        Role role = (Role) attributes.get("value");
        Set<Role> roles = rolesOf(context.getEnvironment());
        return roles.contains(role)
                ? ConditionOutcome.match("role " + role + " is in orderly.roles " + roles)
                : ConditionOutcome.noMatch("role " + role + " is not in orderly.roles " + roles);
    }

    static Set<Role> rolesOf(Environment environment) {
        return Binder.get(environment)
                .bind("orderly.roles", Bindable.setOf(Role.class))
                .orElse(EnumSet.allOf(Role.class));
    }
}
