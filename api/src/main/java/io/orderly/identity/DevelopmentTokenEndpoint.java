package io.orderly.identity;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /dev-issuer}: what the issuer is, its token endpoint and its public keys. */
@RestController
@Conditional(DevelopmentIssuerConfiguration.Enabled.class)
class DevelopmentTokenEndpoint {

    private final DevelopmentIssuer issuer;

    DevelopmentTokenEndpoint(DevelopmentIssuer issuer) {
        this.issuer = issuer;
    }

    @GetMapping("/dev-issuer")
    Map<String, Object> describe() {
        return Map.of("issuer", DevelopmentIssuer.ISSUER, "audience", DevelopmentIssuer.AUDIENCE,
                "tokenEndpoint", "/dev-issuer/token", "jwksUri", "/dev-issuer/jwks.json",
                "roles", List.of(UserRole.values()));
    }

    @GetMapping("/dev-issuer/jwks.json")
    Map<String, Object> keys() {
        return issuer.publicKeys().toJSONObject();
    }

    /** {@code POST /dev-issuer/token?sub=alice&roles=CUSTOMER&ttl=3600}: a signed token, OAuth2 style. */
    @PostMapping("/dev-issuer/token")
    ResponseEntity<Map<String, Object>> token(@RequestParam(required = false) @Nullable String sub,
            @RequestParam(required = false) @Nullable List<String> roles,
            @RequestParam(defaultValue = "3600") long ttl) {
        if (sub == null || sub.isBlank() || sub.length() > 255 || sub.chars().anyMatch(Character::isISOControl)) {
            return refused("sub must be 1 to 255 characters without control characters");
        }
        if (ttl < 1 || ttl > DevelopmentIssuer.MAX_LIFETIME.toSeconds()) {
            return refused("ttl must be 1 to " + DevelopmentIssuer.MAX_LIFETIME.toSeconds() + " seconds");
        }
        Set<UserRole> granted = EnumSet.noneOf(UserRole.class);
        for (String role : roles == null ? List.<String>of() : roles.stream().flatMap(r -> List.of(r.split(",")).stream()).toList()) {
            try {
                if (!role.isBlank()) {
                    granted.add(UserRole.valueOf(role.strip().toUpperCase(Locale.ROOT)));
                }
            }
            catch (IllegalArgumentException e) {
                return refused("unknown role " + role + "; roles are " + List.of(UserRole.values()));
            }
        }
        String token = issuer.sign(sub, granted, Duration.ofSeconds(ttl));
        return ResponseEntity.ok(Map.of("access_token", token, "token_type", "Bearer", "expires_in", ttl,
                "authorization", "Bearer " + token));
    }

    private static ResponseEntity<Map<String, Object>> refused(String message) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", "invalid_request", "error_description", message));
    }
}
