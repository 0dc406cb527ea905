package io.orderly.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses GraphQL request bodies larger than the limit with HTTP 413, before they are read or
 * parsed. A body without a length (chunked) must announce one: such requests are refused too,
 * with 411, since every GraphQL client sends the length of its JSON body. A request by GET carries
 * its query in the query string instead, refused with 414 past its own limit.
 */
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final int maxQueryStringBytes;

    RequestSizeLimitFilter(long maxBytes, int maxQueryStringBytes) {
        this.maxBytes = maxBytes;
        this.maxQueryStringBytes = maxQueryStringBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod())) {
            filterGet(request, response, chain);
        }
        else if ("POST".equals(request.getMethod())) {
            filterPost(request, response, chain);
        }
        else {
            chain.doFilter(request, response);
        }
    }

    private void filterGet(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        // The query string as sent, percent-encoded: ASCII, so one character is one byte.
        int length = query == null ? 0 : query.length();
        if (length > maxQueryStringBytes) {
            refuse(response, HttpServletResponse.SC_REQUEST_URI_TOO_LONG, "The query string has " + length
                    + " bytes; at most " + maxQueryStringBytes + " are accepted by GET, send larger requests by POST");
        }
        else {
            chain.doFilter(request, response);
        }
    }

    private void filterPost(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length < 0) {
            refuse(response, HttpServletResponse.SC_LENGTH_REQUIRED, "A GraphQL request body needs a Content-Length");
        }
        else if (length > maxBytes) {
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "The request body has " + length + " bytes; at most " + maxBytes + " are accepted");
        }
        else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        response.getWriter().write("{\"errors\":[{\"message\":\"" + escaped + "\",\"extensions\":{\"code\":\"REQUEST_TOO_LARGE\"}}]}");
    }
}
