package io.orderly.identity;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who sent a GraphQL request: the subject of a validated token and the roles it grants, or nobody.
 * Resolvers receive it as {@code @ContextValue Caller caller}.
 */
public record Caller(@Nullable String subject, Set<UserRole> roles) {

    /** The name under which every request's GraphQL context holds its caller. */
    public static final String CONTEXT_KEY = "caller";

    private static final String ROLE_PREFIX = "ROLE_";

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public static Caller anonymous() {
        return new Caller(null, Set.of());
    }

    /**
     * The caller of a request: over graphql-ws the connection's, over HTTP the one Spring Security
     * authenticated. Call it from an interceptor before the request's first asynchronous step, on the
     * thread the request arrived on, where Spring Security's context is set.
     */
    public static Caller of(WebGraphQlRequest request) {
        if (request instanceof WebSocketGraphQlRequest socketRequest) {
            return WebSocketAuthentication.callerOf(socketRequest.getSessionInfo());
        }
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The caller an authentication stands for; roles are the {@code ROLE_}-prefixed authorities Orderly knows. */
    public static Caller of(@Nullable Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return anonymous();
        }
        Set<UserRole> roles = EnumSet.noneOf(UserRole.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith(ROLE_PREFIX)) {
                String role = name.substring(ROLE_PREFIX.length()).toUpperCase(Locale.ROOT);
                for (UserRole known : UserRole.values()) {
                    if (known.name().equals(role)) {
                        roles.add(known);
                    }
                }
            }
        }
        return new Caller(authentication.getName(), roles);
    }

    /**
     * The name per-caller limits count this caller under: its subject when signed in, else the
     * address the request came from, as anonymous callers have nothing else to tell them apart.
     */
    public String limitKey(@Nullable InetSocketAddress remoteAddress) {
        if (subject != null) {
            return "subject:" + subject;
        }
        return "address:" + (remoteAddress == null ? "unknown" : remoteAddress.getHostString());
    }

    public boolean isAuthenticated() {
        return subject != null;
    }

    /** Staff and admins act on every customer; a token that also says CUSTOMER acts as staff. */
    public boolean isStaff() {
        return roles.contains(UserRole.STAFF) || roles.contains(UserRole.ADMIN);
    }

    /** Whether the caller acts as a customer: limited to the customer bound to its subject. */
    public boolean isCustomer() {
        return !isStaff() && roles.contains(UserRole.CUSTOMER);
    }

    /** The subject of a customer caller; only call when {@link #isCustomer()}. */
    public String customerSubject() {
        if (!isCustomer() || subject == null) {
            throw new IllegalStateException("not a customer caller");
        }
        return subject;
    }
}
