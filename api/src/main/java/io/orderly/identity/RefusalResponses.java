package io.orderly.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * What Spring Security answers when it refuses a request before GraphQL sees it: the status and
 * {@code WWW-Authenticate: Bearer …} header of RFC 6750 (401 for a missing or invalid token, 403 for
 * a token without the role), and a GraphQL-shaped body whose error carries an {@code extensions.code}
 * like every other Orderly error.
 */
final class RefusalResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final BearerTokenAuthenticationEntryPoint unauthenticated = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler forbidden = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        unauthenticated.commence(request, response, e);
        write(response, "UNAUTHENTICATED", "The bearer token was missing or refused: " + e.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        forbidden.handle(request, response, e);
        write(response, "FORBIDDEN", "The token's roles do not allow this");
    }

    private static void write(HttpServletResponse response, String code, String message) throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ");
        response.getWriter().write("{\"errors\":[{\"message\":\"" + escaped + "\",\"extensions\":{\"code\":\"" + code + "\"}}]}");
    }
}
